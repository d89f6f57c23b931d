import { describe, expect, test } from 'vitest';
import {
  armStats,
  detectableDrop,
  dropTest,
  holm,
  normalCdf,
  normalQuantile,
  pairedInterval,
  studentTCdf,
  tQuantile,
} from '../../../src/scorecard/statistics.js';

describe('the distributions', () => {
  test('normal and Student t against their tables', () => {
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1.644854)).toBeCloseTo(0.05, 6);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.8)).toBeCloseTo(0.841621, 5);
    // t tables: 0.975 quantiles at 1, 4, 10 and 30 degrees of freedom.
    expect(tQuantile(0.975, 1)).toBeCloseTo(12.7062, 3);
    expect(tQuantile(0.975, 4)).toBeCloseTo(2.7764, 3);
    expect(tQuantile(0.975, 10)).toBeCloseTo(2.2281, 3);
    expect(tQuantile(0.975, 30)).toBeCloseTo(2.0423, 3);
    expect(studentTCdf(-1, 3)).toBeCloseTo(0.1955, 4);
    expect(studentTCdf(0, 7)).toBeCloseTo(0.5, 12);
    expect(studentTCdf(2, Number.POSITIVE_INFINITY)).toBeCloseTo(normalCdf(2), 12);
  });
});

describe('dropTest', () => {
  test('pooled variance from both arms and the prior, one-sided p, 95 % interval', () => {
    const result = dropTest({ n: 4, mean: 90, sd: 2 }, { n: 4, mean: 80, sd: 2 }, { sd: 0, df: 0 });
    expect(result.drop).toBe(10);
    expect(result.df).toBe(6);
    expect(result.se).toBeCloseTo(Math.SQRT2, 12);
    expect(result.p).toBeCloseTo(1 - studentTCdf(10 / Math.SQRT2, 6), 12);
    expect(result.interval![0]).toBeCloseTo(10 - tQuantile(0.975, 6) * Math.SQRT2, 9);
  });

  test('a prior adds its degrees of freedom at its sd: one trial a side is testable', () => {
    const result = dropTest({ n: 1, mean: 90, sd: 0 }, { n: 1, mean: 84, sd: 0 }, { sd: 3, df: 20 });
    expect(result.df).toBe(20);
    expect(result.se).toBeCloseTo(3 * Math.SQRT2, 12);
    expect(result.p).toBeCloseTo(1 - studentTCdf(6 / (3 * Math.SQRT2), 20), 12);
  });

  test('no degrees of freedom: no estimate (se null, p 1); identical arms with no spread: p 1, a constant drop: p 0', () => {
    expect(dropTest({ n: 1, mean: 90, sd: 0 }, { n: 1, mean: 80, sd: 0 }, { sd: 0, df: 0 })).toEqual({
      drop: 10,
      se: null,
      df: 0,
      p: 1,
      interval: null,
    });
    expect(dropTest({ n: 3, mean: 90, sd: 0 }, { n: 3, mean: 90, sd: 0 }, { sd: 0, df: 0 }).p).toBe(1);
    expect(dropTest({ n: 3, mean: 90, sd: 0 }, { n: 3, mean: 85, sd: 0 }, { sd: 0, df: 0 }).p).toBe(0);
  });
});

describe('holm', () => {
  test('step-down at alpha / (m - rank), stopping at the first acceptance; adjusted p monotone', () => {
    expect(holm([0.001, 0.04, 0.3], 0.05)).toEqual({
      rejected: [true, false, false],
      adjusted: [0.003, 0.08, 0.3],
    });
    // 0.012 <= 0.05 / 3, 0.02 <= 0.05 / 2, 0.04 <= 0.05 / 1: all three.
    expect(holm([0.04, 0.012, 0.02], 0.05).rejected).toEqual([true, true, true]);
    // Bonferroni would take only the first; Holm stops at 0.03 > 0.05 / 2.
    expect(holm([0.01, 0.03, 0.03], 0.05).rejected).toEqual([true, false, false]);
    expect(holm([], 0.05)).toEqual({ rejected: [], adjusted: [] });
  });
});

describe('intervals and detectable drops', () => {
  test('the paired interval over cases and the normal-approximation detectable drop', () => {
    expect(pairedInterval([-1, 0, 1, 2])).toEqual({ mean: 0.5, interval: [-1.55426, 2.55426], n: 4 });
    expect(pairedInterval([3])).toBeNull();
    expect(detectableDrop(2, 0.05 / 40, 0.8)).toBeCloseTo(
      2 * (normalQuantile(1 - 0.05 / 40) + normalQuantile(0.8)),
      9,
    );
    expect(armStats([80, 90, 100])).toEqual({ n: 3, mean: 90, sd: 10 });
  });
});
