import { describe, expect, test } from 'vitest';
import { didYouMean, editDistance, nearest } from '../../../src/internal/did-you-mean.js';

describe('editDistance', () => {
  test.each([
    ['', '', 0],
    ['', 'abc', 3],
    ['abc', '', 3],
    ['abc', 'abc', 0],
    ['rubric_min_scroe', 'rubric_min_score', 1],
    ['ab', 'ba', 1],
    ['kitten', 'sitting', 3],
    ['timeout', 'timeout_s', 2],
    ['ca', 'abc', 3],
  ])('%j -> %j is %i', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });
});

describe('nearest', () => {
  const keys = ['rubric_min_score', 'ragas', 'max_per_case_regression'];

  test('finds a transposition typo', () => {
    expect(nearest('rubric_min_scroe', keys)).toBe('rubric_min_score');
  });

  test('compares ignoring case', () => {
    expect(nearest('RAGAS', keys)).toBe('ragas');
  });

  test('gives nothing for a word far from every candidate', () => {
    expect(nearest('judge_model', keys)).toBeUndefined();
  });

  test('allows one edit only for words of up to three characters', () => {
    expect(nearest('rpn', ['rpm'])).toBe('rpm');
    expect(nearest('zz', ['a'])).toBeUndefined();
  });

  test('prefers the closest candidate, then the earlier one', () => {
    expect(nearest('abcd', ['abxx', 'abcx', 'abcy'])).toBe('abcx');
  });

  test('didYouMean formats the hint or nothing', () => {
    expect(didYouMean('ragsa', keys)).toBe('; did you mean ragas?');
    expect(didYouMean('unrelated_key', keys)).toBe('');
  });
});
