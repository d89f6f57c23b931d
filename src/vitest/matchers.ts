import { formatPoints as fmt, formatThreshold } from '../scorecard/format.js';
import { caseStatus, toPoints, type AllowEntry } from '../scorecard/status.js';
import type { CaseResult } from '../scorecard/types.js';

/**
 * A case's result with what it is compared against: the baseline entry and the
 * allowlist entry travel with it, so the matchers are synchronous.
 */
export interface ScoredCase extends CaseResult {
  /** The baseline's points for this case: `undefined` when it has no entry, `null` when it errored there. */
  baseline_points: number | null | undefined;
  /** The allowlist entry in force for this case and the candidate model. */
  allow: AllowEntry | undefined;
  /** Whether the case's drop is confirmed (docs/scoring.md "How the gate decides"); `undefined`: every drop counts. */
  confirmed?: boolean | undefined;
}

interface MatcherResult {
  pass: boolean;
  message: () => string;
  actual?: unknown;
  expected?: unknown;
}

function isScored(value: unknown): value is ScoredCase {
  return (
    typeof value === 'object' && value !== null && 'id' in value && 'score' in value && 'checks' in value
  );
}

function notScored(received: unknown, matcher: string): MatcherResult {
  return {
    pass: false,
    message: () =>
      `${matcher} expects a scored case (the result of a vitest-qualify case test), got ${typeof received}`,
  };
}

/**
 * `expect(result).toScoreAtLeast(min)`: the case's score (0..1) reaches `min`.
 * An errored case never passes: it has no score.
 */
export function toScoreAtLeast(received: unknown, min: number): MatcherResult {
  if (!isScored(received)) return notScored(received, 'toScoreAtLeast');
  const expected = toPoints(min);
  if (received.error || received.score === null) {
    const why = received.error?.message ?? 'no score';
    return {
      pass: false,
      message: () => `case ${received.id} has no score (${why}): fix the error and re-run`,
    };
  }
  const actual = toPoints(received.score);
  const failed = received.checks.filter((c) => !c.pass);
  const because = failed.length
    ? `: check ${failed.map((c) => `${c.name} failed (${c.detail})`).join(', ')}`
    : '';
  return {
    pass: actual >= expected,
    actual,
    expected,
    message: () =>
      actual >= expected
        ? `expected case ${received.id} to score below ${formatThreshold(min, 'min_score')}, but it scored ${fmt(actual)} points`
        : `case ${received.id} scored ${fmt(actual)} points, below the minimum ${formatThreshold(min, 'min_score')}${because}`,
  };
}

/**
 * `expect(result).notRegressBeyond(points)`: the case dropped no more than the
 * budget versus its baseline, and any drop at all is allowlisted. A case with no
 * baseline entry passes (it is new).
 */
export function notRegressBeyond(received: unknown, points: number): MatcherResult {
  if (!isScored(received)) return notScored(received, 'notRegressBeyond');
  const judged = caseStatus(
    Object.assign({}, received, { min_score: 0 }), // not a spread: about 20 us per case on Node 20
    received.baseline_points,
    received.allow,
    points,
    received.confirmed,
  );
  const pass = judged.status !== 'fail' && judged.status !== 'error';
  return {
    pass,
    actual: judged.points,
    expected: judged.baseline_points,
    message: () =>
      pass
        ? `expected case ${received.id} to regress beyond ${points} points, but: ${judged.message}`
        : `case ${received.id} ${judged.message}`,
  };
}

/** The matchers, for `expect.extend`. Registered by the `vitest-qualify/setup` entry. */
export const qualifyMatchers = { toScoreAtLeast, notRegressBeyond };
