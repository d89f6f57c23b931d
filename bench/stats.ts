/** Summaries of repeated measurements. Pure. */

/** The median, min and max of a figure over its runs. */
export interface Summary {
  median: number;
  min: number;
  max: number;
  runs: number;
}

/**
 * Median (mean of the middle two for an even count), min and max.
 *
 * @example
 * summarize([3, 1, 2, 10]) // { median: 2.5, min: 1, max: 10, runs: 4 }
 */
export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, runs: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted.at(-1)!, runs: sorted.length };
}

/**
 * Least-squares slope and intercept of y over x: the per-unit cost and the fixed cost.
 *
 * @example
 * linearFit([1, 2, 3], [12, 14, 16]) // { slope: 2, intercept: 10 }
 */
export function linearFit(
  xs: readonly number[],
  ys: readonly number[],
): { slope: number; intercept: number } {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  const slope = den === 0 ? Number.NaN : num / den;
  return { slope, intercept: my - slope * mx };
}
