/**
 * The drift rule (docs/scoring.md "When the judge changes"): a judge that scores the baseline's
 * stored outputs differently today than when the baseline was made, beyond its own noise, makes
 * every comparison with that baseline meaningless, so the run's verdict is `error`.
 */
import { formatPoints } from './format.js';
import type { DriftCheck, DriftProbe } from './types.js';

/** The smallest mean shift (points) that counts as drift, whatever the noise says. */
export const DRIFT_FLOOR = 2;

/** How many standard errors of the shift it must exceed. */
export const DRIFT_SE_MULTIPLE = 4;

/**
 * The drift check over the probed cases. Per stored output, the shift is today's score minus the
 * stored one, in points; `mean_shift` is their mean over every output judged again. Its standard
 * error is the larger of the judge's own (each shift's variance the sum of the two judgings' squared
 * `judge_se`, a missing one counted 0) and the shifts' spread (sample sd / sqrt(outputs), with two
 * or more). Drifted when |mean_shift| > max(DRIFT_FLOOR, DRIFT_SE_MULTIPLE x se). `undefined` when
 * nothing was judged again.
 *
 * @example
 * driftCheck([{ stored: [0.9, 0.9, 0.9], rejudged: [0.8, 0.8, 0.8], se: [] }], 'openai:gpt-5')
 * // { checked: 3, mean_shift: -10, se: 0, drifted: true, message: 'the judge openai:gpt-5 scores ...' }
 */
export function driftCheck(probes: readonly DriftProbe[], judge: string): DriftCheck | undefined {
  const shifts: number[] = [];
  let judgeVariance = 0;
  for (const probe of probes) {
    probe.stored.forEach((stored, i) => {
      const today = probe.rejudged[i];
      if (today === undefined) return;
      shifts.push((today - stored) * 100);
      const se = probe.se[i];
      judgeVariance += ((se?.stored ?? 0) * 100) ** 2 + ((se?.rejudged ?? 0) * 100) ** 2;
    });
  }
  const m = shifts.length;
  if (m === 0) return undefined;
  const mean = shifts.reduce((a, b) => a + b, 0) / m;
  const spread =
    m >= 2 ? Math.sqrt(shifts.reduce((a, b) => a + (b - mean) ** 2, 0) / (m - 1)) / Math.sqrt(m) : 0;
  const se = Math.max(Math.sqrt(judgeVariance) / m, spread);
  const limit = Math.max(DRIFT_FLOOR, DRIFT_SE_MULTIPLE * se);
  const drifted = Math.abs(mean) > limit;
  const outputs = `${m} stored baseline output${m === 1 ? '' : 's'}`;
  const message = drifted
    ? `the judge ${judge} scores the baseline's stored outputs ${formatPoints(Math.abs(mean))} points ${mean < 0 ? 'lower' : 'higher'} than when the baseline was made (${outputs} judged again; more than the ${formatPoints(limit)}-point limit of its noise): a pinned alias can change behind its name: pin a dated snapshot, or re-make the baseline`
    : `the judge ${judge} scores ${outputs} ${mean >= 0 ? '+' : '-'}${formatPoints(Math.abs(mean))} points from when the baseline was made, within the ${formatPoints(limit)}-point limit of its noise: no drift`;
  return { checked: m, mean_shift: round(mean), se: round(se), drifted, message };
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
