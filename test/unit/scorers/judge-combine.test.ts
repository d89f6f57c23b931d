import { describe, expect, test } from 'vitest';
import type { TokenLogprob } from '../../../src/providers/types.js';
import { combineJudgeSamples } from '../../../src/scorers/judge.js';
import type { JudgeReply } from '../../../src/scorers/judge-prompt.js';

const criteria = [
  { id: 'a', text: 'A', weight: 2 },
  { id: 'b', text: 'B', weight: 1 },
];
const reply = (a: number, b: number, reason = 'r'): JudgeReply => ({
  criteria: [
    { id: 'a', reason: `${reason}-a`, score: a },
    { id: 'b', reason: `${reason}-b`, score: b },
  ],
});

/** The tokens of `JSON.stringify(reply)` with each score digit its own token and these alternatives. */
function tokens(value: JudgeReply, alternatives: [string, number][][]): TokenLogprob[] {
  const text = JSON.stringify(value);
  const out: TokenLogprob[] = [];
  let rest = text;
  for (const [i, entry] of value.criteria.entries()) {
    const marker = `"score":${entry.score}`;
    const at = rest.indexOf(marker) + '"score":'.length;
    out.push({ token: rest.slice(0, at), logprob: 0, top: [] });
    const top = (alternatives[i] ?? []).map(([token, p]) => ({ token, logprob: Math.log(p) }));
    out.push({ token: String(entry.score), logprob: top[0]?.logprob ?? 0, top });
    rest = rest.slice(at + String(entry.score).length);
  }
  out.push({ token: rest, logprob: 0, top: [] });
  return out;
}

describe('combineJudgeSamples', () => {
  test('one sample without logprobs: the raw integer over 10', () => {
    expect(combineJudgeSamples(criteria, [reply(8, 3)], [undefined])).toEqual([
      { id: 'a', score: 0.8, raw: 8, reason: 'r-a' },
      { id: 'b', score: 0.3, raw: 3, reason: 'r-b' },
    ]);
  });

  test('samples: the mean of the raws; the first sample gives the reason', () => {
    const results = combineJudgeSamples(criteria, [reply(8, 3, 'x'), reply(6, 4, 'y'), reply(7, 5, 'z')], []);
    expect(results).toEqual([
      { id: 'a', score: 0.7, raw: 7, reason: 'x-a' },
      { id: 'b', score: 0.4, raw: 4, reason: 'x-b' },
    ]);
  });

  test('logprobs: the weighted score is used, the raw kept', () => {
    const r = reply(8, 3);
    const [a, b] = combineJudgeSamples(
      criteria,
      [r],
      [
        tokens(r, [
          [
            ['8', 0.5],
            ['9', 0.5],
          ],
          [
            ['3', 0.8],
            ['2', 0.2],
          ],
        ]),
      ],
    );
    expect(a?.raw).toBe(8);
    expect(a?.weighted).toBeCloseTo(8.5, 12);
    expect(a?.score).toBeCloseTo(0.85, 12);
    expect(b?.raw).toBe(3);
    expect(b?.weighted).toBeCloseTo(2.8, 12);
    expect(b?.score).toBeCloseTo(0.28, 12);
  });

  test('logprobs on every sample: the mean of the weighted scores', () => {
    const r1 = reply(8, 3);
    const r2 = reply(6, 3);
    const [a] = combineJudgeSamples(
      criteria,
      [r1, r2],
      [
        tokens(r1, [[['8', 1]], [['3', 1]]]),
        tokens(r2, [
          [
            ['6', 0.5],
            ['7', 0.5],
          ],
          [['3', 1]],
        ]),
      ],
    );
    expect(a?.raw).toBe(7);
    expect(a?.weighted).toBeCloseTo(7.25, 12);
  });

  test('a sample without logprobs drops the weighting (raw mean used)', () => {
    const r1 = reply(8, 3);
    const r2 = reply(6, 3);
    const [a] = combineJudgeSamples(criteria, [r1, r2], [tokens(r1, [[['8', 1]], [['3', 1]]]), undefined]);
    expect(a).toEqual({ id: 'a', score: 0.7, raw: 7, reason: 'r-a' });
  });

  test('logprobs that do not match the parsed reply are not used', () => {
    const written = reply(8, 3);
    const parsed = reply(5, 3);
    const [a] = combineJudgeSamples(criteria, [parsed], [tokens(written, [[['8', 1]], [['3', 1]]])]);
    expect(a).toEqual({ id: 'a', score: 0.5, raw: 5, reason: 'r-a' });
  });

  test('results follow the case order, whatever the reply order', () => {
    const swapped: JudgeReply = {
      criteria: [
        { id: 'b', reason: 'rb', score: 1 },
        { id: 'a', reason: 'ra', score: 10 },
      ],
    };
    expect(combineJudgeSamples(criteria, [swapped], [undefined]).map((c) => [c.id, c.score])).toEqual([
      ['a', 1],
      ['b', 0.1],
    ]);
  });
});
