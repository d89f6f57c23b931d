import { describe, expect, test } from 'vitest';
import { seededRandom } from '../../../src/cli/commands/import/sample.js';
import {
  argumentKeyDiff,
  canonicalArguments,
  normaliseArguments,
} from '../../../src/internal/tool-arguments.js';
import {
  caseToolChanges,
  describeToolChange,
  diffTrajectories,
  modalTrial,
  trajectory,
  type StoredToolCall,
} from '../../../src/scorecard/tool-changes.js';
import type { CaseResult, StoredOutput, Thresholds } from '../../../src/scorecard/types.js';
import { computeVerdict } from '../../../src/scorecard/verdict.js';

const call = (name: string, args: Record<string, unknown> = {}): StoredToolCall => ({
  name,
  arguments: JSON.stringify(args),
});
const outputs = (...trials: StoredToolCall[][]): StoredOutput[] =>
  trials.map((tool_calls) => ({ output: 'ok', score: 0.9, ...(tool_calls.length ? { tool_calls } : {}) }));

const lookup = call('lookup_order', { order_id: 'A1' });
const refund = call('refund', { order_id: 'A1', amount: 30 });
const search = call('search', { q: 'policy' });

describe('normalised arguments', () => {
  test.each([
    ['{"b": 1, "a": " x "}', { a: 'x', b: 1 }],
    ['{"o": {"z": [" p ", 2], "a": null}}', { o: { a: null, z: ['p', 2] } }],
    ['  ', {}],
    ['not json ', 'not json'],
    ['"  s  "', 's'],
  ])('%s', (raw, expected) => {
    expect(normaliseArguments(raw)).toEqual(expected);
  });

  test('key order and padding do not change the canonical text; values do', () => {
    expect(canonicalArguments('{"q":" shoes ","n":3}')).toBe(canonicalArguments('{ "n": 3, "q": "shoes" }'));
    expect(canonicalArguments('{"n":3}')).not.toBe(canonicalArguments('{"n":"3"}'));
  });

  test('key diff: added, removed, changed, sorted', () => {
    expect(argumentKeyDiff({ id: 'A1', q: 'x', z: 1 }, { id: 'A2', lang: 'en', z: 1 })).toEqual({
      added: ['lang'],
      removed: ['q'],
      changed: ['id'],
    });
    expect(argumentKeyDiff('a', 'b')).toEqual({ added: [], removed: [], changed: ['(arguments)'] });
  });
});

describe('diffTrajectories', () => {
  const diff = (before: StoredToolCall[], after: StoredToolCall[]) =>
    diffTrajectories(trajectory(before), trajectory(after)).map(describeToolChange);

  test.each([
    ['same calls, padded and reordered keys', [lookup], [call('lookup_order', { order_id: ' A1 ' })], []],
    ['a call skipped', [lookup, refund], [refund], ['missing call `lookup_order`']],
    ['an extra call', [lookup], [lookup, refund], ['extra call `refund`']],
    ['calls counted', [search], [search, search, search], ['extra 2 calls `search`']],
    [
      'other arguments',
      [call('search', { q: 'policy', n: 3 })],
      [call('search', { q: 'refund policy', lang: 'en' })],
      ['other arguments for `search`: ~q, +lang, -n'],
    ],
    [
      'order',
      [lookup, refund],
      [refund, lookup],
      ['order changed: lookup_order, refund → refund, lookup_order'],
    ],
    [
      'the second call of a name',
      [search, search],
      [search, call('search', { q: 'x' })],
      ['other arguments for `search` (call 2): ~q'],
    ],
    [
      'a missing call is not also an order change',
      [lookup, search, refund],
      [lookup, refund],
      ['missing call `search`'],
    ],
  ])('%s', (_name, before, after, expected) => {
    expect(diff(before, after)).toEqual(expected);
  });
});

describe('caseToolChanges: the modal trajectory, noise-aware', () => {
  test('the modal trajectory; a tie goes to the preferred one, then to the earliest trial', () => {
    expect(modalTrial([[search], [lookup], [lookup]])).toBe(1);
    expect(modalTrial([[search], [lookup]])).toBe(0);
    expect(modalTrial([[search], [lookup]], JSON.stringify([['lookup_order', '{"order_id":"A1"}']]))).toBe(1);
  });

  test('a skipped call in every trial is a change, with the trials counted', () => {
    expect(caseToolChanges(outputs([refund], [refund]), outputs([lookup, refund], [lookup, refund]))).toEqual(
      {
        changes: [{ kind: 'missing', name: 'lookup_order', count: 1 }],
        baseline: ['lookup_order', 'refund'],
        candidate: ['refund'],
        trials: { differ: 2, n: 2 },
        baseline_trials: { differ: 0, n: 2 },
      },
    );
  });

  test('the same trajectory is no change', () => {
    expect(caseToolChanges(outputs([lookup, refund]), outputs([lookup, refund]))).toBeNull();
  });

  test('a trajectory the baseline also made in one of its trials is its own variation, not a change', () => {
    // The candidate's mode is [search, lookup]; the baseline made it once of three.
    const base = outputs([lookup], [lookup], [search, lookup]);
    expect(caseToolChanges(outputs([search, lookup], [search, lookup], [lookup]), base)).toBeNull();
    // One candidate trial off the baseline's mode: the mode held.
    expect(
      caseToolChanges(outputs([lookup], [refund], [lookup]), outputs([lookup], [lookup], [lookup])),
    ).toBeNull();
  });

  test('a tie on the candidate side goes to the baseline mode', () => {
    expect(caseToolChanges(outputs([search], [lookup]), outputs([lookup], [lookup]))).toBeNull();
  });

  test('nothing to compare without stored trials on both sides', () => {
    expect(caseToolChanges(outputs([lookup]), undefined)).toBeNull();
    expect(caseToolChanges([], outputs([lookup]))).toBeNull();
  });
});

const thresholds: Thresholds = {
  rubric_min_score: 0.5,
  ragas: { faithfulness: 0.5, answer_relevancy: 0.5 },
  max_per_case_regression: 3,
};

function result(
  id: string,
  score: number,
  trials: StoredToolCall[][],
  extra: Partial<CaseResult> = {},
): CaseResult {
  return {
    id,
    subject: 'agent',
    tags: [],
    score,
    min_score: 0.5,
    faithfulness: null,
    answer_relevancy: null,
    nan_metrics: [],
    criteria: [],
    checks: [],
    trials: null,
    error: null,
    usage: { calls: 1, input_tokens: 1, output_tokens: 1, cost_usd: 0, cached_calls: 0 },
    latency_ms: 1,
    outputs: outputs(...trials),
    ...extra,
  };
}

const SCORING = { judge: 'openai:gpt-4.1', embeddings: 'openai:e', judge_samples: 1, prompts: 'x' };
const baselineOf = (cases: { id: string; points: number; trials: StoredToolCall[][] }[]) => ({
  scoring: SCORING as unknown,
  cases: cases.map((c) => ({ id: c.id, points: c.points, outputs: outputs(...c.trials) })),
});

function verdictOf(
  results: CaseResult[],
  baseline: ReturnType<typeof baselineOf>,
  onChange?: 'review' | 'ignore',
) {
  return computeVerdict({
    results,
    baseline,
    allowlist: [],
    thresholds: { default: thresholds },
    model: 'openai:gpt-5',
    today: '2026-12-03',
    toolChanges: onChange,
  });
}

describe('computeVerdict with tool changes', () => {
  const baseline = baselineOf([
    { id: 'refund', points: 90, trials: [[lookup, refund]] },
    { id: 'faq', points: 90, trials: [[search]] },
  ]);

  test('a changed trajectory on a case whose score held: review, listed on the case and in the summary', () => {
    const out = verdictOf([result('refund', 0.9, [[refund]]), result('faq', 0.9, [[search]])], baseline);
    expect(out.verdict).toBe('review');
    expect(out.subjects['agent']?.verdict).toBe('review');
    expect(out.tool_changes).toEqual({ on_change: 'review', compared: 2, changed: 1, cases: ['refund'] });
    expect(out.cases[0]?.status).toBe('pass');
    expect(out.cases[0]?.tool_changes?.changes).toEqual([
      { kind: 'missing', name: 'lookup_order', count: 1 },
    ]);
    expect(out.cases[1]?.tool_changes).toBeUndefined();
  });

  test('on_change: ignore records the change and keeps the verdict', () => {
    const out = verdictOf(
      [result('refund', 0.9, [[refund]]), result('faq', 0.9, [[search]])],
      baseline,
      'ignore',
    );
    expect(out.verdict).toBe('pass');
    expect(out.tool_changes?.changed).toBe(1);
  });

  test('a tool change never fails a run, nor softens a failure', () => {
    const failed = verdictOf([result('refund', 0.9, [[refund]]), result('faq', 0.6, [[search]])], baseline);
    expect(failed.verdict).toBe('fail');
    const held = verdictOf(
      [result('refund', 0.9, [[lookup, refund]]), result('faq', 0.9, [[search]])],
      baseline,
    );
    expect(held.verdict).toBe('pass');
  });

  test('a baseline written before outputs kept their tool calls (no scoring block) is not compared', () => {
    const old = { cases: baseline.cases };
    const out = verdictOf([result('refund', 0.9, [[refund]]), result('faq', 0.9, [[search]])], {
      ...old,
      scoring: undefined,
    });
    expect(out.verdict).toBe('pass');
    expect(out.tool_changes).toEqual({
      on_change: 'review',
      compared: 0,
      changed: 0,
      cases: [],
      note: 'not compared: the baseline predates stored tool calls (no scoring block): re-qualify the current primary to record them',
    });
  });

  test('an old baseline and a run that called no tools: nothing said', () => {
    const old = { cases: baseline.cases, scoring: undefined };
    expect(
      verdictOf([result('refund', 0.9, [[]]), result('faq', 0.9, [[]])], old).tool_changes,
    ).toBeUndefined();
  });

  test('an errored case is not compared; no baseline, no summary', () => {
    const errored = result('refund', 0.9, [[refund]], {
      score: null,
      error: { kind: 'provider', code: 'E_PROVIDER_SERVER', message: '503' },
    });
    expect(verdictOf([errored, result('faq', 0.9, [[search]])], baseline).tool_changes).toEqual({
      on_change: 'review',
      compared: 1,
      changed: 0,
      cases: [],
    });
    const none = computeVerdict({
      results: [result('faq', 0.9, [[search]])],
      baseline: null,
      allowlist: [],
      thresholds: { default: thresholds },
      model: 'openai:gpt-5',
      today: '2026-12-03',
    });
    expect(none.tool_changes).toBeUndefined();
  });
});

describe('tool changes under seeded noise', () => {
  // A noisy agent: the same trajectory most trials, with cosmetic noise (padded strings, shuffled
  // keys) every trial, and in 10 % of trials an extra search first, in 10 % the lookup skipped.
  function noisyTrial(random: () => number, skipRate: number): StoredToolCall[] {
    const pad = random() < 0.5 ? ' ' : '';
    const args =
      random() < 0.5 ? `{"order_id":"${pad}A1${pad}","amount":30}` : `{"amount":30, "order_id":"A1${pad}"}`;
    const look = { name: 'lookup_order', arguments: `{"order_id":"A1${pad}"}` };
    const pay = { name: 'refund', arguments: args };
    const u = random();
    if (u < 0.1) return [search, look, pay];
    if (u < 0.1 + skipRate) return [pay];
    return [look, pay];
  }
  function flaggedRate(seed: number, repeats: number, candidateSkip: number, baselineSkip = 0.1): number {
    const cases = 2000;
    const random = seededRandom(seed);
    const trials = (skip: number) => Array.from({ length: repeats }, () => noisyTrial(random, skip));
    let flagged = 0;
    for (let i = 0; i < cases; i++) {
      const base = outputs(...trials(baselineSkip));
      if (caseToolChanges(outputs(...trials(candidateSkip)), base) !== null) flagged += 1;
    }
    return flagged / cases;
  }

  test('an unchanged noisy agent is flagged on at most 6 % of cases with 3 trials a side, 2 % with 5', () => {
    // Measured: 4.5-4.9 % with 3 trials, 1.2-1.3 % with 5 (docs/scoring.md "Tool-use changes").
    for (const seed of [1, 2, 3]) {
      expect(flaggedRate(seed, 3, 0.1)).toBeLessThanOrEqual(0.06);
      expect(flaggedRate(seed, 5, 0.1)).toBeLessThanOrEqual(0.02);
    }
  });

  test('with one trial a side the same noise is flagged on about a third of cases (1 - sum of p^2 = 0.34)', () => {
    const rate = flaggedRate(4, 1, 0.1);
    expect(rate).toBeGreaterThan(0.3);
    expect(rate).toBeLessThan(0.4);
  });

  test('a deterministic agent is never flagged; one that now skips the lookup in 80 % of trials mostly is', () => {
    const random = seededRandom(5);
    const same = () => outputs(...Array.from({ length: 3 }, () => noisyTrial(() => 0.5 + random() * 0.5, 0)));
    for (let i = 0; i < 200; i++) expect(caseToolChanges(same(), same())).toBeNull();
    // Against a baseline that never skipped it: 91 %; against one that skipped it in 10 % of trials, the
    // trials where it did count as its own variation: 67 %.
    expect(flaggedRate(6, 3, 0.8, 0)).toBeGreaterThan(0.85);
    expect(flaggedRate(6, 3, 0.8, 0.1)).toBeGreaterThan(0.6);
  });
});
