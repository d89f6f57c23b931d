import { describe, expect, test } from 'vitest';
import { aggregateTrials } from '../../../src/scorers/aggregate.js';
import type { TrialResult } from '../../../src/scorers/types.js';

function trial(over: Partial<TrialResult> & { score: number }): TrialResult {
  return {
    checks: [{ name: 'max_chars 200', pass: true, detail: '40 chars, within the limit of 200' }],
    failed_checks: [],
    rubric: over.score,
    criteria: [{ id: 'a', score: over.score, raw: over.score * 10, reason: `r${over.score}` }],
    faithfulness: null,
    answer_relevancy: null,
    judge: { model: 'openai:gpt-4.1', samples: 1, used_logprobs: false },
    ...over,
  };
}

describe('aggregateTrials', () => {
  test('the case score is the mean; min, max, population std and n', () => {
    const result = aggregateTrials([trial({ score: 0.6 }), trial({ score: 0.8 }), trial({ score: 1 })]);
    expect(result.score).toBeCloseTo(0.8, 12);
    expect(result.spread.n).toBe(3);
    expect(result.spread.scores).toEqual([0.6, 0.8, 1]);
    expect(result.spread.min).toBe(0.6);
    expect(result.spread.max).toBe(1);
    expect(result.spread.std).toBeCloseTo(Math.sqrt(0.08 / 3), 12);
    expect(result.rubric).toBeCloseTo(0.8, 12);
  });

  test('one trial: std 0, the trial as is', () => {
    const only = trial({ score: 0.7, faithfulness: 0.5, answer_relevancy: 0.9 });
    const result = aggregateTrials([only]);
    expect(result).toMatchObject({
      score: 0.7,
      spread: { n: 1, scores: [0.7], min: 0.7, max: 0.7, std: 0 },
      faithfulness: 0.5,
      answer_relevancy: 0.9,
      nan_trials: { faithfulness: 0, answer_relevancy: 0 },
      nan_metrics: [],
      checks: only.checks,
      failed_checks: [],
    });
    expect(result.trials).toEqual([only]);
  });

  test('faithfulness and relevancy means skip NaN trials and count them', () => {
    const result = aggregateTrials([
      trial({ score: 1, faithfulness: 0.5, answer_relevancy: 0.8 }),
      trial({ score: 1, faithfulness: Number.NaN, answer_relevancy: 0.6 }),
      trial({ score: 1, faithfulness: 1, answer_relevancy: 0.7 }),
    ]);
    expect(result.faithfulness).toBe(0.75);
    expect(result.answer_relevancy).toBeCloseTo(0.7, 12);
    expect(result.nan_trials).toEqual({ faithfulness: 1, answer_relevancy: 0 });
    expect(result.nan_metrics).toEqual([]);
  });

  test('a metric NaN in every trial is null and listed; one never computed is null and not listed', () => {
    const result = aggregateTrials([
      trial({ score: 1, faithfulness: Number.NaN }),
      trial({ score: 1, faithfulness: Number.NaN }),
    ]);
    expect(result.faithfulness).toBeNull();
    expect(result.answer_relevancy).toBeNull();
    expect(result.nan_metrics).toEqual(['faithfulness']);
    expect(result.nan_trials).toEqual({ faithfulness: 2, answer_relevancy: 0 });
  });

  test('a check that failed in any trial fails, naming the trial', () => {
    const failing = {
      checks: [{ name: 'max_chars 200', pass: false, detail: '250 chars, 50 over the limit of 200' }],
      failed_checks: ['max_chars 200'],
    };
    const result = aggregateTrials([
      trial({ score: 0.9 }),
      trial({ score: 0, ...failing }),
      trial({ score: 0.9 }),
    ]);
    expect(result.score).toBeCloseTo(0.6, 12);
    expect(result.checks).toEqual([
      { name: 'max_chars 200', pass: false, detail: 'trial 2/3: 250 chars, 50 over the limit of 200' },
    ]);
    expect(result.failed_checks).toEqual(['max_chars 200']);
  });

  test('criteria: means of score, raw and weighted; the first reason', () => {
    const result = aggregateTrials([
      trial({ score: 0.8, criteria: [{ id: 'a', score: 0.82, raw: 8, weighted: 8.2, reason: 'first' }] }),
      trial({ score: 0.6, criteria: [{ id: 'a', score: 0.64, raw: 6, weighted: 6.4, reason: 'second' }] }),
    ]);
    expect(result.criteria).toHaveLength(1);
    expect(result.criteria[0]?.id).toBe('a');
    expect(result.criteria[0]?.score).toBeCloseTo(0.73, 12);
    expect(result.criteria[0]?.raw).toBe(7);
    expect(result.criteria[0]?.weighted).toBeCloseTo(7.3, 12);
    expect(result.criteria[0]?.reason).toBe('first');
  });

  test('no criteria: rubric null, judge null', () => {
    const result = aggregateTrials([trial({ score: 1, rubric: null, criteria: [], judge: null })]);
    expect(result.rubric).toBeNull();
    expect(result.judge).toBeNull();
    expect(result.criteria).toEqual([]);
  });

  test('no trials is an error with a code', () => {
    expect(() => aggregateTrials([])).toThrowError(
      expect.objectContaining({
        code: 'E_NO_TRIALS',
        message: 'no trials to aggregate; run the case at least once (repeats >= 1)',
      }),
    );
  });
});
