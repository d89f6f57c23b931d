import { nearest } from '../config/did-you-mean.js';
import type { LoadedAllowlistEntry } from '../config/allowlist-file.js';
import { formatPoints as fmt, formatThreshold } from '../scorecard/format.js';
import type { AllowEntry } from '../scorecard/status.js';
import type { ScorecardFile } from './scorecard-file.js';

/** What `qualify allow` was asked for. */
export interface AllowRequest {
  caseId: string;
  reason: string | undefined;
  reviewer?: string | undefined;
  maxDrop?: number | undefined;
  expires?: string | undefined;
  force: boolean;
}

/** Why an entry was refused; stable for `--json`. */
export type AllowRefusal =
  | 'missing-reason'
  | 'unknown-case'
  | 'no-score'
  | 'no-baseline'
  | 'below-minimum'
  | 'no-drop'
  | 'over-budget'
  | 'max-drop'
  | 'exists';

/** The entry to write (and the entry it replaces), or why none is written. */
export type AllowDecision =
  | { ok: true; entry: AllowEntry; drop: number; replaces: number | undefined }
  | { ok: false; refusal: AllowRefusal; message: string };

/**
 * A drop in points rounded up to the next tenth, float noise ignored.
 *
 * @example
 * ceilTenth(2.31) // 2.4
 * ceilTenth(2.3000000001) // 2.3
 */
export function ceilTenth(points: number): number {
  return Math.ceil(Math.round(points * 10 * 1e6) / 1e6) / 10;
}

/**
 * Decide an allowlist entry from the last scorecard (pure): the case must be in
 * it, have dropped versus its baseline by no more than `budget` points, and
 * still reach its minimum; `max_drop` is the measured drop rounded up to a
 * tenth unless given. An entry for the same case and model needs `force`.
 *
 * @example
 * decideAllow({ card, scorecard: 'eval/out/scorecard.json', request, budgetOf, author, today, existing })
 */
export function decideAllow(input: {
  card: ScorecardFile;
  scorecard: string;
  request: AllowRequest;
  budgetOf: (subject: string) => number;
  author: string;
  today: string;
  existing: readonly LoadedAllowlistEntry[];
}): AllowDecision {
  const { card, request } = input;
  const no = (refusal: AllowRefusal, message: string): AllowDecision => ({ ok: false, refusal, message });
  const reason = request.reason?.trim() ?? '';
  if (reason === '') {
    return no('missing-reason', 'an allowlist entry needs --reason "...": say why the drop is acceptable');
  }
  const found = card.cases.find((c) => c.id === request.caseId);
  if (!found) {
    const guess = nearest(
      request.caseId,
      card.cases.map((c) => c.id),
    );
    return no(
      'unknown-case',
      `case ${request.caseId} is not in ${input.scorecard}` +
        (guess === undefined ? '; check the case id' : `; did you mean ${guess}?`),
    );
  }
  const id = found.id;
  if (found.points === null) {
    return no(
      'no-score',
      `case ${id} has no score in ${input.scorecard} (${found.status}): fix it and re-run`,
    );
  }
  if (found.baseline_points === null || found.delta === null) {
    return no('no-baseline', `case ${id} has no baseline score, so no drop to document`);
  }
  const drop = Math.round(-found.delta * 1e6) / 1e6;
  if (found.points < Math.round(found.min_score * 100 * 1e6) / 1e6) {
    return no(
      'below-minimum',
      `case ${id} scored ${fmt(found.points)} points, below its minimum ${formatThreshold(found.min_score, 'min_score')}: ` +
        'an allowlist entry covers a drop, not a score below the minimum; fix the case',
    );
  }
  if (drop <= 0) {
    return no(
      'no-drop',
      `case ${id} did not drop (${fmt(found.baseline_points)} -> ${fmt(found.points)}): nothing to allowlist`,
    );
  }
  const budget = input.budgetOf(found.subject);
  if (drop > budget) {
    return no(
      'over-budget',
      `case ${id} dropped ${fmt(drop)} points, above max_per_case_regression ${budget}: ` +
        'no allowlist entry can cover it; fix the regression',
    );
  }
  const maxDrop = request.maxDrop ?? Math.min(ceilTenth(drop), budget);
  if (maxDrop < drop || maxDrop > budget) {
    return no(
      'max-drop',
      `--max-drop ${maxDrop} must be between the measured drop ${drop} and max_per_case_regression ${budget}`,
    );
  }
  const index = input.existing.findIndex((e) => e.case === id && e.model === card.model);
  const earlier = input.existing[index];
  if (earlier && !request.force) {
    const at = `${earlier.source.file}:${earlier.source.line}:${earlier.source.col}`;
    return no(
      'exists',
      `${at} already allowlists ${id} for ${card.model} (by ${earlier.author} on ${earlier.date}); ` +
        'pass --force to replace it',
    );
  }
  const entry: AllowEntry = {
    case: id,
    model: card.model,
    max_drop: maxDrop,
    reason,
    author: input.author,
    date: input.today,
    ...(request.reviewer === undefined ? {} : { reviewer: request.reviewer }),
    ...(request.expires === undefined ? {} : { expires: request.expires }),
  };
  return { ok: true, entry, drop, replaces: earlier ? index : undefined };
}
