import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import {
  APIS,
  echoResponder,
  startFakeProvider,
  type Api,
  type FakeProvider,
} from '../../fake-provider/index.js';
import { anthropicFor } from './anthropic-client.js';
import { openaiFor } from './openai-clients.js';

/** Every API's counter at 0. */
const ZERO_BY_API = Object.fromEntries(APIS.map((api) => [api, 0])) as Record<Api, number>;

let fake: FakeProvider;
beforeAll(async () => {
  fake = await startFakeProvider();
});
afterEach(() => fake.reset());
afterAll(() => fake.close());

const messages = [{ role: 'user' as const, content: 'Return window?' }];
const chat = (openai: OpenAI, model = 'gpt-5') =>
  openai.chat.completions.create({ model, messages }).then((res) => res.choices[0]?.message.content);

describe('rules', () => {
  test('first match wins; times consumes a rule, then the next one answers', async () => {
    fake.on({ model: 'gpt-5' }, { text: 'first' }, { times: 2 });
    fake.on({ model: /^gpt-/ }, { text: 'later' });
    fake.on({}, { text: 'other models' });
    const openai = openaiFor(fake);
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await chat(openai));
    answers.push(await chat(openai, 'o4-mini'));
    expect(answers).toEqual(['first', 'first', 'later', 'other models']);
    expect(() => fake.on({}, { text: 'x' }, { times: 0 })).toThrow(
      'fake provider: rule times must be at least 1, got 0',
    );
  });

  test('a responder gets the recorded request and may be async', async () => {
    fake.on({ where: (req) => req.headers['x-case'] === 'refund' }, async (req) => ({
      text: `${req.api} ${req.model} ${req.id}`,
    }));
    const openai = new OpenAI({
      baseURL: fake.openaiBaseURL,
      apiKey: 'sk-test',
      maxRetries: 0,
      defaultHeaders: { 'x-case': 'refund' },
    });
    expect(await chat(openai)).toBe('openai.chat gpt-5 req_fake_1');
  });

  test('a responder that throws answers 400 naming the error', async () => {
    fake.on({}, () => {
      throw new Error('no such case');
    });
    await expect(chat(openaiFor(fake))).rejects.toThrow(
      '400 fake provider: the responder for openai.chat model gpt-5 threw: no such case',
    );
  });
});

describe('fallback', () => {
  test('by default a missing script is a 400 naming the api and model', async () => {
    const openaiError = await chat(openaiFor(fake), 'gpt-x').catch((e: unknown) => e);
    expect(openaiError).toBeInstanceOf(OpenAI.BadRequestError);
    expect((openaiError as Error).message).toBe(
      '400 fake provider: no scripted reply for openai.chat model gpt-x',
    );
    const anthropicError = await anthropicFor(fake)
      .messages.create({ model: 'claude-x', max_tokens: 16, messages })
      .catch((e: unknown) => e);
    expect(anthropicError).toBeInstanceOf(Anthropic.BadRequestError);
    expect((anthropicError as InstanceType<typeof Anthropic.BadRequestError>).error).toEqual({
      type: 'error',
      error: {
        type: 'invalid_request_error',
        message: 'fake provider: no scripted reply for anthropic.messages model claude-x',
      },
      request_id: 'req_fake_2',
    });
    // A missing script is a test bug, not a served fault.
    expect(fake.stats.faults).toEqual({});
  });

  test('a custom fallback answers instead', async () => {
    const echo = await startFakeProvider({ fallback: echoResponder });
    try {
      expect(await chat(openaiFor(echo))).toBe('echo: Return window?');
      const res = await anthropicFor(echo).messages.create({ model: 'claude-x', max_tokens: 16, messages });
      expect(res.content).toEqual([{ type: 'text', text: 'echo: Return window?', citations: null }]);
    } finally {
      await echo.close();
    }
  });
});

describe('latency and in-flight counting', () => {
  test('concurrent requests under latency are all in flight at once', async () => {
    fake.setLatency(300);
    fake.on({}, { text: 'ok' });
    const openai = openaiFor(fake);
    const started = Date.now();
    const answers = await Promise.all(Array.from({ length: 5 }, () => chat(openai)));
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(answers).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(fake.stats).toEqual({
      requests: 5,
      byApi: { ...ZERO_BY_API, 'openai.chat': 5 },
      inFlight: 0,
      peakInFlight: 5,
      faults: {},
    });
  });

  test('a rule latency replaces the server latency; reset restores the start options', async () => {
    const slow = await startFakeProvider({ latencyMs: 5_000 });
    try {
      slow.on({}, { text: 'quick' }, { latencyMs: 0 });
      const started = Date.now();
      expect(await chat(openaiFor(slow))).toBe('quick');
      expect(Date.now() - started).toBeLessThan(4_000);
      slow.setLatency(0);
      slow.reset();
      slow.on({}, { text: 'x' });
      const timedOut = await chat(openaiFor(slow, { timeout: 100 })).catch((e: unknown) => e);
      expect(timedOut).toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    } finally {
      await slow.close();
    }
    expect(() => fake.setLatency(-1)).toThrow('fake provider: latency must be >= 0 ms, got -1');
  });

  test('reset drops rules, requests and counters', async () => {
    fake.on({}, { text: 'ok' });
    await chat(openaiFor(fake));
    fake.reset();
    expect(fake.requests).toEqual([]);
    expect(fake.stats).toEqual({
      requests: 0,
      byApi: ZERO_BY_API,
      inFlight: 0,
      peakInFlight: 0,
      faults: {},
    });
    await expect(chat(openaiFor(fake))).rejects.toThrow('no scripted reply');
  });
});

describe('the wire around the answers', () => {
  test('request id headers per vendor; unknown routes 404; bodies that are not JSON 400', async () => {
    fake.on({}, { text: 'ok' });
    const body = JSON.stringify({ model: 'm', messages });
    const openai = await fetch(`${fake.openaiBaseURL}/chat/completions`, { method: 'POST', body });
    expect([openai.status, openai.headers.get('x-request-id'), openai.headers.get('request-id')]).toEqual([
      200,
      'req_fake_1',
      null,
    ]);
    const anthropic = await fetch(`${fake.anthropicBaseURL}/v1/messages`, { method: 'POST', body });
    expect([
      anthropic.status,
      anthropic.headers.get('request-id'),
      anthropic.headers.get('x-request-id'),
    ]).toEqual([200, 'req_fake_2', null]);
    const unknown = await fetch(`${fake.url}/v1/responses`, { method: 'POST', body });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({
      error: {
        message: 'fake provider: no route for POST /v1/responses',
        type: 'invalid_request_error',
        param: null,
        code: null,
      },
    });
    const broken = await fetch(`${fake.openaiBaseURL}/embeddings`, { method: 'POST', body: '{"input": ' });
    expect(broken.status).toBe(400);
    expect(broken.headers.get('x-request-id')).toBe('req_fake_4');
    expect(fake.requests.map((req) => req.id)).toEqual(['req_fake_1', 'req_fake_2']);
  });
});
