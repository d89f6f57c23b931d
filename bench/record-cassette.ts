/**
 * The cassette write path alone, at scale (issue 14): `ResponseCache` in
 * `record` mode stores N answers one at a time, yielding between them as a run's
 * cases do, so the background flushes of 200 entries run while answers keep
 * coming; then the last flush, then the compaction a run does at its end.
 * Prints the wall time of the writes and of the compaction, peak RSS of this
 * process, the cassette's size and its entry count, as one JSON line.
 *
 *   npx tsx bench/record-cassette.ts            # 10,000 answers
 *   npx tsx bench/record-cassette.ts 2000
 *
 * Not a section of `npm run bench`: it runs in seconds and measures only
 * `src/providers/cache`, without Vitest, the agent or the fake provider.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ResponseCache } from '../src/providers/cache/cache.js';
import { parseCassette } from '../src/providers/cache/cassette.js';
import { compactCassettes } from '../src/providers/cache/file.js';
import type { ChatResponse, ModelRef } from '../src/providers/types.js';

const count = Number(process.argv[2] ?? 10_000);
const ref: ModelRef = { id: 'openai:model-a', provider: 'openai', model: 'model-a' };

/** An answer about the size of the bench world's (a sentence of text, a request id). */
function answer(i: number): ChatResponse {
  return {
    model: 'model-a',
    choices: [
      {
        text: `Answer ${i}: the refund was issued to the original card.`,
        toolCalls: [],
        finishReason: 'stop',
      },
    ],
    usage: { inputTokens: 120, outputTokens: 14, costUsd: 0, latencyMs: 0, retries: 0, cached: false },
    requestId: `req_${i}`,
  };
}

const dir = await mkdtemp(path.join(tmpdir(), 'qualify-record-'));
try {
  const cache = new ResponseCache({ mode: 'record', dir, warn: () => undefined });
  const startedAt = Date.now();
  const started = performance.now();
  for (let i = 0; i < count; i += 1) {
    const request = {
      model: ref.id,
      system: 'You are the support agent of an online shop.',
      messages: [{ role: 'user' as const, content: `Case ${i}: where is my refund for order ${1000 + i}?` }],
    };
    cache.store(cache.slot('chat', ref, request), answer(i));
    await new Promise((resolve) => setImmediate(resolve));
  }
  await cache.flush();
  const wallMs = performance.now() - started;
  // What the end of a run adds: one compaction of the cassette it appended to (absent before issue 14).
  const compacting = performance.now();
  await compactCassettes(dir, startedAt, () => undefined);
  const compactMs = performance.now() - compacting;
  const file = path.join(dir, 'openai', 'model-a.jsonl');
  const text = await readFile(file, 'utf8');
  const entries = parseCassette(text, file, () => undefined).entries.size;
  console.log(
    JSON.stringify({
      answers: count,
      wall_s: Number((wallMs / 1000).toFixed(2)),
      compact_s: Number((compactMs / 1000).toFixed(2)),
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
      cassette_mb: Number((text.length / 1024 / 1024).toFixed(1)),
      entries,
    }),
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
