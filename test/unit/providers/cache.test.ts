import { mkdtemp, readFile, rm, writeFile, mkdir, access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { ResponseCache } from '../../../src/providers/cache/cache.js';
import {
  cacheKey,
  cacheKeyOfCanonical,
  canonicalRequest,
  keyedRequest,
} from '../../../src/providers/cache/key.js';
import { cacheModeFromEnv } from '../../../src/providers/cache/mode.js';
import { CacheMissError } from '../../../src/providers/errors.js';
import type { ChatRequest, ChatResponse, EmbedResponse, ModelRef } from '../../../src/providers/types.js';

const sonnet: ModelRef = {
  id: 'anthropic:claude-sonnet-4-6',
  provider: 'anthropic',
  model: 'claude-sonnet-4-6',
};
const embedder: ModelRef = {
  id: 'openai:text-embedding-3-small',
  provider: 'openai',
  model: 'text-embedding-3-small',
};
const NOW = Date.parse('2026-11-27T10:00:00.000Z');

const request: ChatRequest = {
  model: sonnet.id,
  system: 'You answer refund questions.',
  messages: [{ role: 'user', content: 'Can I return shoes after 40 days?' }],
  temperature: 0,
};

function chatResponse(text: string): ChatResponse {
  return {
    model: 'claude-sonnet-4-6',
    choices: [{ text, toolCalls: [], finishReason: 'stop' }],
    usage: { inputTokens: 12, outputTokens: 5, costUsd: 0.5, latencyMs: 321, retries: 2, cached: false },
    requestId: 'req_1',
  };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'qualify-cache-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function cache(
  mode: ResponseCache['mode'],
  extra: Partial<ConstructorParameters<typeof ResponseCache>[0]> = {},
) {
  return new ResponseCache({ mode, dir, now: () => NOW, flushDelayMs: 60_000, ...extra });
}

describe('ResponseCache', () => {
  test('round-trips a chat answer through a readable cassette, without cost, latency or retries', async () => {
    const writer = cache('auto');
    const slot = writer.slot('chat', sonnet, {
      ...request,
      purpose: 'agent',
      stream: true,
      signal: AbortSignal.timeout(1000),
    });
    expect(await writer.lookup(slot)).toBeUndefined();
    writer.store(slot, chatResponse('No; the window is 30 days.'));
    await writer.flush();

    const file = join(dir, 'anthropic', 'claude-sonnet-4-6.jsonl');
    const lines = (await readFile(file, 'utf8')).split('\n');
    expect(lines.length).toBe(3);
    expect(lines[2]).toBe('');
    expect(JSON.parse(lines[0] as string)).toEqual({
      cassette: 'vitest-qualify/cassette@1',
      source: 'recorded',
      note: 'Recorded from the provider by vitest-qualify. Re-record with QUALIFY_CACHE=record.',
    });
    expect(JSON.parse(lines[1] as string)).toEqual({
      key: slot.key,
      kind: 'chat',
      model: 'anthropic:claude-sonnet-4-6',
      request: {
        messages: [{ content: 'Can I return shoes after 40 days?', role: 'user' }],
        model: 'anthropic:claude-sonnet-4-6',
        system: 'You answer refund questions.',
        temperature: 0,
      },
      response: {
        choices: [{ finishReason: 'stop', text: 'No; the window is 30 days.', toolCalls: [] }],
        model: 'claude-sonnet-4-6',
        requestId: 'req_1',
        usage: { inputTokens: 12, outputTokens: 5 },
      },
      recorded_at: '2026-11-27T10:00:00.000Z',
    });
    expect(slot.key).toMatch(/^[0-9a-f]{64}$/);

    const reader = cache('replay');
    expect(await reader.lookup(reader.slot('chat', sonnet, request))).toEqual({
      handWritten: false,
      response: {
        choices: [{ finishReason: 'stop', text: 'No; the window is 30 days.', toolCalls: [] }],
        model: 'claude-sonnet-4-6',
        requestId: 'req_1',
        usage: { inputTokens: 12, outputTokens: 5 },
      },
    });
    expect(reader.report()).toEqual({ hits: 1, handWrittenHits: 0, handWrittenFiles: [] });
  });

  test('the key ignores signal, purpose and stream, and changes with anything else', () => {
    const c = cache('auto');
    const base = c.slot('chat', sonnet, request).key;
    expect(c.slot('chat', sonnet, { ...request, purpose: 'judge', stream: false }).key).toBe(base);
    expect(c.slot('chat', sonnet, { temperature: 0, ...request, maxTokens: undefined }).key).toBe(base);
    expect(c.slot('chat', sonnet, { ...request, temperature: 0.2 }).key).not.toBe(base);
    expect(c.slot('embed', sonnet, request).key).not.toBe(base);
  });

  test('with the cache off, a request is keyed only when asked, to the same key', () => {
    const asked: ChatRequest = { ...request, messages: [...request.messages] };
    const slot = cache('off').slot('chat', sonnet, asked);
    asked.messages.push({ role: 'assistant', content: 'No.' });
    // Keyed on first use (after the change above), byte for byte as an eager key would be.
    expect(slot.key).toBe(cacheKey('chat', sonnet.id, keyedRequest(asked)));
    expect(slot.request).toEqual(keyedRequest(asked));
    expect(slot.file).toBe(join(dir, 'anthropic', 'claude-sonnet-4-6.jsonl'));
  });

  test('a cache that reads or writes keys the request when the slot is made', () => {
    for (const mode of ['auto', 'record', 'replay'] as const) {
      const asked: ChatRequest = { ...request, messages: [...request.messages] };
      const slot = cache(mode).slot('chat', sonnet, asked);
      asked.messages.push({ role: 'assistant', content: 'No.' });
      expect(slot.key).toBe(cacheKey('chat', sonnet.id, keyedRequest(request)));
    }
  });

  test('one canonical pass gives the key two passes give, for awkward requests too', () => {
    const awkward = [
      request,
      { model: 'openai:gpt-5', input: ['a', 'b'] },
      {
        ...request,
        messages: [
          { role: 'user', content: 'quote " backslash \\ tab \t emoji \u{1F600} lone \uD800 nul \u0000' },
        ],
        responseSchema: {
          name: 's',
          schema: { properties: { '10': { type: 'string' }, '9': {}, b: [1, undefined, null], a: -0 } },
        },
        temperature: 0.1 + 0.2,
        maxTokens: 1e21,
        logprobs: { top: 20 },
        tools: [{ name: 't', description: undefined, parameters: { x: Number.NaN, y: Infinity } }],
        purpose: 'judge',
        stream: true,
        signal: AbortSignal.timeout(60_000),
      },
    ] as unknown as ChatRequest[];
    for (const r of awkward) {
      for (const kind of ['chat', 'embed'] as const) {
        expect(cacheKeyOfCanonical(kind, 'openai:gpt-5', canonicalRequest(r))).toBe(
          cacheKey(kind, 'openai:gpt-5', keyedRequest(r)),
        );
      }
    }
  });

  test('round-trips embeddings', async () => {
    const writer = cache('record');
    const embed = { model: embedder.id, input: ['a', 'b'] };
    const response: EmbedResponse = {
      model: 'text-embedding-3-small',
      vectors: [
        [0.25, -0.5],
        [1, 0],
      ],
      usage: { inputTokens: 2, outputTokens: 0, costUsd: 0, latencyMs: 9, retries: 0, cached: false },
    };
    writer.store(writer.slot('embed', embedder, embed), response);
    await writer.flush();
    const hit = await cache('auto').lookup(cache('auto').slot('embed', embedder, embed));
    expect(hit?.response).toEqual({
      model: 'text-embedding-3-small',
      vectors: [
        [0.25, -0.5],
        [1, 0],
      ],
      usage: { inputTokens: 2, outputTokens: 0 },
    });
  });

  test('a pending entry answers before it is written', async () => {
    const c = cache('auto');
    const slot = c.slot('chat', sonnet, request);
    c.store(slot, chatResponse('pending'));
    expect((await c.lookup(slot))?.response).toMatchObject({ choices: [{ text: 'pending' }] });
    await expect(access(join(dir, 'anthropic', 'claude-sonnet-4-6.jsonl'))).rejects.toThrow('ENOENT');
    await c.flush();
  });

  test('record mode never reads and overwrites; off mode neither reads nor writes', async () => {
    const first = cache('auto');
    first.store(first.slot('chat', sonnet, request), chatResponse('old'));
    await first.flush();

    const recorder = cache('record');
    const slot = recorder.slot('chat', sonnet, request);
    expect(await recorder.lookup(slot)).toBeUndefined();
    recorder.store(slot, chatResponse('new'));
    await recorder.flush();
    expect((await cache('replay').lookup(slot))?.response).toMatchObject({ choices: [{ text: 'new' }] });

    const off = cache('off', { dir: join(dir, 'off') });
    const offSlot = off.slot('chat', sonnet, request);
    off.store(offSlot, chatResponse('never written'));
    await off.flush();
    expect(await off.lookup(offSlot)).toBeUndefined();
    await expect(access(join(dir, 'off'))).rejects.toThrow('ENOENT');
  });

  test('a replay miss names the model, the request, the key, the cassette and the fix', () => {
    const c = cache('replay');
    const slot = c.slot('chat', sonnet, {
      ...request,
      messages: [{ role: 'user', content: `Please summarise:\n${'x'.repeat(100)}` }],
    });
    const error = c.missError(slot, 'ANTHROPIC_API_KEY');
    expect(error).toBeInstanceOf(CacheMissError);
    expect(error.code).toBe('E_CACHE_MISS');
    expect(error.key).toBe(slot.key);
    expect(error.message).toBe(
      `No cassette entry for anthropic:claude-sonnet-4-6 chat "Please summarise: ${'x'.repeat(62)}…" (key ${slot.key}) in ${join(dir, 'anthropic', 'claude-sonnet-4-6.jsonl')}: record it with QUALIFY_CACHE=record and ANTHROPIC_API_KEY set, or add the entry by hand`,
    );
  });

  test('an auto miss without credentials says both what is missing and which variable to set', () => {
    const c = cache('auto');
    const slot = c.slot('embed', embedder, { model: embedder.id, input: ['alpha', 'beta', 'gamma'] });
    expect(c.missError(slot, 'OPENAI_API_KEY', true).message).toBe(
      `No cassette entry for openai:text-embedding-3-small embed "alpha" (+2 more) (key ${slot.key}) in ${join(dir, 'openai', 'text-embedding-3-small.jsonl')}, and OPENAI_API_KEY is not set: set OPENAI_API_KEY to call the provider (with QUALIFY_CACHE=record to record the answer)`,
    );
  });

  test('a hand-written cassette answers, may carry stale keys and defaults, and is reported', async () => {
    const file = join(dir, 'anthropic', 'claude-sonnet-4-6.jsonl');
    await mkdir(join(dir, 'anthropic'));
    const header = {
      cassette: 'vitest-qualify/cassette@1',
      source: 'hand-written',
      note: 'Written for the example.',
    };
    const entry = {
      key: 'not-a-real-key',
      kind: 'chat',
      model: sonnet.id,
      request: { model: sonnet.id, messages: request.messages, system: request.system, temperature: 0 },
      response: { model: 'claude-sonnet-4-6', choices: [{ text: 'Thirty days.' }] },
      recorded_at: '2026-11-01T00:00:00.000Z',
    };
    await writeFile(file, `${JSON.stringify(header)}\n\n${JSON.stringify(entry)}\n`);
    const c = cache('replay');
    const hit = await c.lookup(c.slot('chat', sonnet, request));
    expect(hit).toEqual({
      handWritten: true,
      response: {
        model: 'claude-sonnet-4-6',
        choices: [{ text: 'Thirty days.', toolCalls: [], finishReason: 'stop' }],
        usage: { inputTokens: 0, outputTokens: 0 },
      },
    });
    expect(c.report()).toEqual({ hits: 1, handWrittenHits: 1, handWrittenFiles: [file] });
  });

  test('writing into a hand-written cassette keeps its header', async () => {
    const file = join(dir, 'anthropic', 'claude-sonnet-4-6.jsonl');
    await mkdir(join(dir, 'anthropic'));
    await writeFile(file, '{"cassette":"vitest-qualify/cassette@1","source":"hand-written"}\n');
    const c = cache('auto');
    c.store(c.slot('chat', sonnet, request), chatResponse('recorded'));
    await c.flush();
    const [first, second] = (await readFile(file, 'utf8')).split('\n');
    expect(first).toBe('{"cassette":"vitest-qualify/cassette@1","source":"hand-written"}');
    expect(JSON.parse(second as string)).toMatchObject({ response: { choices: [{ text: 'recorded' }] } });
  });

  test('writes in batches: after flushDelayMs, or at once when flushMaxEntries are pending', async () => {
    const file = join(dir, 'anthropic', 'claude-sonnet-4-6.jsonl');
    const timed = cache('auto', { flushDelayMs: 30 });
    timed.store(timed.slot('chat', sonnet, request), chatResponse('a'));
    await expect(access(file)).rejects.toThrow('ENOENT');
    await waitFor(async () => (await lineCount(file)) === 2);
    await rm(file);

    const counted = cache('auto', { flushMaxEntries: 3 });
    for (const t of [0.1, 0.2])
      counted.store(counted.slot('chat', sonnet, { ...request, temperature: t }), chatResponse('b'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(access(file)).rejects.toThrow('ENOENT');
    counted.store(counted.slot('chat', sonnet, { ...request, temperature: 0.3 }), chatResponse('b'));
    await waitFor(async () => (await lineCount(file)) === 4);
    await counted.flush();
  });

  test('a failed write keeps the entries pending and fails the next flush', async () => {
    await writeFile(join(dir, 'anthropic'), 'a file where the folder should be');
    const c = cache('auto');
    const slot = c.slot('chat', sonnet, request);
    c.store(slot, chatResponse('kept'));
    await expect(c.flush()).rejects.toThrow(/EEXIST|ENOTDIR/);
    expect((await c.lookup(slot))?.response).toMatchObject({ choices: [{ text: 'kept' }] });
    await rm(join(dir, 'anthropic'));
    await c.flush();
    expect(await lineCount(join(dir, 'anthropic', 'claude-sonnet-4-6.jsonl'))).toBe(2);
  });
});

describe('cacheModeFromEnv', () => {
  test('defaults to auto and accepts the four modes', () => {
    expect(cacheModeFromEnv({})).toBe('auto');
    expect(cacheModeFromEnv({ QUALIFY_CACHE: '' })).toBe('auto');
    expect(['auto', 'record', 'replay', 'off'].map((m) => cacheModeFromEnv({ QUALIFY_CACHE: m }))).toEqual([
      'auto',
      'record',
      'replay',
      'off',
    ]);
  });

  test('refuses anything else with the valid values', () => {
    expect(() => cacheModeFromEnv({ QUALIFY_CACHE: 'replay-only' })).toThrow(UsageError);
    expect(() => cacheModeFromEnv({ QUALIFY_CACHE: 'replay-only' })).toThrow(
      'QUALIFY_CACHE=replay-only is not a cache mode; use one of auto, record, replay, off',
    );
  });
});

async function lineCount(file: string): Promise<number> {
  try {
    return (await readFile(file, 'utf8')).split('\n').filter((line) => line !== '').length;
  } catch {
    return 0;
  }
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
