import { describe, expect, test } from 'vitest';
import {
  cosine,
  mean,
  meanIgnoringNaN,
  noncommittalGateTrips,
  populationStd,
  relevancyInputs,
  relevancyScore,
  weightedMean,
} from '../../../src/scorers/math.js';

describe('cosine', () => {
  test('is the normalised dot product', () => {
    expect(cosine([1, 0], [0.6, 0.8])).toBe(0.6);
    expect(cosine([2, 0, 0], [0, 0, 5])).toBe(0);
  });

  test('is unclipped: opposite vectors give -1', () => {
    expect(cosine([1, 2], [-1, -2])).toBeCloseTo(-1, 12);
  });

  test('does not depend on the vectors lengths', () => {
    expect(cosine([3, 4], [30, 40])).toBeCloseTo(1, 12);
  });

  test('is NaN for a zero vector or mismatched lengths', () => {
    expect(cosine([0, 0], [1, 0])).toBeNaN();
    expect(cosine([1, 0], [1, 0, 0])).toBeNaN();
    expect(cosine([], [])).toBeNaN();
  });
});

describe('means', () => {
  test('mean', () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(mean([])).toBeNaN();
  });

  test('meanIgnoringNaN leaves NaN and null out and counts NaN', () => {
    expect(meanIgnoringNaN([0.5, Number.NaN, 1, null])).toEqual({ mean: 0.75, rows: 2, nanRows: 1 });
    expect(meanIgnoringNaN([Number.NaN, null])).toEqual({ mean: null, rows: 0, nanRows: 1 });
    expect(meanIgnoringNaN([])).toEqual({ mean: null, rows: 0, nanRows: 0 });
  });

  test('weightedMean weighs each value', () => {
    expect(
      weightedMean([
        { value: 1, weight: 2 },
        { value: 0.4, weight: 1 },
      ]),
    ).toBeCloseTo(0.8, 12);
    expect(
      weightedMean([
        { value: 0.5, weight: 1 },
        { value: 0.9, weight: 0 },
      ]),
    ).toBe(0.5);
  });

  test('weightedMean is NaN with no weight or a negative one', () => {
    expect(weightedMean([])).toBeNaN();
    expect(weightedMean([{ value: 1, weight: 0 }])).toBeNaN();
    expect(
      weightedMean([
        { value: 1, weight: -1 },
        { value: 1, weight: 2 },
      ]),
    ).toBeNaN();
  });

  test('populationStd divides by n', () => {
    expect(populationStd([0.6, 0.8, 1])).toBeCloseTo(Math.sqrt(0.08 / 3), 12);
    expect(populationStd([2, 4, 4, 4, 5, 5, 7, 9])).toBe(2);
    expect(populationStd([0.7])).toBe(0);
    expect(populationStd([])).toBeNaN();
  });
});

describe('noncommittal gate', () => {
  test.each([
    { flags: [0, 1, 0], gate: 'all', trips: false },
    { flags: [0, 1, 0], gate: 'any', trips: true },
    { flags: [1, 1, 1], gate: 'all', trips: true },
    { flags: [1, 1, 1], gate: 'any', trips: true },
    { flags: [0, 0, 0], gate: 'any', trips: false },
    { flags: [], gate: 'all', trips: false },
  ] as const)('$flags with gate $gate trips: $trips', ({ flags, gate, trips }) => {
    expect(noncommittalGateTrips(flags, gate)).toBe(trips);
  });
});

describe('relevancyScore (the golden rows of specs/ragas.md)', () => {
  test('flags [0,1,0], cos [.9,.8,.7], gate all: 0.8', () => {
    expect(relevancyScore([0.9, 0.8, 0.7], [0, 1, 0], 'all')).toBeCloseTo(0.8, 12);
  });

  test('same, gate any: 0', () => {
    expect(relevancyScore([0.9, 0.8, 0.7], [0, 1, 0], 'any')).toBe(0);
  });

  test('flags [1,1,1]: 0 under either gate', () => {
    expect(relevancyScore([0.9, 0.8, 0.7], [1, 1, 1], 'all')).toBe(0);
    expect(relevancyScore([0.9, 0.8, 0.7], [1, 1, 1], 'any')).toBe(0);
  });

  test('no kept question: 0 under all (ragas 0.4 collections), NaN under any (ragas 0.3.5)', () => {
    expect(relevancyScore([], [0, 0, 0], 'all')).toBe(0);
    expect(relevancyScore([], [0, 0, 0], 'any')).toBeNaN();
  });

  test('a NaN cosine stays NaN through a tripped gate (ragas: NaN x 0)', () => {
    expect(relevancyScore([Number.NaN, 0.8], [1, 1], 'all')).toBeNaN();
    expect(relevancyScore([Number.NaN, 0.8], [0, 1], 'any')).toBeNaN();
  });

  test('a tripped gate over a negative mean gives 0, not -0', () => {
    expect(relevancyScore([-0.4], [1], 'all')).toBe(0);
  });

  test('negative cosines are kept (unclipped)', () => {
    expect(relevancyScore([-0.2, 0.4], [0, 0], 'all')).toBeCloseTo(0.1, 12);
  });
});

describe('relevancyInputs', () => {
  const generations = [
    { question: '', noncommittal: 1 },
    { question: ' \n', noncommittal: 1 },
    { question: 'q1', noncommittal: 0 },
    { question: 'q2', noncommittal: 1 },
  ] as const;

  test('all: blank questions dropped, with their flags', () => {
    expect(relevancyInputs(generations, 'all')).toEqual({ questions: ['q1', 'q2'], flags: [0, 1] });
  });

  test('any: blank questions dropped, every flag kept', () => {
    expect(relevancyInputs(generations, 'any')).toEqual({ questions: ['q1', 'q2'], flags: [1, 1, 0, 1] });
  });
});
