/**
 * Shards share the provider limits (issue 14): four `vitest run --shard=i/4`
 * processes at once against ONE fake provider. Each shard's limiter takes
 * `floor(rpm / 4)` and `floor(max_in_flight / 4)`, so together they keep the
 * rubric's limits; with `shard_rpm` / `shard_max_in_flight` each takes its own.
 *
 * The rate check is the limiter's own rule, read at the fake: a token bucket of
 * `burst` starts refilled every `I = 60 s / rpm` lets at most `burst + k` starts
 * into any window of length `(k + 1/2) I` (GCRA: `burst + floor(W / I)`), for
 * every k. A slower machine only spreads the starts, which lowers the counts;
 * the half interval of slack means a delay between a start and its arrival
 * that varies by less than `I / 2` cannot move a start into a window it was
 * not in. The client loads the SDK before a call takes its slot (a first call
 * that loaded it inside the slot arrived up to seconds late on a loaded
 * machine, which broke this rule at the fake by one start), so what is left is
 * the request's trip over loopback and event-loop stalls: the limits are small,
 * I = 4 s per shard, for 2 s of slack. The in-flight check counts
 * at the fake from arrival to the response's close, an interval inside the one
 * a client holds its slot for, so it can only undercount the limiter's.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { evalResponder } from '../fake-provider/eval-responder.js';
import { startFakeProvider, type FakeProvider } from '../fake-provider/index.js';
import type { RecordedRequest } from '../fake-provider/types.js';
import { evalProject, providerEnv, type RunResult } from '../e2e/harness.js';
import { checkCassettes } from './files.js';

const SHARDS = 4;
/** Cases per case file; Vitest shards by file, so one file per shard. */
const PER_FILE = 4;
/** Each case: an agent call and one judge sample, both `openai:`, both through the one `openai` limiter. */
const REQUESTS_PER_SHARD = PER_FILE * 2;
const LATENCY_MS = 400;

const question = (i: number): string => `Question number ${i}`;

function caseFile(file: number): string {
  const lines = ['cases:'];
  for (let j = 0; j < PER_FILE; j++) {
    const i = file * PER_FILE + j;
    lines.push(
      `  - id: case-${i}`,
      `    input: "${question(i)}"`,
      '    criteria: [{ id: correct, text: "Correct" }]',
    );
  }
  return `${lines.join('\n')}\n`;
}

function rubric(openai: string): string {
  return `model_primary: openai:model-a
judge: openai:judge-1
embeddings: openai:embed-1
system_prompt: Answer briefly.
judge_samples: 1
thresholds: { rubric_min_score: 0.5, ragas: 0.5, max_per_case_regression: 3 }
cases: ["eval/cases/*.yaml"]
providers: { openai: { ${openai}, max_retries: 0, timeout_s: 60 } }
`;
}

function projectFiles(openai: string): Record<string, string> {
  const files: Record<string, string> = { 'rubric.yaml': rubric(openai) };
  for (let f = 0; f < SHARDS; f++) files[`eval/cases/part-${f}.yaml`] = caseFile(f);
  return files;
}

/** The case file a request belongs to (so its shard): the agent's input and the judge's prompt both carry the question. */
function fileOf(req: RecordedRequest): number {
  const match = /Question number (\d+)/.exec(JSON.stringify(req.body));
  if (!match)
    throw new Error(`request ${req.id} names no question: ${JSON.stringify(req.body).slice(0, 200)}`);
  return Math.floor(Number(match[1]) / PER_FILE);
}

/** The most times in any closed window `[t, t + width]`. */
function mostInWindow(times: readonly number[], width: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! > width) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

/** Windows of `(k + 1/2) I` that break the bucket's rule `burst + k` (times `shards`), as readable lines. */
function rateBreaches(times: readonly number[], rpm: number, burst: number, shards: number): string[] {
  const interval = 60_000 / rpm;
  const breaches: string[] = [];
  for (let k = 0; k <= times.length; k++) {
    const width = (k + 0.5) * interval;
    const seen = mostInWindow(times, width);
    if (seen > shards * (burst + k))
      breaches.push(`${seen} starts in ${width} ms, more than ${shards * (burst + k)}`);
  }
  return breaches;
}

/** The most requests open at the fake at once, from arrival to the response's close. */
function peakOpen(requests: readonly RecordedRequest[]): number {
  const events = requests.flatMap((r) => [
    { t: r.at, d: 1 },
    { t: r.closedAt ?? Infinity, d: -1 },
  ]);
  // At equal times a close goes first: a slot given back and taken again is not two at once.
  events.sort((a, b) => a.t - b.t || a.d - b.d);
  let open = 0;
  let peak = 0;
  for (const e of events) {
    open += e.d;
    peak = Math.max(peak, open);
  }
  return peak;
}

let fake: FakeProvider;
beforeAll(async () => {
  fake = await startFakeProvider({ fallback: evalResponder({ answers: {} }), latencyMs: LATENCY_MS });
});
afterAll(async () => {
  await fake.close();
});

/**
 * The four shards at once, recording (`QUALIFY_CACHE=record`): all four append to the same two
 * cassettes and each compacts them at its end, under the lock. Each must pass; the cassettes must
 * hold every answer once, whole and sorted.
 */
async function runShards(openai: string): Promise<RunResult[]> {
  fake.reset();
  await using project = await evalProject(projectFiles(openai));
  const env = { ...providerEnv(fake), QUALIFY_CACHE: 'record' };
  const runs = await Promise.all(
    Array.from({ length: SHARDS }, (_, i) =>
      project.vitest(['run', '--project', 'eval', `--shard=${i + 1}/${SHARDS}`, '--reporter=blob'], env),
    ),
  );
  for (const run of runs) expect(run.code, run.stdout + run.stderr).toBe(0);
  expect(fake.requests).toHaveLength(SHARDS * REQUESTS_PER_SHARD);
  const cassettes = await checkCassettes(`${project.dir}/eval/cassettes`);
  expect(cassettes).toEqual({
    entries: { 'openai/judge-1.jsonl': SHARDS * PER_FILE, 'openai/model-a.jsonl': SHARDS * PER_FILE },
    warnings: [],
    unsettled: [],
  });
  return runs;
}

function byShard(requests: readonly RecordedRequest[]): RecordedRequest[][] {
  const groups: RecordedRequest[][] = Array.from({ length: SHARDS }, () => []);
  for (const r of requests) groups[fileOf(r)]!.push(r);
  return groups;
}

function limitLine(run: RunResult): string | undefined {
  return run.stdout.split('\n').find((line) => line.startsWith('vitest-qualify: shard '));
}

describe('four shards against one provider', { timeout: 300_000 }, () => {
  test('together they stay within rpm and max_in_flight: each takes a quarter', async () => {
    // 60 rpm / 4 = 15 per shard: one start every 4 s after a burst of ceil(15 / 10) = 2; 8 in flight / 4 = 2.
    const runs = await runShards('rpm: 60, max_in_flight: 8');
    expect(runs.map(limitLine).sort()).toEqual(
      [1, 2, 3, 4].map(
        (i) =>
          `vitest-qualify: shard ${i}/4 uses its share of the provider limits: openai rpm 15 (60 / 4), max_in_flight 2 (8 / 4)`,
      ),
    );
    const arrivals = fake.requests.map((r) => r.at);
    expect(rateBreaches(arrivals, 15, 2, SHARDS)).toEqual([]);
    expect(peakOpen(fake.requests)).toBeLessThanOrEqual(8);
    for (const shard of byShard(fake.requests)) {
      expect(shard).toHaveLength(REQUESTS_PER_SHARD);
      expect(
        rateBreaches(
          shard.map((r) => r.at),
          15,
          2,
          1,
        ),
      ).toEqual([]);
      expect(peakOpen(shard)).toBeLessThanOrEqual(2);
    }
    const spanS = (Math.max(...arrivals) - Math.min(...arrivals)) / 1000;
    // The measured figures, for the record (issue 14 asks for them).
    console.log(
      `shared limits: ${arrivals.length} requests over ${spanS.toFixed(1)} s; most in any 60 s window ` +
        `${mostInWindow(arrivals, 60_000)} (rpm 60); most in 2 s ${mostInWindow(arrivals, 2000)} (bound 8), in 10 s ` +
        `${mostInWindow(arrivals, 10_000)} (bound 16); peak in flight ${peakOpen(fake.requests)} (max_in_flight 8); ` +
        `per shard ${byShard(fake.requests).map(peakOpen).join(', ')}`,
    );
  });

  test('with shard_rpm and shard_max_in_flight each shard takes its own limits, not a quarter', async () => {
    // The quarter would be rpm 3 (one start every 20 s after a burst of 1) and 1 in flight.
    const runs = await runShards('rpm: 15, max_in_flight: 2, shard_rpm: 15, shard_max_in_flight: 2');
    expect(runs.map(limitLine).sort()).toEqual(
      [1, 2, 3, 4].map(
        (i) =>
          `vitest-qualify: shard ${i}/4 uses its share of the provider limits: openai rpm 15 (shard_rpm), max_in_flight 2 (shard_max_in_flight)`,
      ),
    );
    for (const shard of byShard(fake.requests)) {
      expect(
        rateBreaches(
          shard.map((r) => r.at),
          15,
          2,
          1,
        ),
      ).toEqual([]);
      // Two at once in every shard: the quarter (1) would never allow it.
      expect(peakOpen(shard)).toBe(2);
      // Under the quarter these 8 requests need at least (8 - 1) x 20 s = 140 s; their own limits, (8 - 2) x 4 s.
      const spanMs = Math.max(...shard.map((r) => r.at)) - Math.min(...shard.map((r) => r.at));
      expect(spanMs).toBeLessThan(140_000);
    }
  });
});
