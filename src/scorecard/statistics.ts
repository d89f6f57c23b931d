/**
 * The statistics the regression gate decides with (docs/scoring.md "How the gate decides"): Student's
 * t distribution, a one-sided test of a drop between two sets of trials with a pooled (moderated)
 * variance, Holm's step-down correction across the cases of a run, and a paired interval over cases.
 * Pure functions; points are on the 0-100 scale.
 */

/** The mean, sample standard deviation and count of a set of trial scores (points). */
export interface ArmStats {
  n: number;
  mean: number;
  /** Sample standard deviation (n - 1); 0 for a single trial. */
  sd: number;
}

/**
 * A prior for the trial noise: a pooled standard deviation and the degrees of freedom it rests on,
 * from the baseline run's trials. `df` 0 means no prior.
 */
export interface NoisePrior {
  sd: number;
  df: number;
}

/**
 * The statistics of a list of numbers.
 *
 * @example
 * armStats([80, 90, 100]) // { n: 3, mean: 90, sd: 10 }
 */
export function armStats(values: readonly number[]): ArmStats {
  const n = values.length;
  if (n === 0) return { n: 0, mean: Number.NaN, sd: 0 };
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / n;
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  return { n, mean, sd: n > 1 ? Math.sqrt(squares / (n - 1)) : 0 };
}

/** The outcome of a one-sided test of "the candidate dropped below the baseline". */
export interface DropTest {
  /** Baseline mean minus candidate mean, in points: positive is a drop. */
  drop: number;
  /** Standard error of `drop`; `null` when no variance could be estimated (no degrees of freedom). */
  se: number | null;
  df: number;
  /** One-sided p-value of "no drop" (drop <= 0); 1 for no drop or no variance estimate. */
  p: number;
  /** Two-sided 95 % interval of the drop; `null` with no variance estimate. */
  interval: [number, number] | null;
}

/**
 * One-sided test of a drop: baseline trials against candidate trials, with one variance pooled from
 * both arms and the prior (a moderated t-test: the prior counts as `prior.df` more degrees of freedom
 * at `prior.sd`, as limma does for few replicates). Identical arms with no spread and no prior are no
 * evidence either way: p is 1 unless the means differ, then 0.
 *
 * @example
 * dropTest({ n: 4, mean: 90, sd: 2 }, { n: 4, mean: 80, sd: 2 }, { sd: 0, df: 0 }).p // about 0.0001
 */
export function dropTest(baseline: ArmStats, candidate: ArmStats, prior: NoisePrior): DropTest {
  const drop = baseline.mean - candidate.mean;
  const own = Math.max(0, baseline.n - 1) + Math.max(0, candidate.n - 1);
  const df = own + prior.df;
  const squares =
    Math.max(0, baseline.n - 1) * baseline.sd ** 2 +
    Math.max(0, candidate.n - 1) * candidate.sd ** 2 +
    prior.df * prior.sd ** 2;
  if (df <= 0 || baseline.n === 0 || candidate.n === 0)
    return { drop, se: null, df: 0, p: 1, interval: null };
  const se = Math.sqrt((squares / df) * (1 / baseline.n + 1 / candidate.n));
  if (se === 0) {
    const p = drop > 1e-9 ? 0 : 1;
    return { drop, se, df, p, interval: [drop, drop] };
  }
  const t = drop / se;
  const half = tQuantile(0.975, df) * se;
  return { drop, se, df, p: 1 - studentTCdf(t, df), interval: [drop - half, drop + half] };
}

/**
 * Holm's step-down correction: which hypotheses are rejected at family-wise level `alpha`, and the
 * adjusted p-values. Controls the chance of any false rejection at `alpha` whatever the dependence
 * between the p-values.
 *
 * @example
 * holm([0.001, 0.04, 0.3], 0.05) // { rejected: [true, false, false], adjusted: [0.003, 0.08, 0.3] }
 */
export function holm(pValues: readonly number[], alpha: number): { rejected: boolean[]; adjusted: number[] } {
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p || a.i - b.i);
  const adjusted = new Array<number>(m).fill(1);
  const rejected = new Array<boolean>(m).fill(false);
  let running = 0;
  let stillRejecting = true;
  order.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[i] = round(running);
    if (stillRejecting && p <= alpha / (m - rank)) rejected[i] = true;
    else stillRejecting = false;
  });
  return { rejected, adjusted };
}

/**
 * The mean of paired differences with its two-sided 95 % t interval; `null` for fewer than two pairs.
 *
 * @example
 * pairedInterval([-1, 0, 1, 2]) // { mean: 0.5, interval: [-1.554, 2.554], n: 4 }
 */
export function pairedInterval(
  deltas: readonly number[],
): { mean: number; interval: [number, number]; n: number } | null {
  const stats = armStats(deltas);
  if (stats.n < 2) return null;
  const half = tQuantile(0.975, stats.n - 1) * (stats.sd / Math.sqrt(stats.n));
  return {
    mean: round(stats.mean),
    interval: [round(stats.mean - half), round(stats.mean + half)],
    n: stats.n,
  };
}

/**
 * The smallest true drop a one-sided test at level `alpha` detects with probability `power`, given
 * the standard error it will have: (z(1 - alpha) + z(power)) x se, normal approximation.
 *
 * @example
 * detectableDrop(2, 0.05 / 40, 0.8) // about 7.7
 */
export function detectableDrop(se: number, alpha: number, power: number): number {
  return (normalQuantile(1 - alpha) + normalQuantile(power)) * se;
}

/**
 * The standard normal distribution function.
 *
 * @example
 * normalCdf(1.96) // 0.975
 */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/**
 * The standard normal quantile (inverse of `normalCdf`), by bisection to 1e-10.
 *
 * @example
 * normalQuantile(0.975) // 1.959964
 */
export function normalQuantile(p: number): number {
  return invert((x) => normalCdf(x), p, -40, 40);
}

/**
 * Student's t distribution function with `df` degrees of freedom (`Infinity`: the normal).
 *
 * @example
 * studentTCdf(2.776, 4) // 0.975
 */
export function studentTCdf(t: number, df: number): number {
  if (!Number.isFinite(df) || df > 1e6) return normalCdf(t);
  const x = df / (df + t * t);
  const tail = 0.5 * incompleteBeta(x, df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/**
 * The t quantile: `studentTCdf(tQuantile(p, df), df) === p`.
 *
 * @example
 * tQuantile(0.975, 4) // 2.776
 */
export function tQuantile(p: number, df: number): number {
  return invert((x) => studentTCdf(x, df), p, -1e4, 1e4);
}

function invert(cdf: (x: number) => number, p: number, low: number, high: number): number {
  let lo = low;
  let hi = high;
  for (let i = 0; i < 200 && hi - lo > 1e-10; i++) {
    const mid = (lo + hi) / 2;
    if (cdf(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Complementary error function (Numerical Recipes' Chebyshev fit, relative error below 1.2e-7). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** The regularized incomplete beta function I_x(a, b), by Lentz's continued fraction. */
function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  if (x > (a + 1) / (a + b + 2)) return 1 - (front * betaFraction(1 - x, b, a)) / b;
  return (front * betaFraction(x, a, b)) / a;
}

function betaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let step = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + step * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + step / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    step = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + step * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + step / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 3e-14) break;
  }
  return h;
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7). */
function logGamma(x: number): number {
  const g = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = g[0] as number;
  for (let i = 1; i < 9; i++) sum += (g[i] as number) / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
