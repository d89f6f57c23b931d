import { describe, expect, test } from 'vitest';
import type { AllowEntry } from '../../../src/scorecard/status.js';
import { caseStatus, toPoints } from '../../../src/scorecard/status.js';
import type { CaseResult, Gate, Thresholds } from '../../../src/scorecard/types.js';
import { computeVerdict, runVerdict } from '../../../src/scorecard/verdict.js';

const MODEL = 'anthropic:claude-opus-4-7';
const TODAY = '2026-11-27';
const thresholds: Thresholds = {
  rubric_min_score: 0.82,
  ragas: { faithfulness: 0.78, answer_relevancy: 0.78 },
  max_per_case_regression: 3,
};

function result(id: string, score: number | null, extra: Partial<CaseResult> = {}): CaseResult {
  return {
    id,
    subject: 'agent',
    tags: [],
    score,
    min_score: 0.82,
    faithfulness: null,
    answer_relevancy: null,
    nan_metrics: [],
    criteria: [],
    checks: [],
    trials: null,
    error: null,
    usage: { calls: 1, input_tokens: 10, output_tokens: 5, cost_usd: 0, cached_calls: 0 },
    latency_ms: 1,
    ...extra,
  };
}

function allow(caseId: string, extra: Partial<AllowEntry> = {}): AllowEntry {
  return { case: caseId, model: MODEL, reason: 'terser', author: 'Dana', date: '2026-11-20', ...extra };
}

describe('caseStatus: every row of docs/architecture.md 2.6', () => {
  test.each([
    // [row, score, baseline points, allow entry?, status]
    ['score >= min, no drop', 0.9, 90, undefined, 'pass'],
    ['score >= min, improved', 0.95, 90, undefined, 'pass'],
    ['no baseline entry', 0.9, undefined, undefined, 'new'],
    ['baseline entry without score', 0.9, null, undefined, 'new'],
    ['small drop, allowlisted', 0.88, 90, allow('c'), 'allowlisted'],
    ['small drop at the budget, allowlisted', 0.87, 90, allow('c'), 'allowlisted'],
    ['small drop, not allowlisted', 0.88, 90, undefined, 'fail'],
    ['drop over the budget, allowlisted', 0.86, 90, allow('c'), 'fail'],
    ['drop over the budget', 0.86, 90, undefined, 'fail'],
    ['small drop over the entry max_drop', 0.88, 90, allow('c', { max_drop: 1.5 }), 'fail'],
    ['below min, no baseline', 0.5, undefined, undefined, 'fail'],
    ['below min, improved on baseline', 0.5, 40, undefined, 'fail'],
  ] as const)('%s', (_row, score, baselinePoints, entry, status) => {
    expect(caseStatus(result('c', score), baselinePoints, entry, 3).status).toBe(status);
  });

  test('an error is an error whatever the baseline says, and measures no regression', () => {
    const r = result('c', null, { error: { kind: 'provider', code: 'E_PROVIDER_SERVER', message: '503' } });
    expect(caseStatus(r, 95, undefined, 3)).toEqual({
      status: 'error',
      points: null,
      baseline_points: 95,
      delta: null,
      message: 'provider error: 503; no regression was measured for this case',
    });
  });

  test('float noise is not a regression', () => {
    const r = result('c', 0.1 + 0.7); // 0.7999999999999999
    expect(caseStatus({ ...r, min_score: 0.5 }, 80, undefined, 3)).toMatchObject({
      status: 'pass',
      delta: 0,
    });
  });

  test('messages say what to do', () => {
    expect(caseStatus(result('refund', 0.88), 90, undefined, 3).message).toBe(
      'regressed 2.0 points (90.0 -> 88.0), within the 3-point budget but not allowlisted: document it with `qualify allow refund --reason "..."` or fix it',
    );
    expect(caseStatus(result('refund', 0.85), 90, undefined, 3).message).toBe(
      'regressed 5.0 points (90.0 -> 85.0), more than the 3-point budget: no allowlist entry can cover it',
    );
    expect(caseStatus(result('refund', 0.88), 90, allow('refund'), 3).message).toBe(
      'regressed 2.0 points (90.0 -> 88.0), allowlisted by Dana on 2026-11-20: terser; needs a second reviewer',
    );
    const failedCheck = result('refund', 0, {
      checks: [{ name: 'not_contains:guarantee', pass: false, detail: 'found "guarantee" at char 3' }],
    });
    expect(caseStatus(failedCheck, 90, undefined, 3).message).toBe(
      'failed check not_contains:guarantee (found "guarantee" at char 3)',
    );
  });

  test('points are score x 100', () => {
    expect(toPoints(0.875)).toBe(87.5);
  });
});

const gate = (pass: boolean | null): Gate => ({
  name: 'rubric',
  subject: 'agent',
  value: pass === null ? null : 0.9,
  threshold: 0.82,
  pass,
  rows: pass === null ? 0 : 1,
  nan_rows: 0,
});

describe('runVerdict: error > fail > review > pass', () => {
  test.each([
    [['pass', 'new'], [true], 'pass'],
    [['pass', 'allowlisted'], [true], 'review'],
    [['pass', 'allowlisted'], [false], 'fail'],
    [['pass'], [false], 'fail'],
    [['pass'], [null], 'pass'],
    [['pass', 'fail', 'allowlisted'], [true], 'fail'],
    [['fail', 'error'], [false], 'error'],
    [['error'], [true], 'error'],
    [['allowlisted'], [null, true], 'review'],
  ] as const)('cases %j, gates %j -> %s', (statuses, gates, verdict) => {
    expect(
      runVerdict(
        statuses.map((status) => ({ status })),
        gates.map(gate),
      ),
    ).toBe(verdict);
  });
});

describe('computeVerdict', () => {
  const baseline = {
    cases: [
      { id: 'a', points: 90 },
      { id: 'b', points: 90 },
      { id: 'gone', points: 80 },
    ],
  };

  test('an outage is an error, never a regression', () => {
    const out = computeVerdict({
      results: [
        result('a', 0.5),
        result('b', null, { error: { kind: 'provider', code: 'E', message: 'down' } }),
      ],
      baseline,
      allowlist: [],
      thresholds: { default: thresholds },
      model: MODEL,
      today: TODAY,
    });
    expect(out.verdict).toBe('error');
    expect(out.cases.map((c) => c.status)).toEqual(['fail', 'error']);
  });

  test('gates: means over scored rows, NaN rows counted, no rows is not applicable', () => {
    const out = computeVerdict({
      results: [
        result('a', 0.9, { faithfulness: 1, answer_relevancy: 0.9 }),
        result('b', 0.8, { min_score: 0.5, faithfulness: null, nan_metrics: ['faithfulness'] }),
        result('c', 0.7, { min_score: 0.5, faithfulness: 0.5 }),
      ],
      baseline: null,
      allowlist: [],
      thresholds: { default: thresholds },
      model: MODEL,
      today: TODAY,
    });
    expect(out.gates).toEqual([
      { name: 'rubric', subject: 'agent', value: 0.8, threshold: 0.82, pass: false, rows: 3, nan_rows: 0 },
      {
        name: 'faithfulness',
        subject: 'agent',
        value: 0.75,
        threshold: 0.78,
        pass: false,
        rows: 2,
        nan_rows: 1,
      },
      {
        name: 'answer_relevancy',
        subject: 'agent',
        value: 0.9,
        threshold: 0.78,
        pass: true,
        rows: 1,
        nan_rows: 0,
      },
    ]);
    expect(out.verdict).toBe('fail');
    expect(out.cases_added).toEqual([]);
  });

  test('a gate with no rows neither passes nor fails', () => {
    const out = computeVerdict({
      results: [result('a', 0.9)],
      baseline,
      allowlist: [],
      thresholds: { default: thresholds },
      model: MODEL,
      today: TODAY,
    });
    expect(out.gates.map((g) => g.pass)).toEqual([true, null, null]);
    expect(out.verdict).toBe('pass');
  });

  test('per subject thresholds, summaries and verdicts', () => {
    const strict: Thresholds = { ...thresholds, rubric_min_score: 0.9 };
    const out = computeVerdict({
      results: [result('a', 0.9), result('v1', 0.85, { subject: 'verifier', min_score: 0.8 })],
      baseline: null,
      allowlist: [],
      thresholds: { default: thresholds, subjects: { verifier: strict } },
      model: MODEL,
      today: TODAY,
    });
    expect(out.subjects['agent']?.verdict).toBe('pass');
    expect(out.subjects['verifier']?.verdict).toBe('fail');
    expect(out.subjects['verifier']?.gates[0]).toMatchObject({ value: 0.85, threshold: 0.9, pass: false });
    expect(out.verdict).toBe('fail');
  });

  test('cases added and removed; allowlist entries used, unused, expired, or for another model', () => {
    const out = computeVerdict({
      results: [result('a', 0.88), result('b', 0.9), result('fresh', 0.9)],
      baseline,
      allowlist: [
        allow('a'),
        allow('b'),
        allow('fresh', { expires: '2026-11-01' }),
        allow('a', { model: 'openai:gpt-5' }),
      ],
      thresholds: { default: thresholds },
      model: MODEL,
      today: TODAY,
    });
    expect(out.cases.map((c) => c.status)).toEqual(['allowlisted', 'pass', 'new']);
    expect(out.verdict).toBe('review');
    expect(out.cases_removed).toEqual(['gone']);
    expect(out.cases_added).toEqual(['fresh']);
    expect(out.allowlist).toEqual({ unused: ['b'], expired: ['fresh'] });
  });

  test('an expired entry does not tolerate a drop', () => {
    const out = computeVerdict({
      results: [result('a', 0.88)],
      baseline,
      allowlist: [allow('a', { expires: '2026-11-26' })],
      thresholds: { default: thresholds },
      model: MODEL,
      today: TODAY,
    });
    expect(out.cases[0]?.status).toBe('fail');
  });

  test("a scorecard case is the result's fields in order, then the judgement's, and the result is left alone", () => {
    const input = result('a', 0.88, { node: 'repair' });
    const before = structuredClone(input);
    const out = computeVerdict({
      results: [input],
      baseline,
      allowlist: [allow('a')],
      thresholds: { default: thresholds },
      model: MODEL,
      today: TODAY,
    });
    expect(Object.keys(out.cases[0]!)).toEqual([
      ...Object.keys(input),
      'points',
      'baseline_points',
      'delta',
      'status',
      'message',
      'allowlisted_by',
      'confirmed',
    ]);
    expect(out.cases[0]).toMatchObject({ ...before, status: 'allowlisted', points: 88, baseline_points: 90 });
    expect(input).toEqual(before);
  });
});

describe('reuseResults', () => {
  const baseline = {
    cases: [
      { id: 'a', points: 90 },
      { id: 'b', points: 80 },
    ],
  };
  const inputs = () => [result('a', 0.8), result('b', 0.9), result('c', 0.7)];
  const verdictOf = (results: CaseResult[], reuseResults?: boolean) =>
    computeVerdict({
      results,
      baseline,
      allowlist: [],
      thresholds: { default: thresholds },
      model: MODEL,
      today: TODAY,
      reuseResults,
    });

  test('turns each result into its scorecard case in place, the same verdict as a copy', () => {
    const copied = verdictOf(inputs());
    const results = inputs();
    const reused = verdictOf(results, true);
    expect(reused.cases).toEqual(copied.cases);
    expect(reused.verdict).toBe(copied.verdict);
    reused.cases.forEach((c, i) => expect(c).toBe(results[i]));
    expect(reused.cases[0]).toMatchObject({ status: 'fail', delta: -10 });
  });

  test('by default leaves the results as they were', () => {
    const results = inputs();
    const before = structuredClone(results);
    const { cases } = verdictOf(results);
    expect(results).toEqual(before);
    cases.forEach((c, i) => expect(c).not.toBe(results[i]));
  });
});
