import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { ResponseCache } from '../../src/providers/cache/cache.js';
import { parseCassette } from '../../src/providers/cache/cassette.js';
import { compactCassettes } from '../../src/providers/cache/file.js';
import { withFileLock } from '../../src/providers/cache/lock.js';
import type { ChatResponse, ModelRef } from '../../src/providers/types.js';

const ref: ModelRef = { id: 'openai:gpt-5', provider: 'openai', model: 'gpt-5' };

function response(text: string): ChatResponse {
  return {
    model: 'gpt-5',
    choices: [{ text, toolCalls: [], finishReason: 'stop' }],
    usage: { inputTokens: 1, outputTokens: 1, costUsd: 0, latencyMs: 0, retries: 0, cached: false },
  };
}

function chat(label: string) {
  return { model: ref.id, messages: [{ role: 'user' as const, content: label }] };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'qualify-lock-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readEntries(): Promise<string[]> {
  const reader = new ResponseCache({ mode: 'replay', dir });
  const text = await readFile(join(dir, 'openai', 'gpt-5.jsonl'), 'utf8');
  const lines = text.split('\n').slice(1, -1);
  for (const line of lines) {
    const { request } = JSON.parse(line) as { request: { messages: [{ content: string }] } };
    expect(await reader.lookup(reader.slot('chat', ref, chat(request.messages[0].content)))).toBeDefined();
  }
  return lines.map(
    (line) => (JSON.parse(line) as { response: { choices: [{ text: string }] } }).response.choices[0].text,
  );
}

describe('concurrent writers', () => {
  test('two cache instances writing the same cassette in many small batches lose no entry', async () => {
    const writers = ['a', 'b'].map(() => new ResponseCache({ mode: 'auto', dir, flushMaxEntries: 7 }));
    await Promise.all(
      writers.map(async (writer, w) => {
        for (let i = 0; i < 120; i += 1) {
          writer.store(writer.slot('chat', ref, chat(`w${w}-${i}`)), response(`w${w}-${i}`));
          if (i % 5 === 0) await new Promise((r) => setImmediate(r));
        }
        await writer.flush();
      }),
    );
    const texts = await readEntries();
    expect(texts.length).toBe(240);
    expect(new Set(texts).size).toBe(240);
    expect((await readdir(join(dir, 'openai'))).sort()).toEqual(['gpt-5.jsonl']);
  });

  test('a child process and this one writing the same cassette lose no entry', async () => {
    const cacheModule = pathToFileURL(resolve('src/providers/cache/cache.ts')).href;
    const script = join(dir, 'writer.mts');
    await writeFile(
      script,
      `import { ResponseCache } from ${JSON.stringify(cacheModule)};
const cache = new ResponseCache({ mode: 'auto', dir: ${JSON.stringify(dir)}, flushMaxEntries: 5 });
const ref = { id: 'openai:gpt-5', provider: 'openai', model: 'gpt-5' };
console.log('ready');
for (let i = 0; i < 100; i += 1) {
  const text = 'child-' + i;
  cache.store(cache.slot('chat', ref, { model: ref.id, messages: [{ role: 'user', content: text }] }), {
    model: 'gpt-5', choices: [{ text, toolCalls: [], finishReason: 'stop' }],
    usage: { inputTokens: 1, outputTokens: 1, costUsd: 0, latencyMs: 0, retries: 0, cached: false },
  });
  await new Promise((r) => setTimeout(r, 1));
}
await cache.flush();
`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<number | null>((done) => child.on('exit', done));
    await new Promise<void>((ready) => child.stdout.once('data', () => ready()));

    const parent = new ResponseCache({ mode: 'auto', dir, flushMaxEntries: 5 });
    for (let i = 0; i < 100; i += 1) {
      parent.store(parent.slot('chat', ref, chat(`parent-${i}`)), response(`parent-${i}`));
      await new Promise((r) => setTimeout(r, 1));
    }
    await parent.flush();
    expect(await exited).toBe(0);

    const texts = await readEntries();
    expect(texts.length).toBe(200);
    expect(texts.filter((t) => t.startsWith('child-')).length).toBe(100);
    expect(texts.filter((t) => t.startsWith('parent-')).length).toBe(100);
  });
});

describe('appending and compacting', () => {
  const childWriter = (count: number, batch: number, pause: number): string => {
    const cacheModule = pathToFileURL(resolve('src/providers/cache/cache.ts')).href;
    return `import { ResponseCache } from ${JSON.stringify(cacheModule)};
const cache = new ResponseCache({ mode: 'auto', dir: ${JSON.stringify(dir)}, flushMaxEntries: ${batch} });
const ref = { id: 'openai:gpt-5', provider: 'openai', model: 'gpt-5' };
console.log('ready');
for (let i = 0; i < ${count}; i += 1) {
  const text = 'child-' + i + '-' + 'x'.repeat(2000);
  cache.store(cache.slot('chat', ref, { model: ref.id, messages: [{ role: 'user', content: 'child-' + i }] }), {
    model: 'gpt-5', choices: [{ text, toolCalls: [], finishReason: 'stop' }],
    usage: { inputTokens: 1, outputTokens: 1, costUsd: 0, latencyMs: 0, retries: 0, cached: false },
  });
  await new Promise((r) => setTimeout(r, ${pause}));
}
await cache.flush();
`;
  };

  const startChild = async (code: string) => {
    const script = join(dir, 'writer.mts');
    await writeFile(script, code);
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<number | null>((done) =>
      child.on('exit', (code, signal) => done(code ?? (signal ? -1 : null))),
    );
    await new Promise<void>((ready) => child.stdout.once('data', () => ready()));
    return { child, exited };
  };

  test('a writer killed mid-append leaves whole lines but at most the last; the next append cuts it off and keeps the rest', async () => {
    // Batches of 50 lines of about 2 KB: a write of 100 KB, which a SIGKILL can cut short.
    const { child, exited } = await startChild(childWriter(100_000, 50, 0));
    const file = join(dir, 'openai', 'gpt-5.jsonl');
    // Kill once a few batches are on disk, while more are being written.
    for (let tries = 0; tries < 500; tries += 1) {
      const size = await readFile(file, 'utf8').then(
        (t) => t.length,
        () => 0,
      );
      if (size > 1_000_000) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    child.kill('SIGKILL');
    expect(await exited).toBe(-1);
    const text = await readFile(file, 'utf8');
    const warnings: string[] = [];
    const { entries } = parseCassette(text, file, (m) => warnings.push(m));
    expect(entries.size).toBeGreaterThanOrEqual(50);
    // Every line but an unfinished last one parses (parseCassette throws on any other).
    expect(warnings.length).toBe(text.endsWith('\n') ? 0 : 1);

    const parent = new ResponseCache({ mode: 'auto', dir, flushMaxEntries: 1000, warn: () => undefined });
    parent.store(parent.slot('chat', ref, chat('after')), response('after'));
    await parent.flush();
    const repaired = await readFile(file, 'utf8');
    const after: string[] = [];
    expect(parseCassette(repaired, file, (m) => after.push(m)).entries.size).toBe(entries.size + 1);
    expect(after).toEqual([]);
    // What was whole before is byte for byte where it was.
    expect(repaired.startsWith(text.slice(0, text.lastIndexOf('\n') + 1))).toBe(true);
  });

  test('compactions in one process while another appends lose no entry and end sorted, one line per key', async () => {
    const { exited } = await startChild(childWriter(150, 5, 1));
    const parent = new ResponseCache({ mode: 'auto', dir, flushMaxEntries: 5 });
    const file = join(dir, 'openai', 'gpt-5.jsonl');
    for (let i = 0; i < 60; i += 1) {
      parent.store(parent.slot('chat', ref, chat(`parent-${i}`)), response(`parent-${i}`));
      // A key the child never writes, written twice: compaction keeps the later answer.
      if (i % 20 === 0) parent.store(parent.slot('chat', ref, chat('twice')), response(`twice-${i}`));
      if (i % 10 === 0) await compactCassettes(dir, 0, () => undefined);
      await new Promise((r) => setTimeout(r, 3));
    }
    await parent.flush();
    expect(await exited).toBe(0);
    expect(await compactCassettes(dir, 0, () => undefined)).toEqual([file]);
    const text = await readFile(file, 'utf8');
    const keys = text
      .split('\n')
      .slice(1, -1)
      .map((line) => (JSON.parse(line) as { key: string }).key);
    expect(keys).toEqual([...new Set(keys)].sort());
    const texts = await readEntries();
    expect(texts.filter((t) => t.startsWith('child-'))).toHaveLength(150);
    expect(texts.filter((t) => t.startsWith('parent-'))).toHaveLength(60);
    expect(texts.filter((t) => t.startsWith('twice-'))).toEqual(['twice-40']);
    expect((await readdir(join(dir, 'openai'))).sort()).toEqual(['gpt-5.jsonl']);
  });
});

describe('withFileLock', () => {
  test('holders take turns', async () => {
    const lock = join(dir, 'x.lock');
    let holders = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 6 }, () =>
        withFileLock(lock, async () => {
          holders += 1;
          peak = Math.max(peak, holders);
          await new Promise((r) => setTimeout(r, 5));
          holders -= 1;
        }),
      ),
    );
    expect(peak).toBe(1);
    expect(await readdir(dir)).toEqual([]);
  });

  test('breaks a lock whose process is gone', async () => {
    const lock = join(dir, 'x.lock');
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
    await writeFile(lock, JSON.stringify({ pid: deadPid, token: 't', created_at: Date.now() }));
    await expect(withFileLock(lock, async () => 'ran', { timeoutMs: 1000 })).resolves.toBe('ran');
  });

  test('breaks a lock older than staleMs', async () => {
    const lock = join(dir, 'x.lock');
    await writeFile(lock, JSON.stringify({ pid: process.pid, token: 't', created_at: 1_000 }));
    const result = await withFileLock(lock, async () => 'ran', { now: () => 31_001, timeoutMs: 1000 });
    expect(result).toBe('ran');
  });

  test('waits for a live, fresh lock and then says who holds it and what to do', async () => {
    const lock = join(dir, 'x.lock');
    await writeFile(lock, JSON.stringify({ pid: process.pid, token: 't', created_at: Date.now() }));
    await expect(withFileLock(lock, async () => 'ran', { timeoutMs: 50 })).rejects.toMatchObject({
      code: 'E_CACHE_LOCK',
      message: `${lock} has been held by pid ${process.pid} for 0 s; if no qualify run is active, delete it`,
    });
  });

  test('does not remove a lock another process took after breaking ours as stale', async () => {
    const lock = join(dir, 'x.lock');
    const theirs = JSON.stringify({ pid: process.pid, token: 'theirs', created_at: Date.now() });
    await withFileLock(lock, async () => {
      await writeFile(lock, theirs);
    });
    expect(await readFile(lock, 'utf8')).toBe(theirs);
  });
});
