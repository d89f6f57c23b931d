import { describe, expect, test } from 'vitest';
import { seededRandom } from '../../../src/cli/commands/import/sample.js';
import type { RelativeGateSettings } from '../../../src/config/schema/relative-gates.js';
import { ratioBootstrap } from '../../../src/scorecard/relative-bootstrap.js';
import type { AgentUsage } from '../../../src/scorecard/relative-gate-types.js';
import { relativeGates, withRelativeGates } from '../../../src/scorecard/relative-gates.js';
import type { CaseResult, Thresholds } from '../../../src/scorecard/types.js';
import { computeVerdict } from '../../../src/scorecard/verdict.js';

const PRICES = {
  'openai:model-a': { input_per_mtok: 1, output_per_mtok: 10 },
  'openai:model-b': { input_per_mtok: 1.4, output_per_mtok: 14 },
};
const fail = (max: number) => ({ max_increase: max, on_exceed: 'fail' as const });

function usage(
  model: string,
  out: number,
  latency: number[] = [1000],
  extra: Partial<AgentUsage> = {},
): AgentUsage {
  return {
    trials: latency.length || 1,
    calls: 1,
    cached_calls: 0,
    models: { [model]: { input_tokens: 1000, output_tokens: out } },
    latency_ms: latency,
    ttft_ms: [],
    ...extra,
  };
}

/** `n` cases scored on both sides; `side(i)` gives each side's agent usage. */
function world(
  n: number,
  side: (i: number) => { base: AgentUsage | undefined; cand: AgentUsage | undefined },
) {
  const baseline = {
    cases: [] as { id: string; points: number | null; status?: unknown; agent_usage?: unknown }[],
  };
  const cases: { id: string; subject: string; status: 'pass'; score: number; agent_usage?: AgentUsage }[] =
    [];
  for (let i = 0; i < n; i++) {
    const { base, cand } = side(i);
    baseline.cases.push({ id: `c${i}`, points: 90, status: 'pass', agent_usage: base });
    cases.push({
      id: `c${i}`,
      subject: 'agent',
      status: 'pass',
      score: 0.9,
      ...(cand ? { agent_usage: cand } : {}),
    });
  }
  return { baseline, cases };
}

const gatesOf = (settings: RelativeGateSettings, w: ReturnType<typeof world>, prices = PRICES) =>
  relativeGates({ subject: 'agent', settings, cases: w.cases, baseline: w.baseline, prices });

describe('relativeGates', () => {
  test('a candidate priced 40 % higher on the same tokens fails a 20 % cost gate, interval and all', () => {
    const w = world(6, (i) => ({
      base: usage('openai:model-a', 100 + i),
      cand: usage('openai:model-b', 100 + i),
    }));
    const [perCase, total] = gatesOf({ cost_per_case: fail(0.2), cost_total: fail(0.2) }, w);
    expect(perCase).toEqual({
      name: 'cost_per_case',
      subject: 'agent',
      unit: 'usd',
      baseline: 0.002025,
      candidate: 0.002835,
      increase: 0.4,
      budget: 0.2,
      interval: [0.4, 0.4],
      status: 'fail',
      on_exceed: 'fail',
      cases: 6,
      note: '+40.0 % (90 % interval +40.0 %..+40.0 %), over the +20.0 % budget',
    });
    expect(total).toMatchObject({
      name: 'cost_total',
      baseline: 0.01215,
      candidate: 0.01701,
      status: 'fail',
    });
  });

  test('on_exceed: review asks for review instead; within the budget passes', () => {
    const w = world(6, (i) => ({
      base: usage('openai:model-a', 100 + i),
      cand: usage('openai:model-b', 100 + i),
    }));
    expect(gatesOf({ cost_per_case: { max_increase: 0.2, on_exceed: 'review' } }, w)[0]!.status).toBe(
      'review',
    );
    const [pass] = gatesOf({ cost_per_case: fail(0.5) }, w);
    expect([pass!.status, pass!.note]).toEqual([
      'pass',
      '+40.0 % (90 % interval +40.0 %..+40.0 %), within the +50.0 % budget',
    ]);
  });

  test('an estimate over the budget whose interval reaches below it is review, "not confirmed"', () => {
    // One case of six is much slower; the others are unchanged: the p50 holds, the mean is pulled up.
    const latencies = [1000, 1100, 900, 1200, 1050, 950];
    const w = world(6, (i) => ({
      base: usage('openai:model-a', 100, [latencies[i]!]),
      cand: usage('openai:model-a', 100 + (i === 0 ? 400 : 0), [latencies[i]!]),
    }));
    const [tokens] = gatesOf({ output_tokens: fail(0.3) }, w);
    expect(tokens!.increase).toBeCloseTo(400 / 600, 9);
    expect(tokens!.status).toBe('review');
    expect(tokens!.note).toMatch(
      /^\+66\.7 %: over budget, not confirmed \(90 % interval \+0\.0 %\.\.\+[\d.]+ %\)$/,
    );
  });

  test('p50 and p95 of the per-case latency; ttft only where both sides streamed', () => {
    const w = world(10, (i) => ({
      base: usage('openai:model-a', 100, [100 * (i + 1)], { ttft_ms: i < 3 ? [50] : [] }),
      cand: usage('openai:model-a', 100, [150 * (i + 1)], { ttft_ms: i < 3 ? [60] : [] }),
    }));
    const [p50, p95, ttft] = gatesOf(
      { latency_p50: fail(0.25), latency_p95: fail(1), ttft_p50: fail(0.1) },
      w,
    );
    expect([p50!.baseline, p50!.candidate, p50!.increase, p50!.status]).toEqual([550, 825, 0.5, 'fail']);
    expect([p95!.baseline, p95!.candidate, p95!.status]).toEqual([955, 1432.5, 'pass']);
    expect(ttft).toMatchObject({
      status: 'not_applicable',
      cases: 3,
      note: 'not applicable: 3 compared cases where the agent streamed on both sides; 5 needed',
    });
  });

  test('only cases present, scored and not errored on both sides are compared', () => {
    const w = world(7, (i) => ({
      base: usage('openai:model-a', 100),
      cand: usage('openai:model-a', i < 2 ? 900 : 100),
    }));
    w.cases[0] = { ...w.cases[0]!, status: 'error' as 'pass', score: null as unknown as number };
    w.baseline.cases[1]!.points = null;
    w.cases.push({
      id: 'new-case',
      subject: 'agent',
      status: 'pass',
      score: 0.9,
      agent_usage: usage('openai:model-a', 5000),
    });
    const [tokens] = gatesOf({ output_tokens: fail(0.1) }, w);
    expect([tokens!.cases, tokens!.increase, tokens!.status]).toEqual([5, 0, 'pass']);
  });

  test.each([
    [
      'fewer than 5 cases',
      world(4, () => ({ base: usage('openai:model-a', 1), cand: usage('openai:model-a', 1) })),
      PRICES,
      'not applicable: 4 compared cases with agent usage on both sides; 5 needed',
    ],
    [
      'a baseline from before agent usage was kept',
      world(6, () => ({ base: undefined, cand: usage('openai:model-a', 1) })),
      PRICES,
      'not applicable: the baseline records no agent usage per case (written by an earlier version): re-qualify the current primary to record it',
    ],
    [
      'a model with no price',
      world(6, () => ({ base: usage('openai:model-a', 1), cand: usage('acme:private', 1) })),
      PRICES,
      'not applicable: no price for acme:private: add it under prices: in rubric.yaml',
    ],
  ])('not applicable, and says why: %s', (_why, w, prices, note) => {
    const [gate] = gatesOf({ cost_per_case: fail(0.2) }, w, prices);
    expect([gate!.status, gate!.increase, gate!.note]).toEqual(['not_applicable', null, note]);
  });

  test('no baseline, and reasoning tokens that neither side recorded, are not applicable', () => {
    const w = world(6, () => ({ base: usage('openai:model-a', 1), cand: usage('openai:model-a', 1) }));
    const none = relativeGates({
      subject: 'agent',
      settings: { cost_total: fail(0.2) },
      cases: w.cases,
      baseline: null,
      prices: PRICES,
    });
    expect(none[0]!.note).toBe('not applicable: no baseline to compare with');
    expect(gatesOf({ reasoning_tokens: fail(0.2) }, w)[0]!.note).toBe(
      'not applicable: 0 compared cases with reasoning tokens recorded on both sides (the provider reports them, or the baseline predates them); 5 needed',
    );
    const reasoned = (n: number) => ({
      ...usage('openai:model-a', 500),
      models: { 'openai:model-a': { input_tokens: 1, output_tokens: 500, reasoning_tokens: n } },
    });
    const r = world(6, () => ({ base: reasoned(200), cand: reasoned(300) }));
    expect(gatesOf({ reasoning_tokens: fail(0.2) }, r)[0]).toMatchObject({ increase: 0.5, status: 'fail' });
  });

  test('the same cases in another order (another shard layout) give the same gates', () => {
    const random = seededRandom(3);
    const w = world(30, () => ({
      base: usage('openai:model-a', 100, [800 + 400 * random()]),
      cand: usage('openai:model-a', 100, [850 + 400 * random()]),
    }));
    const settings = { latency_p50: fail(0.05), latency_p95: fail(0.05) };
    const reversed = { baseline: { cases: [...w.baseline.cases].reverse() }, cases: [...w.cases].reverse() };
    expect(gatesOf(settings, reversed)).toEqual(gatesOf(settings, w));
    expect(gatesOf(settings, w)[0]!.interval).not.toBeNull();
  });
});

describe('relative gates under seeded noise', () => {
  const normal = (random: () => number) =>
    Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

  /** 30 cases of varied length; each side's latency and output tokens jittered per case (lognormal). */
  function noisy(seed: number, price: 'openai:model-a' | 'openai:model-b') {
    const random = seededRandom(seed);
    const jitter = Math.log(1.3);
    return world(30, () => {
      const typical = 900 * Math.exp(0.5 * normal(random));
      const tokens = 300 * Math.exp(0.4 * normal(random));
      const side = (model: string) =>
        usage(model, Math.round(tokens * Math.exp(0.1 * normal(random))), [
          typical * Math.exp(jitter * normal(random)),
        ]);
      return { base: side('openai:model-a'), cand: side(price) };
    });
  }

  test('an unchanged model with +-30 % lognormal latency jitter passes >= 95 of 100 runs at a 25 % budget', () => {
    let p50 = 0;
    let p95 = 0;
    for (let seed = 1; seed <= 100; seed++) {
      const [a, b] = gatesOf(
        { latency_p50: fail(0.25), latency_p95: fail(0.5) },
        noisy(seed, 'openai:model-a'),
      );
      if (a!.status === 'pass') p50 += 1;
      if (b!.status === 'pass') p95 += 1;
      expect([a!.status, b!.status]).not.toContain('fail');
    }
    expect(p50).toBeGreaterThanOrEqual(95);
    expect(p95).toBeGreaterThanOrEqual(95);
  });

  test('a candidate 40 % dearer (same token distribution) fails a 20 % cost gate in every one of 100 runs', () => {
    for (let seed = 1; seed <= 100; seed++) {
      const [gate] = gatesOf({ cost_per_case: fail(0.2) }, noisy(seed, 'openai:model-b'));
      expect(gate!.status, `seed ${seed}: ${gate!.note}`).toBe('fail');
    }
  });
});

describe('ratioBootstrap', () => {
  test('the quantile of the sample itself; the interval is seeded by the ids, the same every call', () => {
    const pairs = [1, 2, 3, 4, 5].map((v) => ({ id: `c${v}`, baseline: v * 100, candidate: v * 110 }));
    const once = ratioBootstrap('k', pairs, { quantile: 0.5 });
    expect([once.baseline, once.candidate]).toEqual([300, 330]);
    expect(once.increase).toBeCloseTo(0.1, 12);
    expect(ratioBootstrap('k', pairs, { quantile: 0.5 })).toEqual(once);
  });
});

describe('the verdict with relative gates (docs/architecture.md 2.6)', () => {
  const thresholds: Thresholds = {
    rubric_min_score: 0.5,
    ragas: { faithfulness: 0.5, answer_relevancy: 0.5 },
    max_per_case_regression: 3,
  };
  function result(id: string, agent_usage: AgentUsage, extra: Partial<CaseResult> = {}): CaseResult {
    return {
      id,
      subject: 'agent',
      tags: [],
      score: 0.9,
      min_score: 0.5,
      faithfulness: null,
      answer_relevancy: null,
      nan_metrics: [],
      criteria: [],
      checks: [],
      trials: null,
      error: null,
      usage: { calls: 2, input_tokens: 10, output_tokens: 5, cost_usd: 0.01, cached_calls: 0 },
      latency_ms: 1,
      agent_usage,
      ...extra,
    };
  }
  const baseline = {
    cases: Array.from({ length: 6 }, (_, i) => ({
      id: `c${i}`,
      points: 90,
      status: 'pass',
      agent_usage: usage('openai:model-a', 100),
    })),
  };
  const verdictOf = (on_exceed: 'fail' | 'review', extra: Partial<CaseResult> = {}) =>
    computeVerdict({
      results: baseline.cases.map((c, i) => result(c.id, usage('openai:model-b', 100), i === 0 ? extra : {})),
      baseline,
      allowlist: [],
      thresholds: { default: thresholds },
      model: 'openai:model-b',
      today: '2026-12-01',
      relativeGates: {
        subjects: { agent: { cost_per_case: { max_increase: 0.2, on_exceed } } },
        prices: PRICES,
      },
    });

  test('a failed gate fails the run and its subject; one for review makes it review', () => {
    const failed = verdictOf('fail');
    expect([failed.verdict, failed.subjects['agent']!.verdict]).toEqual(['fail', 'fail']);
    expect(failed.relative_gates).toEqual(failed.subjects['agent']!.relative_gates);
    expect(failed.relative_gates).toHaveLength(1);
    expect(verdictOf('review').verdict).toBe('review');
  });

  test('an error stays an error; without relative_gates nothing changes', () => {
    const error = verdictOf('fail', {
      score: null,
      error: { kind: 'provider', code: 'E_X', message: 'down' },
    });
    expect(error.verdict).toBe('error');
    expect(error.relative_gates![0]!.cases).toBe(5);
    const off = computeVerdict({
      results: baseline.cases.map((c) => result(c.id, usage('openai:model-b', 100))),
      baseline,
      allowlist: [],
      thresholds: { default: thresholds },
      model: 'openai:model-b',
      today: '2026-12-01',
    });
    expect([off.verdict, 'relative_gates' in off, 'relative_gates' in off.subjects['agent']!]).toEqual([
      'pass',
      false,
      false,
    ]);
  });

  test.each([
    ['pass', [], 'pass'],
    ['pass', ['pass', 'not_applicable'], 'pass'],
    ['pass', ['review'], 'review'],
    ['review', ['fail'], 'fail'],
    ['fail', ['review'], 'fail'],
    ['error', ['fail'], 'error'],
  ] as const)('withRelativeGates(%s, %j) is %s', (verdict, statuses, expected) => {
    expect(
      withRelativeGates(
        verdict,
        statuses.map((status) => ({ status })),
      ),
    ).toBe(expected);
  });
});
