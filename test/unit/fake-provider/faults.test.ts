import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { startFakeProvider, type FakeProvider, type Fault } from '../../fake-provider/index.js';
import { mulberry32 } from '../../fake-provider/prng.js';
import { anthropicFor } from './anthropic-client.js';
import { openaiFor } from './openai-clients.js';

let fake: FakeProvider;
beforeAll(async () => {
  fake = await startFakeProvider();
});
afterEach(() => fake.reset());
afterAll(() => fake.close());

const messages = [{ role: 'user' as const, content: 'Return window?' }];
const chat = (openai: OpenAI) => openai.chat.completions.create({ model: 'gpt-5', messages });
const message = (anthropic: Anthropic) =>
  anthropic.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 256, messages });
const fail = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
const script = (fault: Fault) => fake.on({}, { fault });

describe('status faults', () => {
  test('OpenAI 429 with retry-after on the error headers and the vendor error body', async () => {
    script({ kind: 'status', status: 429, retryAfterS: 2 });
    const error = await fail(chat(openaiFor(fake)));
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const rate = error as InstanceType<typeof OpenAI.RateLimitError>;
    expect(rate.status).toBe(429);
    expect(rate.headers.get('retry-after')).toBe('2');
    expect(rate.requestID).toBe('req_fake_1');
    expect(rate.error).toEqual({
      message: 'fake provider: 429 fault for openai.chat model gpt-5',
      type: 'requests',
      param: null,
      code: 'rate_limit_exceeded',
    });
    expect(fake.stats.faults).toEqual({ '429': 1 });
  });

  test('Anthropic 429 with retry-after-ms and the vendor error body', async () => {
    script({ kind: 'status', status: 429, retryAfterMs: 1500, message: 'slow down' });
    const error = await fail(message(anthropicFor(fake)));
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    const rate = error as InstanceType<typeof Anthropic.RateLimitError>;
    expect(rate.headers?.get('retry-after-ms')).toBe('1500');
    expect(rate.headers?.get('retry-after')).toBeNull();
    expect(rate.requestID).toBe('req_fake_1');
    expect(rate.error).toEqual({
      type: 'error',
      error: { type: 'rate_limit_error', message: 'slow down' },
      request_id: 'req_fake_1',
    });
  });

  test('503 and 529 surface as server errors', async () => {
    script({ kind: 'status', status: 503 });
    const openaiError = await fail(chat(openaiFor(fake)));
    expect(openaiError).toBeInstanceOf(OpenAI.InternalServerError);
    expect((openaiError as InstanceType<typeof OpenAI.APIError>).status).toBe(503);
    fake.reset();
    script({ kind: 'status', status: 529 });
    const anthropicError = await fail(message(anthropicFor(fake)));
    expect(anthropicError).toBeInstanceOf(Anthropic.InternalServerError);
    expect((anthropicError as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
      error: { type: 'overloaded_error' },
    });
  });
});

describe('connection faults', () => {
  test('hang: the SDK times out and the request leaves the in-flight count', async () => {
    script({ kind: 'hang' });
    const [openaiError, anthropicError] = await Promise.all([
      fail(chat(openaiFor(fake, { timeout: 150 }))),
      fail(message(anthropicFor(fake, { timeout: 150 }))),
    ]);
    expect(openaiError).toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    expect(anthropicError).toBeInstanceOf(Anthropic.APIConnectionTimeoutError);
    expect(fake.stats.faults).toEqual({ hang: 2 });
    await vi.waitFor(() => expect(fake.stats.inFlight).toBe(0), { timeout: 2000, interval: 10 });
  });

  test('reset: a connection error, not a timeout', async () => {
    script({ kind: 'reset' });
    const [openaiError, anthropicError] = await Promise.all([
      fail(chat(openaiFor(fake))),
      fail(message(anthropicFor(fake))),
    ]);
    expect((openaiError as Error).constructor).toBe(OpenAI.APIConnectionError);
    expect((anthropicError as Error).constructor).toBe(Anthropic.APIConnectionError);
    expect(fake.stats.faults).toEqual({ reset: 2 });
  });

  test('close() destroys hanging requests', async () => {
    const own = await startFakeProvider();
    own.on({}, { fault: { kind: 'hang' } });
    const pending = fail(chat(openaiFor(own, { timeout: 10_000 })));
    await vi.waitFor(() => expect(own.stats.inFlight).toBe(1), { timeout: 2000, interval: 5 });
    await own.close();
    expect(((await pending) as Error).constructor).toBe(OpenAI.APIConnectionError);
  });
});

describe('bad answers', () => {
  test('malformed: a 200 whose body is not JSON, plain or streamed', async () => {
    script({ kind: 'malformed' });
    const openai = openaiFor(fake);
    expect(await fail(chat(openai))).toBeInstanceOf(SyntaxError);
    expect(await fail(message(anthropicFor(fake)))).toBeInstanceOf(SyntaxError);
    const stream = await openai.chat.completions.create({ model: 'gpt-5', messages, stream: true });
    expect(
      await fail(
        (async () => {
          for await (const _ of stream) {
            /* drain */
          }
        })(),
      ),
    ).toBeInstanceOf(SyntaxError);
    expect(fake.stats.faults).toEqual({ malformed: 3 });
  });

  test('empty-choices: valid JSON with nothing in it', async () => {
    script({ kind: 'empty-choices' });
    const openai = openaiFor(fake);
    expect((await chat(openai)).choices).toEqual([]);
    expect((await message(anthropicFor(fake))).content).toEqual([]);
    const embeddings = await openai.embeddings.create({ model: 'e', input: 'x', encoding_format: 'float' });
    expect(embeddings.data).toEqual([]);
  });

  test('truncated-stream: the SDK helpers see a stream that never finished', async () => {
    script({ kind: 'truncated-stream' });
    const openaiStream = openaiFor(fake).chat.completions.stream({ model: 'gpt-5', messages });
    await expect(openaiStream.finalChatCompletion()).rejects.toThrow('missing finish_reason for choice 0');
    const anthropicStream = anthropicFor(fake).messages.stream({
      model: 'claude-sonnet-4-6',
      max_tokens: 256,
      messages,
    });
    await expect(anthropicStream.finalMessage()).rejects.toThrow(
      'stream ended without producing a Message with role=assistant',
    );
    expect(anthropicStream.currentMessage).toBeUndefined();
    expect(await fail(chat(openaiFor(fake)))).toBeInstanceOf(SyntaxError);
  });

  test('a truncated OpenAI stream stops mid-text with no finish, usage or [DONE]', async () => {
    script({ kind: 'truncated-stream' });
    const stream = await openaiFor(fake).chat.completions.create({
      model: 'gpt-5',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    const finishes: (string | null)[] = [];
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finishes.push(chunk.choices[0]?.finish_reason ?? null);
    }
    expect(text).toBe('The fake provider cut this reply off in');
    expect(new Set(finishes)).toEqual(new Set([null]));
  });
});

describe('random faults', () => {
  const outcomes = async (n: number): Promise<string[]> => {
    const openai = openaiFor(fake);
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      out.push(
        await chat(openai).then(
          () => 'ok',
          (error: unknown) => String((error as { status?: number }).status),
        ),
      );
    }
    return out;
  };

  test('a seeded plan draws once per request, is counted, and repeats after reset', async () => {
    const plan = { rate429: 0.3, rate503: 0.2, retryAfterS: 1 };
    // The default seed is 1: the draws laid on the rates, 429 below 0.3, 503 below 0.5.
    const next = mulberry32(1);
    const expected = Array.from({ length: 12 }, () => next()).map((d) =>
      d < 0.3 ? '429' : d < 0.5 ? '503' : 'ok',
    );
    fake.setFaults(plan);
    fake.on({}, { text: 'fine' });
    const first = await outcomes(12);
    expect(first).toEqual(expected);
    expect(fake.stats.faults).toEqual({
      '429': expected.filter((o) => o === '429').length,
      '503': expected.filter((o) => o === '503').length,
    });
    fake.reset();
    fake.setFaults(plan);
    fake.on({}, { text: 'fine' });
    expect(await outcomes(12)).toEqual(expected);
  });

  test('apis and models filters spare other requests; rates are validated', async () => {
    fake.setFaults({ rate503: 1, apis: ['anthropic.messages'] });
    fake.on({}, { text: 'fine' });
    expect(await outcomes(3)).toEqual(['ok', 'ok', 'ok']);
    fake.setFaults({ rate503: 1, models: [/^gpt-/] });
    expect(await outcomes(2)).toEqual(['503', '503']);
    fake.setFaults(undefined);
    expect(await outcomes(1)).toEqual(['ok']);
    expect(() => fake.setFaults({ rate429: 0.7, rate503: 0.7 })).toThrow(
      'fake provider: fault rates add up to 1.4; keep the sum <= 1',
    );
    expect(() => fake.setFaults({ rateHang: -1 })).toThrow(
      'fake provider: rateHang must be in [0, 1], got -1',
    );
  });
});
