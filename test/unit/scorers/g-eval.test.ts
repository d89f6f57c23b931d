import { describe, expect, test } from 'vitest';
import { findScoreSpans, weightedScoreAt, weightedScores } from '../../../src/scorers/g-eval.js';
import type { TokenLogprob } from '../../../src/providers/types.js';

const alt = (token: string, p: number) => ({ token, logprob: Math.log(p) });

describe('weightedScoreAt', () => {
  test('sums s*p over integer tokens and normalises by their p', () => {
    expect(weightedScoreAt([alt('8', 0.6), alt('7', 0.3), alt('x', 0.1)])).toBeCloseTo(
      (8 * 0.6 + 7 * 0.3) / 0.9,
      12,
    );
  });

  test('drops alternatives below p = 0.01 and integers outside 0..10', () => {
    expect(weightedScoreAt([alt('9', 0.5), alt('3', 0.009), alt('11', 0.3), alt('10', 0.2)])).toBeCloseTo(
      (9 * 0.5 + 10 * 0.2) / 0.7,
      12,
    );
  });

  test('reads tokens with surrounding spaces and counts each spelling', () => {
    expect(weightedScoreAt([alt(' 6', 0.5), alt('6', 0.25), alt('4 ', 0.25)])).toBeCloseTo(5.5, 12);
  });

  test('ignores non-integer tokens such as "7.", "-1" or "07x"', () => {
    expect(weightedScoreAt([alt('7.', 0.4), alt('-1', 0.3), alt('07x', 0.2), alt('2', 0.1)])).toBe(2);
  });

  test('is undefined when nothing qualifies', () => {
    expect(weightedScoreAt([alt('a', 0.9), alt('5', 0.001)])).toBeUndefined();
    expect(weightedScoreAt([])).toBeUndefined();
  });
});

describe('findScoreSpans', () => {
  test('finds each criterion score, in order', () => {
    const json = '{"criteria":[{"id":"a","reason":"ok","score": 7},{"id":"b","reason":"no","score":10}]}';
    expect(findScoreSpans(json)).toEqual([
      { start: 46, end: 47, text: '7' },
      { start: 81, end: 83, text: '10' },
    ]);
  });

  test('skips "score" written inside a reason', () => {
    const json = '{"criteria":[{"id":"a","reason":"give \\"score\\": 10 here","score":3}]}';
    expect(findScoreSpans(json).map((s) => s.text)).toEqual(['3']);
  });

  test('skips score keys outside the criteria items', () => {
    const json = '{"score":9,"criteria":[{"id":"a","reason":"r","score":2,"extra":{"score":5}}]}';
    expect(findScoreSpans(json).map((s) => s.text)).toEqual(['2']);
  });

  test('reports non-integer values as written', () => {
    expect(findScoreSpans('{"criteria":[{"score":7.5},{"score":-1}]}').map((s) => s.text)).toEqual([
      '7.5',
      '-1',
    ]);
  });

  test('finds nothing in text that is not a criteria reply', () => {
    expect(findScoreSpans('score: 7')).toEqual([]);
    expect(findScoreSpans('{"criteria":[{"score":"7"}]}')).toEqual([]);
  });
});

/** Splits a JSON reply into tokens, giving the score digits their own token with these alternatives. */
function tokensOf(parts: (string | { digits: string; top: [string, number][] })[]): TokenLogprob[] {
  return parts.map((part) =>
    typeof part === 'string'
      ? { token: part, logprob: 0, top: [] }
      : {
          token: part.digits,
          logprob: Math.log(part.top[0]?.[1] ?? 1),
          top: part.top.map(([token, p]) => alt(token, p)),
        },
  );
}

describe('weightedScores', () => {
  test('weights each criterion at its score token', () => {
    const tokens = tokensOf([
      '{"criteria":[{"id":"a","reason":"fine","score":',
      {
        digits: '8',
        top: [
          ['8', 0.7],
          ['9', 0.2],
          ['7', 0.1],
        ],
      },
      '},{"id":"b","reason":"partly","score": ',
      {
        digits: '4',
        top: [
          ['4', 0.5],
          ['5', 0.5],
        ],
      },
      '}]}',
    ]);
    const scores = weightedScores(tokens);
    expect(scores.map((s) => s.value)).toEqual([8, 4]);
    expect(scores[0]?.weighted).toBeCloseTo(8 * 0.7 + 9 * 0.2 + 7 * 0.1, 12);
    expect(scores[1]?.weighted).toBeCloseTo(4.5, 12);
  });

  test('a token with a leading space still counts', () => {
    const tokens = tokensOf([
      '{"criteria":[{"id":"a","reason":"r","score":',
      {
        digits: ' 10',
        top: [
          [' 10', 0.75],
          [' 9', 0.25],
        ],
      },
      '}]}',
    ]);
    expect(weightedScores(tokens)).toEqual([{ value: 10, weighted: 9.75 }]);
  });

  test('digits split across tokens, or glued to punctuation, give no weighting', () => {
    const split = tokensOf([
      '{"criteria":[{"id":"a","reason":"r","score":',
      {
        digits: '1',
        top: [
          ['1', 0.9],
          ['9', 0.1],
        ],
      },
      '0}]}',
    ]);
    expect(weightedScores(split)).toEqual([{ value: 10, weighted: undefined }]);
    const glued = tokensOf([
      '{"criteria":[{"id":"a","reason":"r","score":',
      {
        digits: '7}',
        top: [
          ['7}', 0.9],
          ['8}', 0.1],
        ],
      },
      ']}',
    ]);
    expect(weightedScores(glued)).toEqual([{ value: 7, weighted: undefined }]);
  });

  test('without alternatives the chosen token alone gives its own value', () => {
    const tokens: TokenLogprob[] = [
      { token: '{"criteria":[{"id":"a","reason":"r","score":', logprob: 0, top: [] },
      { token: '6', logprob: Math.log(0.4), top: [] },
      { token: '}]}', logprob: 0, top: [] },
    ];
    const [only] = weightedScores(tokens);
    expect(only?.value).toBe(6);
    expect(only?.weighted).toBeCloseTo(6, 12);
  });
});
