/**
 * A case's trials (`repeats: n`) folded into one result: the mean score with its
 * spread, and the ragas metrics averaged over the trials where they are defined.
 */
import { QualifyError } from '../errors.js';
import { mean, meanIgnoringNaN, populationStd } from './math.js';
import type { CheckResult, CriterionResult, JudgeInfo, TrialResult } from './types.js';

/** The spread of a case's score over its trials. */
export interface TrialSpread {
  n: number;
  scores: number[];
  min: number;
  max: number;
  /** Population standard deviation. */
  std: number;
}

/**
 * A case's score over its trials, with what the scorecard shows beside it.
 *
 * @example
 * const { score, spread, faithfulness } = aggregateTrials(trials)
 */
export interface CaseScore {
  /** The mean of the trial scores. */
  score: number;
  spread: TrialSpread;
  /** The mean rubric score over trials that had a judge; `null` with no criteria. */
  rubric: number | null;
  /** Mean over trials where defined; `null` when not computed or NaN in every trial. */
  faithfulness: number | null;
  answer_relevancy: number | null;
  /** Trials whose metric was NaN (left out of the mean). */
  nan_trials: { faithfulness: number; answer_relevancy: number };
  /** Metrics computed but NaN in every trial. */
  nan_metrics: ('faithfulness' | 'answer_relevancy')[];
  /** Per criterion, means over trials; the first trial's reason. */
  criteria: CriterionResult[];
  /** Per check, passed only if it passed in every trial; the detail of the first failure. */
  checks: CheckResult[];
  failed_checks: string[];
  judge: JudgeInfo | null;
  trials: TrialResult[];
}

/**
 * Folds the trials of one case. Throws `E_NO_TRIALS` for an empty list.
 *
 * @example
 * aggregateTrials([trial1, trial2, trial3]).spread // { n: 3, scores: [0.8, 0.9, 1], min: 0.8, max: 1, std: 0.0816 }
 */
export function aggregateTrials(trials: readonly TrialResult[]): CaseScore {
  const [first] = trials;
  if (!first)
    throw new QualifyError(
      'E_NO_TRIALS',
      'no trials to aggregate; run the case at least once (repeats >= 1)',
    );
  const scores = trials.map((t) => t.score);
  const faithful = meanIgnoringNaN(trials.map((t) => t.faithfulness));
  const relevant = meanIgnoringNaN(trials.map((t) => t.answer_relevancy));
  const rubrics = trials.map((t) => t.rubric).filter((r): r is number => r !== null);
  const checks = mergeChecks(trials);
  return {
    score: mean(scores),
    spread: {
      n: trials.length,
      scores,
      min: Math.min(...scores),
      max: Math.max(...scores),
      std: populationStd(scores),
    },
    rubric: rubrics.length > 0 ? mean(rubrics) : null,
    faithfulness: faithful.mean,
    answer_relevancy: relevant.mean,
    nan_trials: { faithfulness: faithful.nanRows, answer_relevancy: relevant.nanRows },
    nan_metrics: [
      ...(faithful.rows === 0 && faithful.nanRows > 0 ? (['faithfulness'] as const) : []),
      ...(relevant.rows === 0 && relevant.nanRows > 0 ? (['answer_relevancy'] as const) : []),
    ],
    criteria: mergeCriteria(trials),
    checks,
    failed_checks: checks.filter((c) => !c.pass).map((c) => c.name),
    judge: first.judge,
    trials: [...trials],
  };
}

function mergeCriteria(trials: readonly TrialResult[]): CriterionResult[] {
  const ids = [...new Set(trials.flatMap((t) => t.criteria.map((c) => c.id)))];
  return ids.map((id) => {
    const found = trials.flatMap((t) => t.criteria.filter((c) => c.id === id));
    const weighted = found.map((c) => c.weighted);
    const result: CriterionResult = {
      id,
      score: mean(found.map((c) => c.score)),
      raw: mean(found.map((c) => c.raw)),
      reason: found[0]?.reason ?? '',
    };
    if (weighted.every((w): w is number => w !== undefined)) result.weighted = mean(weighted);
    return result;
  });
}

/** Trials run the same checks in the same order, so checks line up by position. */
function mergeChecks(trials: readonly TrialResult[]): CheckResult[] {
  const n = trials.length;
  return (trials[0]?.checks ?? []).map(({ name, detail }, index) => {
    const failure = trials
      .map((t, i) => ({ trial: i + 1, check: t.checks[index] }))
      .find((run) => run.check?.pass === false);
    if (!failure?.check) return { name, pass: true, detail };
    const prefix = n > 1 ? `trial ${failure.trial}/${n}: ` : '';
    return { name, pass: false, detail: prefix + failure.check.detail };
  });
}
