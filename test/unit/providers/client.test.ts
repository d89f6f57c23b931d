import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createModelClient } from '../../../src/providers/client.js';
import type { ModelClientOptions } from '../../../src/providers/client.js';
import {
  CacheMissError,
  ModelRefusalError,
  ProviderAbortError,
  ProviderBadRequestError,
  ProviderServerError,
} from '../../../src/providers/errors.js';
import type { ChatRequest, ProviderSettings } from '../../../src/providers/types.js';
import { startFakeProvider } from '../../fake-provider/index.js';
import type { FakeProvider } from '../../fake-provider/index.js';

const OPENAI_KEY = 'sk-SENTINEL-openai-4f1d';
const ANTHROPIC_KEY = 'sk-SENTINEL-anthropic-9c2e';

let fake: FakeProvider;
let dir: string;
let sleeps: number[];

beforeAll(async () => {
  fake = await startFakeProvider();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(async () => {
  fake.reset();
  sleeps = [];
  dir = await mkdtemp(join(tmpdir(), 'qualify-client-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function env(): Record<string, string> {
  return {
    OPENAI_API_KEY: OPENAI_KEY,
    OPENAI_BASE_URL: fake.openaiBaseURL,
    ANTHROPIC_API_KEY: ANTHROPIC_KEY,
    ANTHROPIC_BASE_URL: fake.anthropicBaseURL,
  };
}

function client(
  overrides: Partial<ModelClientOptions> & { providers?: Record<string, ProviderSettings> } = {},
) {
  return createModelClient({
    cache: { mode: 'off', dir },
    env: env(),
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0.5,
    ...overrides,
  });
}

function ask(
  model: string,
  content = 'Can I return shoes after 40 days?',
  extra: Partial<ChatRequest> = {},
): ChatRequest {
  return { model, messages: [{ role: 'user', content }], ...extra };
}

describe('createModelClient through the fake provider', () => {
  test('a 429 with retry-after is waited out, then succeeds; the retry is counted', async () => {
    fake.on(
      { api: 'openai.chat' },
      { fault: { kind: 'status', status: 429, retryAfterMs: 1200 } },
      { times: 1 },
    );
    fake.on({ api: 'openai.chat' }, { text: 'No; 30 days.', usage: { input: 1000, output: 500 } });
    const c = client();
    const reply = await c.chat(ask('openai:gpt-5', undefined, { purpose: 'agent' }));
    expect(reply.choices.map((choice) => choice.text)).toEqual(['No; 30 days.']);
    expect(sleeps).toEqual([1200]);
    expect(reply.usage).toMatchObject({
      inputTokens: 1000,
      outputTokens: 500,
      costUsd: 0.00625,
      retries: 1,
      cached: false,
    });
    expect(fake.stats.requests).toBe(2);
    expect(c.usage()).toEqual({
      calls: 1,
      input_tokens: 1000,
      output_tokens: 500,
      cost_usd: 0.00625,
      cached_calls: 0,
      retries: 1,
      by_purpose: { agent: { calls: 1, input_tokens: 1000, output_tokens: 500 } },
    });
  });

  test('503 twice, then success, with exponential backoff', async () => {
    fake.on({ api: 'anthropic.messages' }, { fault: { kind: 'status', status: 503 } }, { times: 2 });
    fake.on({ api: 'anthropic.messages' }, { text: 'ok' });
    const reply = await client().chat(ask('anthropic:claude-sonnet-4-6'));
    expect(reply.choices[0]?.text).toBe('ok');
    expect(reply.usage.retries).toBe(2);
    expect(sleeps).toEqual([250, 500]);
    expect(fake.stats.faults).toEqual({ '503': 2 });
  });

  test('a request hanging past the 200 ms timeout is retried, then succeeds', async () => {
    fake.on({ api: 'openai.chat' }, { fault: { kind: 'hang' } }, { times: 1 });
    fake.on({ api: 'openai.chat' }, { text: 'after the hang' });
    const c = client({ providers: { openai: { timeout_s: 0.2 } } });
    const reply = await c.chat(ask('openai:gpt-5-mini'));
    expect(reply.choices[0]?.text).toBe('after the hang');
    expect(reply.usage.retries).toBe(1);
    expect(reply.usage.latencyMs).toBeGreaterThanOrEqual(190);
    expect(fake.stats.faults).toEqual({ hang: 1 });
  });

  test('a connection reset is retried, then succeeds', async () => {
    fake.on({ api: 'anthropic.messages' }, { fault: { kind: 'reset' } }, { times: 1 });
    fake.on({ api: 'anthropic.messages' }, { text: 'after the reset' });
    const reply = await client().chat(ask('anthropic:claude-sonnet-4-6'));
    expect(reply.choices[0]?.text).toBe('after the reset');
    expect(reply.usage.retries).toBe(1);
    expect(fake.stats.requests).toBe(2);
  });

  test('an exhausted retry budget throws the provider error with attempts = max_retries + 1', async () => {
    fake.on({ api: 'openai.chat' }, { fault: { kind: 'status', status: 503, message: 'overloaded' } });
    const c = client({ providers: { openai: { max_retries: 2 } } });
    const error = await c.chat(ask('openai:gpt-5')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderServerError);
    expect(error).toMatchObject({ attempts: 3, status: 503, provider: 'openai', model: 'gpt-5' });
    expect(fake.stats.requests).toBe(3);
    expect(sleeps).toEqual([250, 500]);
    expect(c.usage().calls).toBe(0);
  });

  test('50 concurrent calls never put more than max_in_flight requests at the server', async () => {
    fake.on({ api: 'openai.chat' }, { text: 'ok' }, { latencyMs: 40 });
    const c = client({ providers: { openai: { max_in_flight: 4 } } });
    const replies = await Promise.all(
      Array.from({ length: 50 }, (_, i) => c.chat(ask('openai:gpt-5', `question ${i}`))),
    );
    expect(replies.length).toBe(50);
    expect(fake.stats.requests).toBe(50);
    expect(fake.stats.peakInFlight).toBe(4);
  });

  test('a cached second call makes no request, costs nothing and is counted as cached', async () => {
    fake.on({ api: 'openai.chat' }, { text: 'cached answer', usage: { input: 10, output: 4 } });
    const c = client({ cache: { mode: 'auto', dir } });
    const first = await c.chat(ask('openai:gpt-5', 'same question', { purpose: 'judge' }));
    const second = await c.chat(ask('openai:gpt-5', 'same question', { purpose: 'judge', stream: true }));
    expect(fake.stats.requests).toBe(1);
    expect(first.usage.cached).toBe(false);
    expect(second.choices).toEqual(first.choices);
    expect(second.usage).toMatchObject({
      inputTokens: 10,
      outputTokens: 4,
      costUsd: 0,
      retries: 0,
      cached: true,
    });
    expect(c.usage()).toMatchObject({
      calls: 2,
      cached_calls: 1,
      input_tokens: 20,
      cost_usd: first.usage.costUsd,
    });
    await c.flush();

    const replay = client({ cache: { mode: 'replay', dir } });
    const third = await replay.chat(ask('openai:gpt-5', 'same question'));
    expect(third.choices[0]?.text).toBe('cached answer');
    expect(fake.stats.requests).toBe(1);
    expect(replay.cacheReport()).toEqual({ hits: 1, handWrittenHits: 0, handWrittenFiles: [] });
  });

  test('a replay miss is a CacheMissError with the fix, and sends nothing', async () => {
    const c = client({ cache: { mode: 'replay', dir } });
    const error = await c
      .chat(ask('anthropic:claude-sonnet-4-6', 'Is this cached?'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CacheMissError);
    const { key } = error as CacheMissError;
    expect((error as CacheMissError).message).toBe(
      `No cassette entry for anthropic:claude-sonnet-4-6 chat "Is this cached?" (key ${key}) in ${join(dir, 'anthropic', 'claude-sonnet-4-6.jsonl')}: record it with QUALIFY_CACHE=record and ANTHROPIC_API_KEY set, or add the entry by hand`,
    );
    expect(fake.stats.requests).toBe(0);
  });

  test('an auto miss without a key says which variable to set, and sends nothing', async () => {
    const c = client({ cache: { mode: 'auto', dir }, env: { OPENAI_BASE_URL: fake.openaiBaseURL } });
    const error = await c
      .embed({ model: 'openai:text-embedding-3-small', input: ['hi'] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CacheMissError);
    expect((error as CacheMissError).message).toMatch(
      /^No cassette entry for openai:text-embedding-3-small embed "hi" \(key [0-9a-f]{64}\) in .+, and OPENAI_API_KEY is not set: set OPENAI_API_KEY to call the provider \(with QUALIFY_CACHE=record to record the answer\)$/,
    );
    expect(fake.stats.requests).toBe(0);
  });

  test('anthropic n: 3 fans out to 3 requests and merges the choices; openai sends one', async () => {
    let count = 0;
    fake.on({ api: 'anthropic.messages' }, () => ({
      text: `sample ${++count}`,
      usage: { input: 10, output: 2 },
    }));
    fake.on({ api: 'openai.chat' }, { choices: [{ text: 'a' }, { text: 'b' }, { text: 'c' }] });
    const c = client();
    const reply = await c.chat(ask('anthropic:claude-sonnet-4-6', 'three please', { n: 3, temperature: 1 }));
    expect(reply.choices.map((choice) => choice.text).sort()).toEqual(['sample 1', 'sample 2', 'sample 3']);
    expect(reply.usage).toMatchObject({ inputTokens: 30, outputTokens: 6 });
    expect(fake.stats.byApi['anthropic.messages']).toBe(3);
    expect(fake.requests.every((req) => req.body['n'] === undefined)).toBe(true);

    const openai = await c.chat(ask('openai:gpt-5', 'three please', { n: 3 }));
    expect(openai.choices.map((choice) => choice.text)).toEqual(['a', 'b', 'c']);
    expect(fake.stats.byApi['openai.chat']).toBe(1);
  });

  test('a failed fan-out sample fails the call and cancels the other samples', async () => {
    let count = 0;
    fake.on({ api: 'anthropic.messages' }, () =>
      ++count === 2
        ? { fault: { kind: 'status', status: 400, message: 'bad sample' } }
        : { fault: { kind: 'hang' } },
    );
    const c = client();
    const started = Date.now();
    const error = await c
      .chat(ask('anthropic:claude-sonnet-4-6', 'three', { n: 3 }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderBadRequestError);
    expect(error).toMatchObject({ status: 400, attempts: 1 });
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(fake.stats.requests).toBe(3);
    expect(c.usage().calls).toBe(0);
  });

  test('a refusal is returned to the agent and is an error for the judge', async () => {
    fake.on({ api: 'openai.chat' }, { refusal: 'I cannot help with that.' });
    const c = client();
    const agent = await c.chat(ask('openai:gpt-5', 'q', { purpose: 'agent' }));
    expect(agent.choices[0]?.refusal).toBe('I cannot help with that.');
    const error = await c.chat(ask('openai:gpt-5', 'q', { purpose: 'judge' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelRefusalError);
    expect((error as ModelRefusalError).message).toBe('openai:gpt-5 refused: I cannot help with that.');
    expect(c.usage().calls).toBe(2);
  });

  test('aborting a call waiting for a slot rejects it with a ProviderAbortError', async () => {
    fake.on({ api: 'openai.chat' }, { text: 'slow' }, { latencyMs: 100 });
    const c = client({ providers: { openai: { max_in_flight: 1 } } });
    const first = c.chat(ask('openai:gpt-5', 'first'));
    const controller = new AbortController();
    const second = c.chat(ask('openai:gpt-5', 'second', { signal: controller.signal }));
    controller.abort(new Error('test timed out'));
    const error = await second.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderAbortError);
    expect((error as ProviderAbortError).message).toBe(
      'openai:gpt-5: the call was aborted by its caller; nothing to do',
    );
    expect((await first).choices[0]?.text).toBe('slow');
    expect(fake.stats.requests).toBe(1);
  });

  test('no credential is ever written to a cassette', async () => {
    fake.on({ api: 'openai.chat' }, { text: 'openai answer' });
    fake.on({ api: 'openai.embeddings' }, { embeddings: [[0.5, 0.25]] });
    fake.on({ api: 'anthropic.messages' }, { text: 'anthropic answer' });
    const c = client({ cache: { mode: 'record', dir } });
    await c.chat(ask('openai:gpt-5', 'one', { stream: true }));
    await c.chat(ask('anthropic:claude-sonnet-4-6', 'two', { n: 2 }));
    await c.embed({ model: 'openai:text-embedding-3-small', input: ['three'] });
    await c.flush();

    // The keys did reach the server, so a leak would have had something to leak.
    expect(fake.requests.map((req) => req.api)).toEqual([
      'openai.chat',
      'anthropic.messages',
      'anthropic.messages',
      'openai.embeddings',
    ]);
    expect(fake.requests.map((req) => JSON.stringify(req.headers).includes('SENTINEL'))).toEqual([
      true,
      true,
      true,
      true,
    ]);
    const files = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((entry) =>
      entry.isFile(),
    );
    expect(files.map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1)).sort()).toEqual([
      join('anthropic', 'claude-sonnet-4-6.jsonl'),
      join('openai', 'gpt-5.jsonl'),
      join('openai', 'text-embedding-3-small.jsonl'),
    ]);
    for (const entry of files) {
      const text = await readFile(join(entry.parentPath, entry.name), 'utf8');
      expect(text).not.toContain('SENTINEL');
      expect(text.split('\n').length).toBe(3);
    }
  });
});
