/**
 * The cassette write path (issue 14): batches are appended, a torn last line is
 * cut off before the next append, and the end of a run compacts what it wrote.
 */
import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { ResponseCache } from '../../../src/providers/cache/cache.js';
import {
  RECORDED_HEADER,
  entryLines,
  makeEntry,
  parseCassette,
} from '../../../src/providers/cache/cassette.js';
import type { CassetteEntry } from '../../../src/providers/cache/cassette.js';
import { appendCassette, compactCassette, compactCassettes } from '../../../src/providers/cache/file.js';
import { keyedRequest } from '../../../src/providers/cache/key.js';
import type { ChatRequest } from '../../../src/providers/types.js';

const MODEL = 'openai:gpt-5';
const HEADER = `${JSON.stringify(RECORDED_HEADER)}\n`;
const AT = new Date('2026-12-01T10:00:00.000Z');

function entry(question: string, answer: string): CassetteEntry {
  const request: ChatRequest = { model: MODEL, messages: [{ role: 'user', content: question }] };
  const keyed = keyedRequest(request);
  // Members in the canonical (sorted) order the cache stores an answer in.
  const stored = {
    choices: [{ finishReason: 'stop' as const, text: answer, toolCalls: [] }],
    model: 'gpt-5',
    usage: { inputTokens: 1, outputTokens: 1 },
  };
  return makeEntry('chat', MODEL, keyed, stored, AT);
}

function batch(...entries: CassetteEntry[]): Map<string, CassetteEntry> {
  return new Map(entries.map((e) => [e.key, e]));
}

function answers(text: string, warn: (message: string) => void = () => undefined): Record<string, string> {
  const { entries } = parseCassette(text, 'x.jsonl', warn);
  return Object.fromEntries(
    [...entries.values()].map((e) => [
      (e.request.messages as { content: string }[])[0]!.content,
      (e.response as { choices: { text: string }[] }).choices[0]!.text,
    ]),
  );
}

/** The key of each entry line, in file order. */
function lineKeys(text: string): string[] {
  return text
    .split('\n')
    .slice(1, -1)
    .map((line) => (JSON.parse(line) as { key: string }).key);
}

let dir: string;
let file: string;
let warnings: string[];
const warn = (message: string): void => void warnings.push(message);
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'qualify-append-'));
  file = join(dir, 'openai', 'gpt-5.jsonl');
  warnings = [];
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('appendCassette', () => {
  test('creates the cassette with its header, then appends each batch after what is there, sorted within it', async () => {
    const [a, b, c] = [entry('a?', 'A'), entry('b?', 'B'), entry('c?', 'C')];
    await appendCassette(file, batch(a, b), warn, undefined);
    const first = await readFile(file, 'utf8');
    expect(first).toBe(HEADER + entryLines([a, b]));
    await appendCassette(file, batch(c), warn, undefined);
    expect(await readFile(file, 'utf8')).toBe(first + entryLines([c]));
    expect(answers(await readFile(file, 'utf8'))).toEqual({ 'a?': 'A', 'b?': 'B', 'c?': 'C' });
    expect(warnings).toEqual([]);
  });

  test('a key appended again is read as its later answer', async () => {
    await appendCassette(file, batch(entry('a?', 'old')), warn, undefined);
    await appendCassette(file, batch(entry('a?', 'new')), warn, undefined);
    const text = await readFile(file, 'utf8');
    expect(text.split('\n')).toHaveLength(4);
    expect(answers(text)).toEqual({ 'a?': 'new' });
  });

  test('a line cut short by a crash is dropped, with a warning, before the next batch; the rest is kept', async () => {
    const [a, b, c] = [entry('a?', 'A'), entry('b?', 'B'), entry('c?', 'C')];
    const torn = entryLines([b]).slice(0, 40);
    await mkdir(join(dir, 'openai'), { recursive: true });
    await writeFile(file, HEADER + entryLines([a]) + torn);
    // Until then a reader skips it with today's warning.
    const readerWarnings: string[] = [];
    expect(answers(await readFile(file, 'utf8'), (m) => readerWarnings.push(m))).toEqual({ 'a?': 'A' });
    expect(readerWarnings).toEqual(['x.jsonl:3: ignoring an unfinished last line (a write was cut short)']);

    await appendCassette(file, batch(c), warn, undefined);
    expect(warnings).toEqual([
      `${file}: dropped an unfinished last line (a write was cut short) before adding entries`,
    ]);
    expect(await readFile(file, 'utf8')).toBe(HEADER + entryLines([a]) + entryLines([c]));
  });

  test('a header cut short (a crash while creating the file) is replaced by a whole one', async () => {
    await mkdir(join(dir, 'openai'), { recursive: true });
    await writeFile(file, HEADER.slice(0, 20));
    await appendCassette(file, batch(entry('a?', 'A')), warn, undefined);
    expect(await readFile(file, 'utf8')).toBe(HEADER + entryLines([entry('a?', 'A')]));
    expect(warnings).toHaveLength(1);
  });

  test('a torn line longer than the tail chunk read at once is found and dropped', async () => {
    const a = entry('a?', 'A');
    const long = entryLines([entry('b?', 'x'.repeat(200_000))]).slice(0, 150_000);
    await mkdir(join(dir, 'openai'), { recursive: true });
    await writeFile(file, HEADER + entryLines([a]) + long);
    await appendCassette(file, batch(entry('c?', 'C')), warn, undefined);
    expect(answers(await readFile(file, 'utf8'))).toEqual({ 'a?': 'A', 'c?': 'C' });
  });

  test('a hand-written cassette keeps its header', async () => {
    const header = '{"cassette":"vitest-qualify/cassette@1","source":"hand-written","note":"by hand"}\n';
    await mkdir(join(dir, 'openai'), { recursive: true });
    await writeFile(file, header);
    await appendCassette(file, batch(entry('a?', 'A')), warn, undefined);
    expect(await readFile(file, 'utf8')).toBe(header + entryLines([entry('a?', 'A')]));
  });
});

describe('compactCassette', () => {
  test('rewrites appended batches as one sorted line per key, the later answer kept, and leaves a settled file alone', async () => {
    const [a, b, c] = [entry('a?', 'A'), entry('b?', 'B'), entry('c?', 'C')];
    await appendCassette(file, batch(c, b), warn, undefined);
    await appendCassette(file, batch(a, entry('c?', 'C2')), warn, undefined);
    expect(await compactCassette(file, warn, undefined)).toBe(true);
    const settled = await readFile(file, 'utf8');
    expect(settled.startsWith(HEADER)).toBe(true);
    expect(lineKeys(settled)).toEqual([a.key, b.key, c.key].sort());
    expect(answers(settled)).toEqual({ 'a?': 'A', 'b?': 'B', 'c?': 'C2' });
    expect(await compactCassette(file, warn, undefined)).toBe(false);
    expect(await readFile(file, 'utf8')).toBe(settled);
    expect(await compactCassette(join(dir, 'none.jsonl'), warn, undefined)).toBe(false);
  });

  test('compactCassettes takes only the cassettes changed since the run started', async () => {
    const [low, high] = [entry('a?', 'A'), entry('b?', 'B')].sort((x, y) => (x.key < y.key ? -1 : 1));
    const old = join(dir, 'openai', 'old.jsonl');
    const unsorted = HEADER + entryLines([high!]) + entryLines([low!]);
    await appendCassette(file, batch(high!), warn, undefined);
    await appendCassette(file, batch(low!), warn, undefined);
    expect(await readFile(file, 'utf8')).toBe(unsorted);
    await writeFile(old, unsorted);
    const started = Date.now() - 1000;
    await utimes(old, new Date(started - 60_000), new Date(started - 60_000));
    expect(await compactCassettes(dir, started, warn)).toEqual([file]);
    expect(lineKeys(await readFile(file, 'utf8'))).toEqual([low!.key, high!.key]);
    expect(await readFile(old, 'utf8')).toBe(unsorted);
  });
});

describe('ResponseCache over appended cassettes', () => {
  test('batches append; a lookup after a write sees this process’s entries without reading the file again', async () => {
    const ref = { id: MODEL, provider: 'openai' as const, model: 'gpt-5' };
    const cache = new ResponseCache({ mode: 'auto', dir, flushDelayMs: 60_000, now: () => AT.getTime() });
    const ask = (q: string): ChatRequest => ({ model: MODEL, messages: [{ role: 'user', content: q }] });
    const reply = (text: string) => ({
      model: 'gpt-5',
      choices: [{ text, toolCalls: [], finishReason: 'stop' as const }],
      usage: { inputTokens: 1, outputTokens: 1, costUsd: 0, latencyMs: 0, retries: 0, cached: false },
    });
    expect(await cache.lookup(cache.slot('chat', ref, ask('b?')))).toBeUndefined();
    cache.store(cache.slot('chat', ref, ask('b?')), reply('B'));
    await cache.flush();
    cache.store(cache.slot('chat', ref, ask('a?')), reply('A'));
    await cache.flush();
    expect(await readFile(file, 'utf8')).toBe(
      HEADER + entryLines([entry('b?', 'B')]) + entryLines([entry('a?', 'A')]),
    );
    // The file now also holds a line another process appended; this cache answers from what it knows.
    await appendCassette(file, batch(entry('z?', 'Z')), warn, undefined);
    const hit = await cache.lookup(cache.slot('chat', ref, ask('a?')));
    expect(hit?.response).toEqual({ ...reply('A'), usage: { inputTokens: 1, outputTokens: 1 } });
  });
});
