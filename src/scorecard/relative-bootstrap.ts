/**
 * The paired, seeded bootstrap of the relative gates (docs/scoring.md "Relative gates"): the ratio of
 * a statistic (mean, sum or quantile) of this run's per-case values to the baseline's, over the
 * compared cases resampled together. The seed comes from the gate's name and the sorted case ids,
 * so a sharded run and an unsharded one, or the same run again, reach the same interval.
 */
import { seededRandom } from '../cli/commands/import/sample.js';

/** Resamples drawn. The interval's ends move by well under a percent point between seeds at this many. */
export const BOOTSTRAP_RESAMPLES = 2000;

/** A statistic of a weighted sample: `counts[i]` copies of case i (all ones for the sample itself). */
export type Statistic = 'mean' | 'sum' | { quantile: number };

/** One compared case: its id, the baseline's value and this run's. */
export interface Pair {
  id: string;
  baseline: number;
  candidate: number;
}

/** The point estimates and the increase's bootstrap interval (5th, 95th percentiles). */
export interface RatioEstimate {
  baseline: number;
  candidate: number;
  /** candidate / baseline - 1; `null` when the baseline's statistic is 0 and this run's is not. */
  increase: number | null;
  interval: [number, number] | null;
}

/**
 * The increase of `statistic` from the baseline's values to this run's, with a paired bootstrap
 * interval seeded by `key` and the case ids.
 *
 * @example
 * ratioBootstrap('cost_per_case', pairs, 'mean').increase // 0.4 for a candidate 40 % dearer on every case
 */
export function ratioBootstrap(key: string, pairs: readonly Pair[], statistic: Statistic): RatioEstimate {
  const sorted = [...pairs].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const n = sorted.length;
  const base = Float64Array.from(sorted, (p) => p.baseline);
  const cand = Float64Array.from(sorted, (p) => p.candidate);
  const order = { base: sortedOrder(base), cand: sortedOrder(cand) };
  const ones = new Int32Array(n).fill(1);
  const baseline = evaluate(base, order.base, ones, n, statistic);
  const candidate = evaluate(cand, order.cand, ones, n, statistic);
  const increase = ratio(candidate, baseline);
  if (increase === null) return { baseline, candidate, increase, interval: null };
  const random = seededRandom(seedOf(key, sorted));
  const counts = new Int32Array(n);
  const draws = new Float64Array(BOOTSTRAP_RESAMPLES);
  for (let b = 0; b < BOOTSTRAP_RESAMPLES; b++) {
    counts.fill(0);
    for (let k = 0; k < n; k++) counts[Math.floor(random() * n)]! += 1;
    const r = ratio(
      evaluate(cand, order.cand, counts, n, statistic),
      evaluate(base, order.base, counts, n, statistic),
    );
    draws[b] = r ?? Number.POSITIVE_INFINITY;
  }
  draws.sort();
  return {
    baseline,
    candidate,
    increase,
    interval: [percentile(draws, 0.05), percentile(draws, 0.95)],
  };
}

function ratio(candidate: number, baseline: number): number | null {
  if (baseline === 0) return candidate === 0 ? 0 : null;
  return candidate / baseline - 1;
}

/** The statistic of the sample that holds `counts[i]` copies of value i (`total` values in all). */
function evaluate(
  values: Float64Array,
  order: Int32Array,
  counts: Int32Array,
  total: number,
  statistic: Statistic,
): number {
  if (statistic === 'mean' || statistic === 'sum') {
    let sum = 0;
    for (let i = 0; i < values.length; i++) sum += values[i]! * counts[i]!;
    return statistic === 'sum' ? sum : sum / total;
  }
  // Linear interpolation between the order statistics around (total - 1) * p (R's type 7).
  const h = (total - 1) * statistic.quantile;
  const lo = Math.floor(h);
  const below = valueAtRank(values, order, counts, lo);
  if (h === lo) return below;
  return below + (h - lo) * (valueAtRank(values, order, counts, lo + 1) - below);
}

/** The value of 0-based rank `rank` in the weighted sample, walking the values in sorted order. */
function valueAtRank(values: Float64Array, order: Int32Array, counts: Int32Array, rank: number): number {
  let seen = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    seen += counts[i]!;
    if (seen > rank) return values[i]!;
  }
  return values[order[order.length - 1]!]!;
}

function sortedOrder(values: Float64Array): Int32Array {
  const order = Int32Array.from(values, (_, i) => i);
  order.sort((a, b) => values[a]! - values[b]! || a - b);
  return order;
}

/** Percentile of sorted draws, interpolated (type 7). */
function percentile(sorted: Float64Array, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const a = sorted[lo]!;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)]!;
  return a === b ? a : a + (h - lo) * (b - a);
}

/** FNV-1a (32 bits) of the gate's key and the sorted case ids. */
function seedOf(key: string, sorted: readonly Pair[]): number {
  let hash = 0x811c9dc5;
  const feed = (text: string) => {
    for (let i = 0; i < text.length; i++) {
      hash ^= text.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    hash ^= 10;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  };
  feed(key);
  for (const p of sorted) feed(p.id);
  return hash;
}
