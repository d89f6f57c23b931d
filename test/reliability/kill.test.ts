/**
 * A run killed mid-way (SIGTERM and SIGKILL to the whole process group, as a
 * cancelled CI job or the OOM killer does) leaves nothing corrupt: every
 * cassette line parses (a SIGKILL mid-append may cut the last one short, which
 * readers skip and the next write drops), the scorecard is absent or complete;
 * and the next run resumes from the cassettes, calling only what was not
 * recorded, and leaves them compacted.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { evalResponder } from '../fake-provider/eval-responder.js';
import { startFakeProvider, type FakeProvider } from '../fake-provider/index.js';
import { evalProject, providerEnv, type EvalProject } from '../e2e/harness.js';
import { checkCassettes, total } from './files.js';
import { startGroup, until } from './process.js';
import { coldRequests, manyCases, rubric, worldScript } from './world.js';

const N = 24;
/** One world for rules and fallback: it remembers which question each answer was for. */
const world = evalResponder(worldScript(N));
let fake: FakeProvider;
beforeAll(async () => {
  fake = await startFakeProvider({ fallback: world });
});
afterEach(() => fake.reset());
afterAll(async () => {
  await fake.close();
});

const env = () => ({ ...providerEnv(fake), QUALIFY_CACHE: 'auto' });
const args = ['run', '--project', 'eval'];

/** The scorecard, if any, must be whole JSON: it is written to a temp file and renamed. */
async function scorecardIsAbsentOrWhole(project: EvalProject): Promise<void> {
  const file = `${project.dir}/eval/out/scorecard.json`;
  if (!existsSync(file)) return;
  const card = JSON.parse(await readFile(file, 'utf8')) as { cases: unknown[] };
  expect(card.cases).toHaveLength(N);
}

/** Kill the run's process group and wait until its last process (the worker) is gone. */
async function killAndWait(run: ReturnType<typeof startGroup>, signal: NodeJS.Signals): Promise<void> {
  run.killGroup(signal);
  await run.exited;
  await until(() => run.groupGone(), 30_000);
}

describe('a run killed mid-way', { timeout: 300_000 }, () => {
  test('SIGTERM: the answers already received are written before the worker stops; the next run calls only the rest', async () => {
    await using project = await evalProject({
      'rubric.yaml': rubric({ max_retries: 0, timeout_s: 120 }),
      'eval/cases.yaml': manyCases(N, { context: false }),
    });
    // Half of the agent calls are answered; everything after that hangs, so the run is stuck mid-way.
    fake.on({ model: 'model-a' }, world, { times: N / 2 });
    fake.on({}, { fault: { kind: 'hang' } });
    const run = startGroup(project.dir, args, env());
    // All 24 agent calls, then a judge call from each answered case: its answer has been stored.
    await until(() => fake.stats.requests === N + N / 2);
    await killAndWait(run, 'SIGTERM');

    const after = await checkCassettes(`${project.dir}/eval/cassettes`);
    expect(after.warnings).toEqual([]);
    // Stored within the last 250 ms (one write batch), so only the flush on SIGTERM can have written them.
    expect(after.entries).toEqual({ 'openai/model-a.jsonl': N / 2 });
    await scorecardIsAbsentOrWhole(project);

    fake.reset();
    const resumed = await project.vitest(args, env());
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
    expect(fake.stats.requests).toBe(coldRequests(N, { context: false }) - N / 2);
    const card = await project.scorecard();
    expect(card.cases).toHaveLength(N);
    expect(card.usage.cached_calls).toBe(N / 2);
    // The resumed run appended its answers batch by batch; at its end it compacted them: sorted, one line per key.
    const settled = await checkCassettes(`${project.dir}/eval/cassettes`);
    expect(settled.unsettled).toEqual([]);
    expect(settled.warnings).toEqual([]);
  });

  test('SIGKILL: every cassette written is whole; the next run calls exactly what is not in them', async () => {
    await using project = await evalProject({
      'rubric.yaml': rubric({ max_retries: 0, timeout_s: 120, max_in_flight: 4 }),
      'eval/cases.yaml': manyCases(N),
    });
    fake.setLatency(100);
    const run = startGroup(project.dir, args, env());
    // Kill once a few write batches have landed, with more on the way.
    await until(async () => {
      const { entries } = await checkCassettes(`${project.dir}/eval/cassettes`).catch(() => ({
        entries: {},
      }));
      return total(entries) >= 6;
    });
    await killAndWait(run, 'SIGKILL');
    const servedBeforeKill = fake.stats.requests;

    const after = await checkCassettes(`${project.dir}/eval/cassettes`);
    // Batches are appended: a kill inside a write can leave the last line unfinished, at most one per cassette.
    for (const warning of after.warnings) expect(warning).toMatch(/:\d+: ignoring an unfinished last line/);
    expect(after.warnings.length).toBeLessThanOrEqual(Object.keys(after.entries).length);
    const recorded = total(after.entries);
    expect(recorded).toBeGreaterThanOrEqual(6);
    expect(recorded).toBeLessThanOrEqual(servedBeforeKill);
    await scorecardIsAbsentOrWhole(project);

    fake.reset();
    const resumed = await project.vitest(args, env());
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
    // Each recorded entry answers exactly one request of the next run; a lock left by the killed writer is broken.
    expect(fake.stats.requests).toBe(coldRequests(N) - recorded);
    expect((await project.scorecard()).cases).toHaveLength(N);
    const settled = await checkCassettes(`${project.dir}/eval/cassettes`);
    expect(settled.warnings).toEqual([]);
    expect(settled.unsettled).toEqual([]);
  });
});
