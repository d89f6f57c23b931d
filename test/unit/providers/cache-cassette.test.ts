import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import { ResponseCache } from '../../../src/providers/cache/cache.js';
import {
  RECORDED_HEADER,
  cassettePath,
  makeEntry,
  parseCassette,
  serializeCassette,
} from '../../../src/providers/cache/cassette.js';
import { cacheKey, canonicalJson, keyedRequest } from '../../../src/providers/cache/key.js';

const FILE = 'eval/cassettes/openai/gpt-5.jsonl';
const HEADER = '{"cassette":"vitest-qualify/cassette@1","source":"recorded"}';
const request = { model: 'openai:gpt-5', messages: [{ role: 'user' as const, content: 'hi' }] };

function entryLine(text: string, req: Record<string, unknown> = request): string {
  const entry = makeEntry(
    'chat',
    'openai:gpt-5',
    req,
    {
      model: 'gpt-5',
      choices: [{ text, toolCalls: [], finishReason: 'stop' }],
      usage: { inputTokens: 1, outputTokens: 1 },
    },
    new Date(0),
  );
  return JSON.stringify(entry);
}

function parseError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('canonicalJson and keys', () => {
  test('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: undefined }, undefined], e: null })).toBe(
      '{"a":[{"d":2},null],"b":1,"e":null}',
    );
  });

  test('the key is sha256 of the canonical { kind, model, request }', () => {
    const keyed = keyedRequest({ ...request, messages: [{ role: 'user', content: 'hi' }], purpose: 'judge' });
    const expected = createHash('sha256')
      .update(
        '{"kind":"chat","model":"openai:gpt-5","request":{"messages":[{"content":"hi","role":"user"}],"model":"openai:gpt-5"}}',
      )
      .digest('hex');
    expect(cacheKey('chat', 'openai:gpt-5', keyed)).toBe(expected);
  });
});

describe('cassettePath', () => {
  test('keeps safe names and makes unsafe ones safe and distinct', () => {
    expect(cassettePath('eval/cassettes', { provider: 'anthropic', model: 'claude-sonnet-4-6' })).toBe(
      join('eval/cassettes', 'anthropic', 'claude-sonnet-4-6.jsonl'),
    );
    const hash = createHash('sha256').update('meta-llama/Llama-3:70b').digest('hex').slice(0, 8);
    expect(cassettePath('c', { provider: 'openai-compatible', model: 'meta-llama/Llama-3:70b' })).toBe(
      join('c', 'openai-compatible', `meta-llama_Llama-3_70b-${hash}.jsonl`),
    );
    const escapeHash = createHash('sha256').update('../../etc/passwd').digest('hex').slice(0, 8);
    expect(cassettePath('c', { provider: 'openai', model: '../../etc/passwd' })).toBe(
      join('c', 'openai', `__.._etc_passwd-${escapeHash}.jsonl`),
    );
  });
});

describe('parseCassette', () => {
  test('reads the header and the entries, keyed by their request', () => {
    const warnings: string[] = [];
    const cassette = parseCassette(`${HEADER}\n${entryLine('one')}\n`, FILE, (m) => warnings.push(m));
    expect(cassette.header).toEqual({ cassette: 'vitest-qualify/cassette@1', source: 'recorded' });
    expect([...cassette.entries.keys()]).toEqual([cacheKey('chat', 'openai:gpt-5', request)]);
    expect(warnings).toEqual([]);
  });

  test('a line that is not JSON is a ConfigError naming file:line and the fix', () => {
    const text = `${HEADER}\n${entryLine('one')}\n{"key": oops}\n${entryLine('two', { ...request, n: 2 })}\n`;
    const error = parseError(() => parseCassette(text, FILE, () => undefined));
    expect(error.code).toBe('E_CASSETTE');
    expect(error.line).toBe(3);
    expect(error.message).toBe(
      `${FILE}:3: not valid JSON; delete the line or re-record with QUALIFY_CACHE=record`,
    );
  });

  test('a line that is JSON but not an entry names the first problem', () => {
    const bad = JSON.stringify({
      ...JSON.parse(entryLine('x')),
      response: { model: 'gpt-5', choices: [{ text: 3 }] },
    });
    const error = parseError(() => parseCassette(`${HEADER}\n${bad}\n`, FILE, () => undefined));
    expect(error.message).toBe(
      `${FILE}:2: not a cassette entry (response.choices.0.text: Invalid input: expected string, received number); delete the line or re-record with QUALIFY_CACHE=record`,
    );
  });

  test('a first line that is not the header says what the header looks like', () => {
    const error = parseError(() => parseCassette(`${entryLine('one')}\n`, FILE, () => undefined));
    expect(error.message).toBe(
      `${FILE}:1: the first line must be the header {"cassette":"vitest-qualify/cassette@1","source":"recorded"|"hand-written","note":"..."}; fix it or delete the file and re-record`,
    );
  });

  test('an unfinished last line is ignored with a warning, the rest still read', () => {
    const warnings: string[] = [];
    const text = `${HEADER}\n${entryLine('one')}\n${entryLine('two', { ...request, n: 2 }).slice(0, 40)}`;
    const cassette = parseCassette(text, FILE, (m) => warnings.push(m));
    expect(cassette.entries.size).toBe(1);
    expect(warnings).toEqual([`${FILE}:3: ignoring an unfinished last line (a write was cut short)`]);
  });

  test('serializeCassette sorts entries by key and ends with a newline', () => {
    const entries = ['a', 'b', 'c', 'd'].map((text) =>
      JSON.parse(entryLine(text, { ...request, system: text })),
    );
    const text = serializeCassette(RECORDED_HEADER, entries);
    const lines = text.split('\n');
    expect(lines.at(-1)).toBe('');
    const keys = lines.slice(1, -1).map((line) => (JSON.parse(line) as { key: string }).key);
    expect(keys).toEqual([...keys].sort());
    expect(keys.length).toBe(4);
    expect(parseCassette(text, FILE, () => undefined).entries.size).toBe(4);
  });
});

describe('ResponseCache with a damaged cassette', () => {
  test('a corrupt line fails the lookup with file:line; a truncated last line does not', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'qualify-cassette-'));
    try {
      await mkdir(join(dir, 'openai'));
      const file = join(dir, 'openai', 'gpt-5.jsonl');
      const ref = { id: 'openai:gpt-5', provider: 'openai', model: 'gpt-5' } as const;
      const warnings: string[] = [];
      const cache = new ResponseCache({ mode: 'replay', dir, warn: (m) => warnings.push(m) });

      await writeFile(file, `${HEADER}\nnot json\n`);
      await expect(cache.lookup(cache.slot('chat', ref, request))).rejects.toThrow(
        `${file}:2: not valid JSON; delete the line or re-record with QUALIFY_CACHE=record`,
      );

      await writeFile(file, `${HEADER}\n${entryLine('one')}\n{"key":"ab`);
      const hit = await cache.lookup(cache.slot('chat', ref, request));
      expect(hit?.response).toMatchObject({ choices: [{ text: 'one' }] });
      expect(warnings).toEqual([`${file}:3: ignoring an unfinished last line (a write was cut short)`]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
