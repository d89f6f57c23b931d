import { nearest } from '../../../internal/did-you-mean.js';
import type { LoadedAllowlistEntry } from '../../../config/allowlist-file.js';
import { formatPoints as fmt, formatThreshold } from '../../../scorecard/format.js';
import type { AllowEntry } from '../../../scorecard/status.js';
import type { ScorecardFile } from '../../files/scorecard-file.js';

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
  | {
      ok: true;
      entry: AllowEntry;
      drop: number;
      /** Points added above the rounded drop for judge noise; `undefined` when `--max-drop` was given. */
      headroom: number | undefined;
      /** One line on how `max_drop` was chosen, for the output. */
      rule: string;
      replaces: number | undefined;
    }
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
 * The headroom `qualify allow` adds above a measured drop, in points: one
 * standard deviation of the difference between two runs of the same model from
 * judge noise alone, worst case, as docs/scoring.md works it out (a judge torn
 * between two adjacent notches on each of three equal criteria: 5 points per
 * criterion per sample, so 5 * sqrt(2 / (3 n)) points between two runs with
 * `judge_samples: n`), rounded to a tenth.
 *
 * @example
 * judgeNoiseHeadroom(1) // 4.1
 * judgeNoiseHeadroom(3) // 2.4
 * judgeNoiseHeadroom(10) // 1.3
 */
export function judgeNoiseHeadroom(samples: number): number {
  return Math.round(50 * Math.sqrt(2 / (3 * Math.max(1, samples)))) / 10;
}

/** The default `max_drop` of a drop: rounded up, plus the headroom, at most the budget; and why. */
function withHeadroom(
  drop: number,
  budget: number,
  samples: number,
): { maxDrop: number; headroom: number; rule: string } {
  const headroom = judgeNoiseHeadroom(samples);
  const rounded = ceilTenth(drop);
  const wanted = Math.round((rounded + headroom) * 10) / 10;
  const noise =
    `${headroom} points of headroom for judge noise (two runs differ by that much, one standard ` +
    `deviation, worst case, at judge_samples ${samples}: docs/scoring.md)`;
  if (wanted <= budget) {
    const rule = `max_drop ${wanted}: the drop rounded up (${rounded}) plus ${noise}; pass --max-drop to record another value`;
    return { maxDrop: wanted, headroom, rule };
  }
  const rule =
    `max_drop ${budget}: the budget (max_per_case_regression), since the drop rounded up (${rounded}) ` +
    `plus ${noise} is ${wanted}; raise judge_samples for a tighter entry, or pass --max-drop`;
  return { maxDrop: budget, headroom, rule };
}

/** A drop as written in messages: up to three decimals. */
const exact = (points: number) => String(Math.round(points * 1000) / 1000);

/**
 * Decide an allowlist entry from the last scorecard (pure): the case must be in
 * it, have dropped versus its baseline by no more than `budget` points, and
 * still reach its minimum. `max_drop` is the measured drop rounded up to a
 * tenth plus `judgeNoiseHeadroom(judgeSamples)`, at most the budget, so the
 * entry still covers the case when a re-run's judge scores it a little lower;
 * or `--max-drop`, which must lie between the drop and the budget (a
 * `max-drop` refusal, a usage error). An entry for the same case and model
 * needs `force`.
 *
 * @example
 * decideAllow({ card, scorecard: 'eval/out/scorecard.json', request, budgetOf, judgeSamples: 3, author, today, existing })
 */
export function decideAllow(input: {
  card: ScorecardFile;
  scorecard: string;
  request: AllowRequest;
  budgetOf: (subject: string) => number;
  /** `judge_samples` in rubric.yaml: how noisy the judge's score of a case is. */
  judgeSamples: number;
  author: string;
  today: string;
  existing: readonly LoadedAllowlistEntry[];
}): AllowDecision {
  const { card, request } = input;
  const reason = request.reason?.trim() ?? '';
  if (reason === '') {
    return refuse(
      'missing-reason',
      'an allowlist entry needs --reason "...": say why the drop is acceptable',
    );
  }
  const found = card.cases.find((c) => c.id === request.caseId);
  if (!found) {
    const guess = nearest(
      request.caseId,
      card.cases.map((c) => c.id),
    );
    return refuse(
      'unknown-case',
      `case ${request.caseId} is not in ${input.scorecard}` +
        (guess === undefined ? '; check the case id' : `; did you mean ${guess}?`),
    );
  }
  const id = found.id;
  const measured = measureDrop(found, input.scorecard, input.budgetOf);
  if ('refusal' in measured) return measured;
  const { drop, budget } = measured;
  const chosen = chooseMaxDrop(id, drop, budget, request.maxDrop, input.judgeSamples);
  if ('refusal' in chosen) return chosen;
  const index = input.existing.findIndex((e) => e.case === id && e.model === card.model);
  const earlier = input.existing[index];
  if (earlier && !request.force) {
    const at = `${earlier.source.file}:${earlier.source.line}:${earlier.source.col}`;
    return refuse(
      'exists',
      `${at} already allowlists ${id} for ${card.model} (by ${earlier.author} on ${earlier.date}); ` +
        'pass --force to replace it',
    );
  }
  const entry: AllowEntry = {
    case: id,
    model: card.model,
    max_drop: chosen.maxDrop,
    reason,
    author: input.author,
    date: input.today,
    ...(request.reviewer === undefined ? {} : { reviewer: request.reviewer }),
    ...(request.expires === undefined ? {} : { expires: request.expires }),
  };
  const { headroom, rule } = chosen;
  return { ok: true, entry, drop, headroom, rule, replaces: earlier ? index : undefined };
}

type Refused = Extract<AllowDecision, { ok: false }>;

function refuse(refusal: AllowRefusal, message: string): Refused {
  return { ok: false, refusal, message };
}

/** The case's drop versus its baseline, or why it is not one an entry can cover. */
function measureDrop(
  found: ScorecardFile['cases'][number],
  scorecard: string,
  budgetOf: (subject: string) => number,
): { drop: number; budget: number } | Refused {
  const id = found.id;
  if (found.points === null) {
    return refuse('no-score', `case ${id} has no score in ${scorecard} (${found.status}): fix it and re-run`);
  }
  if (found.baseline_points === null || found.delta === null) {
    return refuse('no-baseline', `case ${id} has no baseline score, so no drop to document`);
  }
  // A confirmed drop is held to max_drop by its estimate from the fresh trials (scorecard/status.ts),
  // so that is the drop the entry documents.
  const confirmed = (found as { confirmed?: unknown; confirmation?: { drop?: unknown } }).confirmation;
  const estimate =
    (found as { confirmed?: unknown }).confirmed === true && typeof confirmed?.drop === 'number'
      ? confirmed.drop
      : -found.delta;
  const drop = Math.round(estimate * 1e6) / 1e6;
  if (found.points < Math.round(found.min_score * 100 * 1e6) / 1e6) {
    return refuse(
      'below-minimum',
      `case ${id} scored ${fmt(found.points)} points, below its minimum ${formatThreshold(found.min_score, 'min_score')}: ` +
        'an allowlist entry covers a drop, not a score below the minimum; fix the case',
    );
  }
  if (drop <= 0) {
    return refuse(
      'no-drop',
      `case ${id} did not drop (${fmt(found.baseline_points)} -> ${fmt(found.points)}): nothing to allowlist`,
    );
  }
  const budget = budgetOf(found.subject);
  if (drop > budget) {
    return refuse(
      'over-budget',
      `case ${id} dropped ${fmt(drop)} points, above max_per_case_regression ${budget}: ` +
        'no allowlist entry can cover it; fix the regression',
    );
  }
  return { drop, budget };
}

/** The entry's `max_drop`: `--max-drop` when it lies between the drop and the budget, else the drop with headroom. */
function chooseMaxDrop(
  id: string,
  drop: number,
  budget: number,
  given: number | undefined,
  judgeSamples: number,
): { maxDrop: number; headroom: number | undefined; rule: string } | Refused {
  if (given === undefined) return withHeadroom(drop, budget, judgeSamples);
  if (given < drop) {
    return refuse(
      'max-drop',
      `--max-drop ${given} is below the measured drop of case ${id} (${exact(drop)} points): ` +
        `give at least ${ceilTenth(drop)}, or leave --max-drop out`,
    );
  }
  if (given > budget) {
    return refuse(
      'max-drop',
      `--max-drop ${given} is above max_per_case_regression ${budget} of case ${id}: ` +
        `give at most ${budget}`,
    );
  }
  return { maxDrop: given, headroom: undefined, rule: `max_drop ${given}: as given with --max-drop` };
}
