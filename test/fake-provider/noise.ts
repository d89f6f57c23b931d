/**
 * Seeded noise for the eval world (`evalResponder({ noise })`): an agent whose
 * answer quality moves a notch now and then, a judge whose samples scatter
 * around that quality, and the token probabilities a judge with logprobs would
 * give. Every outcome is drawn from a hash of what identifies it (seed, model,
 * request text, how many times that text came before, sample, criterion), not
 * from one shared sequence, so concurrent requests in any order draw the same
 * multiset of outcomes.
 */
import { fnv1a, mulberry32 } from './prng.js';
import { autoLogprobs } from './tokens.js';
import type { ScriptedLogprob } from './types.js';

/** Chances of one notch down and one notch up, each in [0, 1], adding up to at most 1. */
export interface NotchOdds {
  down: number;
  up: number;
}

/**
 * Reproducible noise in the eval world.
 *
 * @example
 * evalResponder({ noise: { seed: 7, agent: { down: 0.15, up: 0.15 }, judge: { down: 0.1, up: 0.1 }, logprobSpread: 0.2 } });
 */
export interface EvalNoise {
  seed: number;
  /** Each agent answer's quality moves one notch (1 on the judge's 0..10 scale, every criterion) down / up, drawn per agent request. */
  agent?: NotchOdds | undefined;
  /** Each judge sample's integer, per criterion, moves one notch down / up, drawn per sample. */
  judge?: NotchOdds | undefined;
  /**
   * With logprobs requested: probability mass given to the two neighbours of the
   * sampled integer at the score token (0 = one-hot, today's behaviour), in [0, 1).
   * For a fractional quality both of its integers give that share to their
   * neighbours; the split between lower and upper is jittered per sample.
   */
  logprobSpread?: number | undefined;
}

/** The judge's scale. */
const MIN = 0;
const MAX = 10;

/**
 * Throws one line naming the knob and the fix when noise options are out of range.
 *
 * @example
 * validateNoise({ seed: 1, agent: { down: 0.6, up: 0.6 } }); // RangeError: ... add up to 1.2 ...
 */
export function validateNoise(noise: EvalNoise): void {
  if (!Number.isInteger(noise.seed)) {
    throw new RangeError(`evalResponder: noise.seed is ${noise.seed}; give an integer`);
  }
  for (const knob of ['agent', 'judge'] as const) {
    const odds = noise[knob];
    if (odds === undefined) continue;
    const { down, up } = odds;
    if (!(down >= 0 && up >= 0 && down + up <= 1)) {
      throw new RangeError(
        `evalResponder: noise.${knob} is { down: ${down}, up: ${up} }; keep each >= 0 and their sum <= 1`,
      );
    }
  }
  const spread = noise.logprobSpread ?? 0;
  if (!(spread >= 0 && spread < 1)) {
    throw new RangeError(`evalResponder: noise.logprobSpread is ${spread}; keep it in [0, 1)`);
  }
}

/**
 * Counts how often each key came before: 0 the first time, then 1, 2, ...
 *
 * @example
 * const seen = occurrences(); seen('a'); seen('a'); // 0, then 1
 */
export function occurrences(): (key: string) => number {
  const counts = new Map<string, number>();
  return (key) => {
    const count = counts.get(key) ?? 0;
    counts.set(key, count + 1);
    return count;
  };
}

/**
 * The uniform numbers in [0, 1) of one outcome: a mulberry32 stream seeded by the
 * FNV-1a hash of the seed and the parts that identify the outcome.
 *
 * @example
 * drawsFor(7, ['agent', 'gpt-5', 'Hello', 0])(); // the same number on every run
 */
export function drawsFor(seed: number, parts: readonly (string | number)[]): () => number {
  return mulberry32(fnv1a([seed, ...parts].join('\u0000')));
}

/**
 * -1, 0 or +1 for a uniform draw: down below `down`, up in the next `up`.
 *
 * @example
 * notch(0.05, { down: 0.1, up: 0.1 }); // -1
 */
export function notch(u: number, odds: NotchOdds | undefined): -1 | 0 | 1 {
  if (odds === undefined) return 0;
  if (u < odds.down) return -1;
  if (u < odds.down + odds.up) return 1;
  return 0;
}

/**
 * A score held to the judge's 0..10 scale.
 *
 * @example
 * clampScore(11); // 10
 */
export function clampScore(score: number): number {
  return Math.min(MAX, Math.max(MIN, score));
}

/**
 * The integer a judge writes for a fractional quality: the ceiling with the
 * probability of the fraction, else the floor, so its mean is the quality.
 *
 * @example
 * ditherScore(8.8, 0.5); // 9 (p = 0.8); ditherScore(8.8, 0.9) is 8
 */
export function ditherScore(quality: number, u: number): number {
  const floor = Math.floor(quality);
  return u < quality - floor ? floor + 1 : floor;
}

/**
 * The probabilities of the integers at a score token, index = score: the dither's
 * (floor 1 - fraction, ceiling fraction), each integer then giving `spread` of its
 * mass to its neighbours, `lowerShare` of it to the lower one (mass that would leave
 * the scale stays). The mean is `quality + spread * (1 - 2 * lowerShare)` away from the ends.
 *
 * @example
 * scoreDistribution(8.8, 0, 0.5); // p[8] = 0.2, p[9] = 0.8, the rest 0
 */
export function scoreDistribution(quality: number, spread: number, lowerShare: number): number[] {
  const floor = Math.floor(quality);
  const base = new Array<number>(MAX + 1).fill(0);
  base[floor] = 1 - (quality - floor);
  if (floor < MAX) base[floor + 1] = quality - floor;
  const p = new Array<number>(MAX + 1).fill(0);
  base.forEach((mass, score) => {
    const down = mass * spread * lowerShare;
    const up = mass * spread * (1 - lowerShare);
    p[score]! += mass - down - up;
    p[Math.max(MIN, score - 1)]! += down;
    p[Math.min(MAX, score + 1)]! += up;
  });
  return p;
}

/** What one judge sample says about one criterion. */
export interface CriterionDraw {
  /** The integer written in the reply. */
  score: number;
  /** Probabilities by integer (index = score) for the score token. */
  distribution: number[];
}

/**
 * One judge sample of one criterion: the quality moved by the judge's notch and
 * clamped, dithered to the integer written, and the token probabilities around it.
 * Draws, in order: the notch, the dither, the spread's lower share (uniform in [0.25, 0.75)).
 *
 * @example
 * drawCriterion(8.8, { seed: 1 }, drawsFor(1, ['judge', 'j', 'prompt', 0, 0, 0])).score; // 8 or 9
 */
export function drawCriterion(quality: number, noise: EvalNoise, next: () => number): CriterionDraw {
  const moved = clampScore(quality + notch(next(), noise.judge));
  const score = ditherScore(moved, next());
  const lowerShare = 0.25 + next() / 2;
  return { score, distribution: scoreDistribution(moved, noise.logprobSpread ?? 0, lowerShare) };
}

/** Whether a distribution puts all its mass on one integer (then the score token is today's one-hot). */
export function isOneHot(distribution: readonly number[]): boolean {
  return distribution.some((p) => p === 1);
}

/**
 * Log-probabilities for a judge reply's JSON text: `autoLogprobs` for every token,
 * except each `"score":N` value token, which carries the integer written with its
 * probability and, as `top`, the integers the distribution gives mass to (at most
 * `top`, most probable first), as integer tokens the way OpenAI sends them.
 *
 * @example
 * scoreLogprobs('{"criteria":[{"id":"a","reason":"r","score":9}]}', [{ score: 9, distribution }], 20);
 */
export function scoreLogprobs(
  content: string,
  draws: readonly CriterionDraw[],
  top: number,
): ScriptedLogprob[] {
  const tokens = autoLogprobs(content, top);
  let found = 0;
  const result = tokens.map((entry, i) => {
    const isScore =
      /^\d+$/.test(entry.token) &&
      tokens[i - 1]?.token === ':' &&
      tokens[i - 2]?.token === '"' &&
      tokens[i - 3]?.token === 'score' &&
      tokens[i - 4]?.token === '"';
    if (!isScore) return entry;
    const draw = draws[found++];
    if (draw === undefined || String(draw.score) !== entry.token) {
      throw new Error(`evalResponder: score token ${entry.token} does not line up with the drawn scores`);
    }
    return scoreToken(draw, top);
  });
  if (found !== draws.length) {
    throw new Error(`evalResponder: ${found} score tokens for ${draws.length} drawn scores`);
  }
  return result;
}

function scoreToken({ score, distribution }: CriterionDraw, top: number): ScriptedLogprob {
  const alternatives = distribution
    .map((p, value) => ({ token: String(value), p }))
    .filter((alt) => alt.p > 0)
    .sort((a, b) => b.p - a.p)
    .slice(0, top)
    .map((alt) => ({ token: alt.token, logprob: Math.log(alt.p) }));
  return { token: String(score), logprob: Math.log(distribution[score]!), top: alternatives };
}

/**
 * The scores of `[score=...]` in a text moved by `by` notches and clamped; the text unchanged for 0.
 *
 * @example
 * moveScores('Yes. [score=9.5,10]', 1); // 'Yes. [score=10,10]'
 */
export function moveScores(text: string, by: number): string {
  if (by === 0) return text;
  return text.replace(SCORE_TAG, (_, list: string) => {
    const moved = list.split(',').map((s) => +clampScore(Number(s) + by).toFixed(6));
    return `[score=${moved.join(',')}]`;
  });
}

/** `[score=9]` scores every criterion 9; `[score=9,8]` scores them in order; `[score=8.8]` is a fractional quality. */
export const SCORE_TAG = /\[score=([\d.,]+)\]/;
