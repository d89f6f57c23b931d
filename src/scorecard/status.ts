import { formatPoints as fmt, formatThreshold } from './format.js';
import type { CaseResult, CaseStatus, Confirmation, ScorecardCase } from './types.js';

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
  confirmed?: boolean,
): Pick<ScorecardCase, 'status' | 'points' | 'baseline_points' | 'delta' | 'message' | 'allowlisted_by'> {
  const baseline_points = baselinePoints ?? null;
  if (result.error !== null || result.score === null) {
    const why = result.error ? `${result.error.kind} error: ${result.error.message}` : 'no score';
    const again = result.second_pass ? ', on the first pass and again on the second' : '';
    return {
      status: 'error',
      points: null,
      baseline_points,
      delta: null,
      message: `${why}${again}; no regression was measured for this case`,
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
  const change = `${fmt(baseline_points)} -> ${fmt(points)}`;
  if (-delta <= 0) {
    return outcome('pass', `scored ${fmt(points)} points (${change}, ${signed(delta)})`);
  }
  const confirmation = result.confirmation;
  if (confirmation && confirmed !== true) {
    return outcome('pass', `${unconfirmed(confirmation, -delta)} (${change})`);
  }
  // A confirmed drop is held to the budget by its estimate from the fresh trials, which (unlike the
  // first pass that screened it in) is not biased by the screening.
  const drop = confirmation ? Math.round(confirmation.drop * 1e6) / 1e6 : -delta;
  const evidence = confirmation ? ` ${evidenceOf(confirmation)}` : '';
  if (drop > budget) {
    return outcome(
      'fail',
      `regressed ${fmt(drop)} points (${change})${evidence}, more than the ${budget}-point budget: no allowlist entry can cover it`,
    );
  }
  if (allow && (allow.max_drop === undefined || drop <= allow.max_drop)) {
    return {
      points,
      baseline_points,
      delta,
      status: 'allowlisted' satisfies CaseStatus,
      message: `regressed ${fmt(drop)} points (${change})${evidence}, allowlisted by ${allow.author} on ${allow.date}: ${allow.reason}${allow.reviewer ? `; reviewed by ${allow.reviewer}` : '; needs a second reviewer'}`,
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
      `regressed ${fmt(drop)} points (${change})${evidence}, more than the allowlist entry's max_drop of ${allow.max_drop} points: fix it, or raise max_drop with a new reason`,
    );
  }
  return outcome(
    'fail',
    `regressed ${fmt(drop)} points (${change})${evidence}, within the ${budget}-point budget but not allowlisted: document it with \`qualify allow ${result.id} --reason "..."\` or fix it`,
  );
}

/** Why a first-pass drop does not count: the line a reviewer reads. */
function unconfirmed(confirmation: Confirmation, drop: number): string {
  const interval = confirmation.interval ? `, 95 % interval ${fmtInterval(confirmation.interval)}` : '';
  switch (confirmation.stage) {
    case 'not-screened':
      return `dropped ${fmt(drop)} points, within its noise (first pass ${formatP(confirmation.screen.p ?? 1)}${interval}): not confirmed`;
    case 'cleared':
      return `dropped ${fmt(drop)} points in the first pass; ${trialsOf(confirmation)} show no drop (${signed(-confirmation.drop)}${interval}): cleared as noise`;
    default:
      return `dropped ${fmt(drop)} points, not confirmed (${formatP(confirmation.p)} before the correction across cases${interval})`;
  }
}

/** How a confirmed drop was established, in a parenthesis. */
function evidenceOf(confirmation: Confirmation): string {
  const interval = confirmation.interval ? `, 95 % interval ${fmtInterval(confirmation.interval)}` : '';
  switch (confirmation.stage) {
    case 'no-noise-estimate':
      return '(no noise estimate: the drop counts as measured; run with repeats >= 2 to measure it)';
    case 'replay':
      return `(confirmed against the baseline's stored trials in a replayed run, ${formatP(confirmation.p)}${interval})`;
    default:
      return `(confirmed by ${trialsOf(confirmation)}, ${formatP(confirmation.p)}${interval})`;
  }
}

function trialsOf(confirmation: Confirmation): string {
  const candidate = confirmation.candidate?.n ?? 0;
  const baseline = confirmation.baseline;
  if (!baseline) return `${candidate} fresh trials`;
  const other =
    baseline.source === 'stored'
      ? `the baseline's ${baseline.n} stored trials`
      : `${baseline.n} of the baseline model ${baseline.model}`;
  return `${candidate} fresh trials against ${other}`;
}

function fmtInterval([low, high]: [number, number]): string {
  return `[${low.toFixed(1)}, ${high.toFixed(1)}]`;
}

/**
 * A p-value as a reviewer reads it, with its relation: `p = 0.03`, `p = 0.0012`, `p < 0.0001`.
 *
 * @example
 * formatP(0.00123) // 'p = 0.0012'
 */
export function formatP(p: number): string {
  const value = formatPValue(p);
  return value.startsWith('<') ? `p ${value}` : `p = ${value}`;
}

/**
 * A p-value alone, as a table cell shows it: two significant digits, `< 0.0001` below that.
 *
 * @example
 * formatPValue(0.00123) // '0.0012'
 */
export function formatPValue(p: number): string {
  if (p < 0.0001) return '< 0.0001';
  return p >= 0.01 ? p.toFixed(2) : p.toPrecision(2);
}

function signed(delta: number): string {
  return `${delta >= 0 ? '+' : ''}${delta.toFixed(1)}`;
}
