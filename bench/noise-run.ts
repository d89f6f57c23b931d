/**
 * One seeded qualification under noise, in process (bench section "Noise", issue 13): the scripted eval
 * world with seeded agent and judge noise, a baseline run of model A, then model B (the same, or with
 * some cases truly worse) qualified against it, case by case through `runCase` and the real client and
 * SDK against the fake provider, and the verdict of `computeVerdict`. What a `vitest run` does between
 * the worker and the reporter, without starting Vitest 20 x 40 times.
 */
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ProjectCase } from '../src/config/project.js';
import { GATE_DEFAULTS } from '../src/config/schema/rubric.js';
import { createModelClient } from '../src/providers/client.js';
import { promptAgent } from '../src/run/agent.js';
import type { RuntimeContext } from '../src/run/context.js';
import { runCase, type CaseRunner } from '../src/run/run-case.js';
import type { CaseResult, ScorecardCase } from '../src/scorecard/types.js';
import { computeVerdict, type GateSettings } from '../src/scorecard/verdict.js';
import { gateContext } from '../src/vitest/prepare.js';
import { evalResponder, type EvalNoise } from '../test/fake-provider/eval-responder.js';
import { startFakeProvider } from '../test/fake-provider/index.js';

/** One condition of the noise benchmark. */
export interface NoiseCondition {
  cases: number;
  /** Agent noise: each answer a notch down / up with this probability each; 0 for none. */
  agent: number;
  /** Judge noise: each judge sample a notch down / up with this probability each. */
  judge: number;
  logprobs: boolean;
  /** True drops in points, one per case, on the first cases. */
  drops: number[];
  /** First-pass agent trials per case (`repeats`). */
  trials: number;
  judgeSamples: number;
  gate?: Partial<GateSettings> | undefined;
}

/** What one seeded run gave. */
export interface NoiseOutcome {
  /** The run's verdict failed (any case failed). */
  failed: boolean;
  /** Per truly dropped case: failed (a confirmed drop: beyond the budget, or within it and not allowlisted). */
  caught: boolean[];
  /** Per truly dropped case: confirmed with an estimate within the budget (the allowlist path). */
  small: boolean[];
  /** Cases with no true drop that failed. */
  falseFails: number;
  /** Model calls of the candidate's qualification (first pass and confirmation). */
  calls: number;
  confirmationCalls: number;
  /** The pooled trial noise the baseline run measured (points). */
  noiseSd: number | null;
}

const CRITERIA = [
  { id: 'correct', text: 'Answers the question correctly', weight: 1 },
  { id: 'complete', text: 'Covers what the question needs', weight: 1 },
];

/** Case i's quality on the judge's 0..10 scale, from 7.0 to 9.2: fractional, so the judge dithers. */
function quality(i: number): number {
  return 7 + ((i * 7) % 23) / 10;
}

/**
 * Run one seeded qualification of `condition`.
 *
 * @example
 * const outcome = await noiseRun({ cases: 40, agent: 0, judge: 0.1, logprobs: false, drops: [], trials: 3, judgeSamples: 3 }, 1)
 */
export async function noiseRun(condition: NoiseCondition, seed: number): Promise<NoiseOutcome> {
  const answersA: Record<string, string> = {};
  const answersB: Record<string, string> = {};
  for (let i = 0; i < condition.cases; i++) {
    const q = quality(i);
    const drop = (condition.drops[i] ?? 0) / 10;
    answersA[input(i)] = `Answer ${i}. [score=${q.toFixed(2)}]`;
    answersB[input(i)] = `Answer ${i}. [score=${(q - drop).toFixed(2)}]`;
  }
  const noise: EvalNoise = {
    seed,
    ...(condition.agent > 0 ? { agent: { down: condition.agent, up: condition.agent } } : {}),
    ...(condition.judge > 0 ? { judge: { down: condition.judge, up: condition.judge } } : {}),
    ...(condition.logprobs ? { logprobSpread: 0.2 } : {}),
  };
  const fake = await startFakeProvider({
    fallback: evalResponder({ answers: answersA, byModel: { 'model-b': answersB }, noise }),
  });
  try {
    const client = createModelClient({
      cache: { mode: 'off', dir: path.join(tmpdir(), 'vitest-qualify-bench-noise') },
      env: { OPENAI_API_KEY: 'sk-bench', OPENAI_BASE_URL: fake.openaiBaseURL },
      providers: { openai: {} },
    });
    const settings: GateSettings = { ...GATE_DEFAULTS, ...condition.gate };
    const judge = condition.logprobs ? 'openai:gpt-4.1' : 'openai:gpt-5';
    const cases: ProjectCase[] = Array.from({ length: condition.cases }, (_, i) => ({
      id: `case-${i}`,
      subject: 'agent',
      tags: [],
      input: input(i),
      criteria: CRITERIA,
      checks: [],
      source: { file: 'eval/cases.yaml', line: i + 2, col: 5 },
      min_score: 0,
      repeats: condition.trials,
    }));
    const ctx = (model: string, baseline: RuntimeContext['baseline'], gate: RuntimeContext['gate']) =>
      ({
        root: process.cwd(),
        model,
        judge,
        embeddings: 'openai:text-embedding-3-small',
        judgeSamples: condition.judgeSamples,
        judgeTemperature: undefined,
        relevancy: { strictness: 3, noncommittal_gate: 'all' },
        systemPrompt: undefined,
        subjects: { agent: { entry: undefined, budget: 3 } },
        providers: { openai: {} },
        prices: {},
        cache: { mode: 'off', dir: tmpdir() },
        baseline,
        allowlist: [],
        today: '2026-12-01',
        scope: {},
        caseTimeoutMs: 600_000,
        testTimeoutMs: 605_000,
        maxConcurrency: 32,
        rescore: false,
        debug: false,
        gate,
      }) as RuntimeContext;
    const runAll = async (runner: CaseRunner): Promise<CaseResult[]> =>
      Promise.all(cases.map((c) => runCase(runner, c, new AbortController().signal)));
    const agent = promptAgent(undefined);
    const runnerOf = (context: RuntimeContext): CaseRunner => ({
      ctx: context,
      client,
      agentFor: () => Promise.resolve(agent),
    });

    const noBaseline = gateContext(settings, null, { compared: 0, fresh: true });
    const first = computeVerdict({
      results: await runAll(runnerOf(ctx('openai:model-a', {}, noBaseline))),
      baseline: null,
      allowlist: [],
      thresholds: { default: THRESHOLDS },
      model: 'openai:model-a',
      today: '2026-12-01',
      gate: settings,
    });
    const baseline = { model: 'openai:model-a', cases: first.cases, statistics: first.statistics };
    const points = Object.fromEntries(first.cases.map((c) => [c.id, c.points]));
    const gate = gateContext(settings, baseline as never, { compared: condition.cases, fresh: true });
    const results = await runAll(runnerOf(ctx('openai:model-b', points, gate)));
    const verdict = computeVerdict({
      results,
      baseline,
      allowlist: [],
      thresholds: { default: THRESHOLDS },
      model: 'openai:model-b',
      today: '2026-12-01',
      gate: settings,
    });
    const dropped = (c: ScorecardCase, i: number) => (condition.drops[i] ?? 0) > 0;
    const errors = verdict.cases.filter((c) => c.status === 'error');
    if (errors.length > 0) throw new Error(`noise bench: ${errors[0]?.id}: ${errors[0]?.message}`);
    return {
      failed: verdict.verdict === 'fail',
      caught: verdict.cases.filter(dropped).map((c) => c.status === 'fail'),
      small: verdict.cases
        .filter(dropped)
        .map((c) => c.confirmed === true && (c.confirmation?.drop ?? Number.POSITIVE_INFINITY) <= 3),
      falseFails: verdict.cases.filter((c, i) => !dropped(c, i) && c.status === 'fail').length,
      calls: verdict.statistics.calls.first_pass + verdict.statistics.calls.confirmation,
      confirmationCalls: verdict.statistics.calls.confirmation,
      noiseSd: first.statistics.noise.sd,
    };
  } finally {
    await fake.close();
  }
}

const THRESHOLDS = {
  rubric_min_score: 0,
  ragas: { faithfulness: 0, answer_relevancy: 0 },
  max_per_case_regression: 3,
};

function input(i: number): string {
  return `Question ${i}`;
}
