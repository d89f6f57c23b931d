/**
 * The arithmetic of scoring, free of effects: cosine similarity, means, the
 * answer-relevancy gate, the spread of repeated trials.
 */

/**
 * Cosine similarity of two vectors, unclipped (ragas does not clip: it can be negative).
 * NaN when either vector is all zeros or the lengths differ.
 *
 * @example
 * cosine([1, 0], [0.6, 0.8]) // 0.6
 */
export function cosine(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length || a.length === 0) return Number.NaN;
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  if (normA === 0 || normB === 0) return Number.NaN;
  return dot / (Math.sqrt(normA) * Math.sqrt(normB));
}

/**
 * The arithmetic mean; NaN for an empty list.
 *
 * @example
 * mean([0.9, 0.8, 0.7]) // 0.8 (to floating-point precision)
 */
export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/**
 * The mean of the values that are numbers (not NaN, not null), and how many were left out.
 * `mean` is `null` when nothing is left.
 *
 * @example
 * meanIgnoringNaN([0.5, Number.NaN, 1, null]) // { mean: 0.75, rows: 2, nanRows: 1 }
 */
export function meanIgnoringNaN(values: readonly (number | null)[]): {
  mean: number | null;
  rows: number;
  nanRows: number;
} {
  const present = values.filter((v): v is number => v !== null);
  const kept = present.filter((v) => !Number.isNaN(v));
  return {
    mean: kept.length === 0 ? null : mean(kept),
    rows: kept.length,
    nanRows: present.length - kept.length,
  };
}

/**
 * The mean of `value` weighted by `weight`. Weights must be non-negative with a positive sum;
 * otherwise the result is NaN (config validation keeps weights positive).
 *
 * @example
 * weightedMean([{ value: 1, weight: 2 }, { value: 0.4, weight: 1 }]) // 0.8
 */
export function weightedMean(items: readonly { value: number; weight: number }[]): number {
  let total = 0;
  let sum = 0;
  for (const { value, weight } of items) {
    if (weight < 0) return Number.NaN;
    total += weight;
    sum += value * weight;
  }
  return total > 0 ? sum / total : Number.NaN;
}

/**
 * Population standard deviation (divides by n, not n - 1): the spread of the trials we ran,
 * not an estimate for trials we did not. NaN for an empty list.
 *
 * @example
 * populationStd([0.6, 0.8, 1]) // 0.1633 (to 4 places)
 */
export function populationStd(values: readonly number[]): number {
  const m = mean(values);
  if (Number.isNaN(m)) return Number.NaN;
  return Math.sqrt(mean(values.map((v) => (v - m) ** 2)));
}

/**
 * How the noncommittal flags of answer_relevancy zero the score, and which ragas it follows.
 * `all` (the default; ragas 0.4 collections, >= 0.3.6): only when every kept question is noncommittal.
 * `any` (ragas <= 0.3.5, autoevals): when any generation is, empty questions included.
 */
export type NoncommittalGate = 'all' | 'any';

/**
 * Whether the noncommittal gate trips (the score becomes 0) for these flags.
 *
 * @example
 * noncommittalGateTrips([0, 1, 0], 'all') // false
 * noncommittalGateTrips([0, 1, 0], 'any') // true
 */
export function noncommittalGateTrips(flags: readonly (0 | 1)[], gate: NoncommittalGate): boolean {
  if (flags.length === 0) return false;
  return gate === 'all' ? flags.every((f) => f === 1) : flags.some((f) => f === 1);
}

/**
 * The questions answer_relevancy embeds and the flags its gate reads. Empty and whitespace-only
 * questions are dropped under either gate (ragas keeps whitespace, and 0.3.5 keeps empty ones:
 * docs/scoring.md says why not). `all` reads the flags of the kept questions, as ragas 0.4
 * collections does; `any` reads every generation's, as ragas 0.3.5 does.
 *
 * @example
 * relevancyInputs([{ question: '', noncommittal: 0 }, { question: 'q', noncommittal: 1 }], 'all')
 * // { questions: ['q'], flags: [1] }
 */
export function relevancyInputs(
  generations: readonly { question: string; noncommittal: 0 | 1 }[],
  gate: NoncommittalGate,
): { questions: string[]; flags: (0 | 1)[] } {
  const kept = generations.filter((g) => g.question.trim() !== '');
  return {
    questions: kept.map((g) => g.question),
    flags: (gate === 'all' ? kept : generations).map((g) => g.noncommittal),
  };
}

/**
 * ragas answer_relevancy from the cosines of the kept questions and the flags the gate reads
 * (`relevancyInputs`): the mean cosine, times 0 when the gate trips, so an undefined cosine
 * (a zero embedding) stays NaN as in ragas. No question kept: 0 under `all` (ragas 0.4
 * collections), NaN under `any` (ragas 0.3.5).
 *
 * @example
 * relevancyScore([0.9, 0.8, 0.7], [0, 1, 0], 'all') // 0.8 (to floating-point precision)
 * relevancyScore([Number.NaN], [1], 'all') // NaN
 */
export function relevancyScore(
  cosines: readonly number[],
  flags: readonly (0 | 1)[],
  gate: NoncommittalGate,
): number {
  if (cosines.length === 0) return gate === 'all' ? 0 : Number.NaN;
  const score = mean(cosines);
  // ragas multiplies by 0; this spelling keeps NaN without turning a negative mean into -0.
  return noncommittalGateTrips(flags, gate) && !Number.isNaN(score) ? 0 : score;
}
