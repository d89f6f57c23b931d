/**
 * Provider faults at the shipped provider settings (no `providers:` key): 80
 * cases run through real Vitest against a healthy fake provider, then once per
 * seed against one that answers 30% of requests 429 (`retry-after: 0`), 10% 503,
 * hangs on 5% past the default 60 s timeout and resets 2% of connections. Every
 * faulty run must come to the same verdict and scorecard, lose and duplicate
 * nothing and report one retry per fault (or, where a call outlived its retry
 * budget, recover its case on the second pass); the wall time the faults cost is printed.
 *
 * A hang costs 60 s, so the seeds run side by side, each its own Vitest process,
 * fake provider and scratch project. `QUALIFY_FAULT_SEEDS=3` runs three of the 20.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { evalResponder } from '../fake-provider/eval-responder.js';
import {
  faultsBeforeAnswers,
  startFakeProvider,
  type FakeProviderStats,
  type FaultPlan,
} from '../fake-provider/index.js';
import { evalProject, providerEnv, type RunResult } from '../e2e/harness.js';
import type { Scorecard } from '../../src/scorecard/types.js';
import { caseIds, coldRequests, comparable, manyCases, rubric, worldScript } from './world.js';

const N = 80;
const SEEDS = Array.from({ length: Number(process.env['QUALIFY_FAULT_SEEDS'] ?? 20) }, (_, i) => i + 1);
/** Vitest processes at once: the runs mostly wait on hangs, so more than the cores. */
const PARALLEL = 10;
const PLAN: FaultPlan = { rate429: 0.3, retryAfterS: 0, rate503: 0.1, rateHang: 0.05, rateReset: 0.02 };
const ARGS = ['run', '--project', 'eval'];

interface Run {
  seed: number;
  result: RunResult;
  card: Scorecard;
  markdown: string;
  stats: FakeProviderStats;
  wallMs: number;
}

/** One run of the 80 cases in its own scratch project against its own fake provider. */
async function runOnce(seed: number, plan: FaultPlan | undefined): Promise<Run> {
  const fake = await startFakeProvider({
    seed,
    fallback: evalResponder(worldScript(N)),
    ...(plan === undefined ? {} : { faults: plan }),
  });
  try {
    await using project = await evalProject({ 'rubric.yaml': rubric({}), 'eval/cases.yaml': manyCases(N) });
    const started = performance.now();
    const result = await project.vitest(ARGS, providerEnv(fake));
    const wallMs = performance.now() - started;
    const card = await project.scorecard();
    const markdown = await project.read('eval/out/scorecard.md');
    return { seed, result, card, markdown, stats: fake.stats, wallMs };
  } finally {
    await fake.close();
  }
}

/** `items` mapped by `fn`, at most `limit` at once, in order. */
async function pool<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);
const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
function spread(values: number[], show: (v: number) => string = String): string {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
  return `min ${show(sorted[0] ?? 0)}, median ${show(median)}, max ${show(sorted.at(-1) ?? 0)}`;
}

let clean: Run;
let faulty: Run[];
beforeAll(async () => {
  clean = await runOnce(0, undefined);
  faulty = await pool(SEEDS, PARALLEL, (seed) => runOnce(seed, PLAN));
}, 1_200_000);

afterAll(() => {
  if (!faulty) return;
  const injected = faulty.map((run) => sum(Object.values(run.stats.faults)));
  const lost = faulty.map((run) => run.card.cases.filter((c) => c.error !== null).length);
  const twice = faulty.map((run) => run.card.second_pass?.errored ?? 0);
  const lines = [
    `faults suite: ${N} cases, shipped provider defaults, ${SEEDS.length} seeds, ${PARALLEL} at a time`,
    `fault-free: ${clean.stats.requests} requests, ${s(clean.wallMs)}`,
    ...faulty.map(
      (run, i) =>
        `seed ${run.seed}: faults ${JSON.stringify(run.stats.faults)} (${injected[i]}), retries ${run.card.usage.retries}, ` +
        `requests ${run.stats.requests}, second pass ${twice[i]}, cases lost ${lost[i]}, ${s(run.wallMs)}`,
    ),
    `faults per seed: ${spread(injected)}; hangs: ${spread(faulty.map((run) => run.stats.faults['hang'] ?? 0))}`,
    `retries per seed: ${spread(faulty.map((run) => run.card.usage.retries ?? 0))}`,
    `cases run a second time: ${sum(twice)}; cases lost: ${sum(lost)} over ${SEEDS.length} seeds`,
    `wall time with faults: ${spread(
      faulty.map((run) => run.wallMs),
      s,
    )} (fault-free ${s(clean.wallMs)})`,
  ];
  console.log(lines.join('\n'));
});

describe('provider faults at the shipped defaults', () => {
  test('the fault-free run passes with no retries', () => {
    expect(clean.result.code, clean.result.stdout + clean.result.stderr).toBe(0);
    expect(clean.card.verdict).toBe('pass');
    // 80 agent calls and 80 judge calls; 20 cases with a context add 2 faithfulness, 1 relevancy, 1 embeddings call.
    expect(clean.stats.requests).toBe(coldRequests(N));
    expect(clean.stats.requests).toBe(240);
    expect(clean.card.usage.retries).toBe(0);
  });

  test.each(SEEDS)(
    'seed %i: 429/503/hang/reset faults: same verdict and scorecard, nothing lost, one retry per fault',
    (seed) => {
      const run = faulty.find((r) => r.seed === seed);
      if (!run) throw new Error(`seed ${seed} did not run`);
      const { card, stats } = run;
      expect(run.result.code, run.result.stdout + run.result.stderr).toBe(0);
      // 0 cases lost: what the retries did not save, the second pass did.
      expect(card.cases.filter((c) => c.error !== null).map((c) => `${c.id}: ${c.error?.message}`)).toEqual(
        [],
      );
      expect(card.verdict).toBe('pass');
      // The cases that ran twice are compared without their usage on both sides (world.ts `comparable`).
      expect(comparable(card)).toEqual(comparable(clean.card, card.second_pass?.cases));
      const ids = card.cases.map((c) => c.id);
      expect(ids).toEqual(caseIds(N)); // all 80, each once, in case-file order

      const injected = sum(Object.values(stats.faults));
      if (!card.second_pass) {
        // Exact, though the order of requests varies: one draw per request, in arrival order, until the
        // 240 answers the run needs were drawn (docs/guarantees.md).
        expect(stats.faults).toEqual(faultsBeforeAnswers(PLAN, seed, coldRequests(N)));
        // Every fault cost exactly one retry of a call that then succeeded.
        expect(card.usage.retries).toBe(injected);
        expect(sum(card.cases.map((c) => c.usage.retries ?? 0))).toBe(injected);
        expect(stats.requests).toBe(coldRequests(N) + injected);
        expect(run.markdown).toContain(
          ` ${injected} retries after provider faults (429, 5xx, timeouts, resets).`,
        );
        return;
      }
      // A case ran twice: its second pass asked again for the answers its first pass had before the
      // error, so the run drew at least 240 answers (exactly 240 when the first pass failed on its first
      // call, as on a loaded machine where a hang outlasts the budget); the draws are still the seed's,
      // request for request.
      const answers = stats.requests - injected;
      expect(answers).toBeGreaterThanOrEqual(coldRequests(N));
      expect(stats.faults).toEqual(faultsBeforeAnswers(PLAN, seed, answers));
      expect(card.second_pass.recovered).toBe(card.second_pass.errored);
      // The retries of the calls that gave up are not counted: fewer retries than faults.
      expect(card.usage.retries).toBeLessThanOrEqual(injected);
      const before = new Map(clean.card.cases.map((c) => [c.id, c.usage]));
      for (const c of card.cases.filter((c) => c.second_pass)) {
        expect(c.second_pass?.first_error.kind).toMatch(/^(provider|timeout)$/);
        // Both passes were paid for: at least what the one pass of the fault-free run cost.
        expect(c.usage.input_tokens).toBeGreaterThanOrEqual(before.get(c.id)!.input_tokens);
        expect(c.usage.calls).toBeGreaterThanOrEqual(before.get(c.id)!.calls);
      }
      expect(run.markdown).toContain(
        `${card.second_pass.errored === 1 ? '1 case' : `${card.second_pass.errored} cases`} errored on the first pass; the second pass recovered ${card.second_pass.recovered}.`,
      );
    },
  );
});
