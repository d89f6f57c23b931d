import { formatPoints as fmt, formatThreshold } from './format.js';
import type { CaseResult, CaseStatus, ScorecardCase } from './types.js';

/** One tolerated regression from `eval/allowlist.yaml` (docs/architecture.md 2.4). */
export interface AllowEntry {
  case: string;
  model: string;
  max_drop?: number | undefined;
  reason: string;
  author: string;
  date: string;
  reviewer?: string | undefined;
  expires?: string | undefined;
}

/** Points on the 0-100 scale, rounded to 1e-6 so float noise never reads as a regression. */
export function toPoints(score: number): number {
  return Math.round(score * 100 * 1e6) / 1e6;
}

/** Whether an allowlist entry is past its `expires` date (YYYY-MM-DD, compared as text). */
export function isExpired(entry: AllowEntry, today: string): boolean {
  return entry.expires !== undefined && entry.expires < today;
}

/**
 * The allowlist entry for a case and a candidate model, if one is in force today.
 *
 * @example
 * findAllowEntry(entries, 'refund-window-basic', 'anthropic:claude-opus-4-7', '2026-11-27')
 */
export function findAllowEntry(
  allowlist: readonly AllowEntry[],
  caseId: string,
  model: string,
  today: string,
): AllowEntry | undefined {
  return allowlist.find((e) => e.case === caseId && e.model === model && !isExpired(e, today));
}

/**
 * The status of one case against its baseline (docs/architecture.md 2.6), with the line a
 * reviewer reads. Pure: the same function decides a test's matcher in the worker
 * and the scorecard in the reporter.
 *
 * `baselinePoints` is `undefined` when the baseline has no entry for the case, and
 * `null` when the entry has no score (the case errored when the baseline was made).
 *
 * @example
 * caseStatus(result, 90, undefined, 3).status // 'fail' when result.score is 0.85
 */
export function caseStatus(
  result: CaseResult,
  baselinePoints: number | null | undefined,
  allow: AllowEntry | undefined,
  budget: number,
): Pick<ScorecardCase, 'status' | 'points' | 'baseline_points' | 'delta' | 'message' | 'allowlisted_by'> {
  const baseline_points = baselinePoints ?? null;
  if (result.error !== null || result.score === null) {
    const why = result.error ? `${result.error.kind} error: ${result.error.message}` : 'no score';
    return {
      status: 'error',
      points: null,
      baseline_points,
      delta: null,
      message: `${why}; no regression was measured for this case`,
    };
  }
  const points = toPoints(result.score);
  const delta = baseline_points === null ? null : Math.round((points - baseline_points) * 1e6) / 1e6;
  // Each outcome built whole, not as a spread of shared fields plus two more: on Node 20 that costs
  // about 5 us per object (bench/FINDINGS.md), and this runs for every case in the worker and the reporter.
  const outcome = (status: CaseStatus, message: string) => ({
    points,
    baseline_points,
    delta,
    status,
    message,
  });
  const min = toPoints(result.min_score);
  const failedChecks = result.checks.filter((c) => !c.pass);

  if (points < min) {
    const why = failedChecks.length
      ? `failed check ${failedChecks.map((c) => `${c.name} (${c.detail})`).join(', ')}`
      : `scored ${fmt(points)} points, below the minimum ${formatThreshold(result.min_score, 'min_score')}`;
    return outcome('fail', why);
  }
  if (baseline_points === null || delta === null) {
    const why =
      baselinePoints === undefined ? 'no baseline entry' : 'the baseline has no score for it (it errored)';
    return outcome(
      'new',
      `new: scored ${fmt(points)} points (minimum ${formatThreshold(result.min_score, 'min_score')}); ${why}`,
    );
  }
  const drop = -delta;
  const change = `${fmt(baseline_points)} -> ${fmt(points)}`;
  if (drop <= 0) {
    return outcome('pass', `scored ${fmt(points)} points (${change}, ${signed(delta)})`);
  }
  if (drop > budget) {
    return outcome(
      'fail',
      `regressed ${fmt(drop)} points (${change}), more than the ${budget}-point budget: no allowlist entry can cover it`,
    );
  }
  if (allow && (allow.max_drop === undefined || drop <= allow.max_drop)) {
    return {
      points,
      baseline_points,
      delta,
      status: 'allowlisted' satisfies CaseStatus,
      message: `regressed ${fmt(drop)} points (${change}), allowlisted by ${allow.author} on ${allow.date}: ${allow.reason}${allow.reviewer ? `; reviewed by ${allow.reviewer}` : '; needs a second reviewer'}`,
      allowlisted_by: {
        reason: allow.reason,
        author: allow.author,
        date: allow.date,
        reviewer: allow.reviewer,
      },
    };
  }
  if (allow) {
    return outcome(
      'fail',
      `regressed ${fmt(drop)} points (${change}), more than the allowlist entry's max_drop of ${allow.max_drop} points: fix it, or raise max_drop with a new reason`,
    );
  }
  return outcome(
    'fail',
    `regressed ${fmt(drop)} points (${change}), within the ${budget}-point budget but not allowlisted: document it with \`qualify allow ${result.id} --reason "..."\` or fix it`,
  );
}

function signed(delta: number): string {
  return `${delta >= 0 ? '+' : ''}${delta.toFixed(1)}`;
}
