import { z } from 'zod';
import { unitInterval } from './common.js';

/**
 * Gates after defaults and merging: every value present.
 *
 * @example
 * const pass = score >= thresholds.rubric_min_score
 */
export interface Thresholds {
  /** Each case's rubric score must reach it (a case may set its own `min_score`). */
  rubric_min_score: number;
  /** Gates on the means of faithfulness and answer_relevancy. */
  ragas: { faithfulness: number; answer_relevancy: number };
  /** Largest drop versus the baseline, in points (0-100). */
  max_per_case_regression: number;
}

/**
 * The defaults of docs/architecture.md 2.2.
 *
 * @example
 * DEFAULT_THRESHOLDS.max_per_case_regression // 3
 */
export const DEFAULT_THRESHOLDS: Thresholds = Object.freeze({
  rubric_min_score: 0.82,
  ragas: Object.freeze({ faithfulness: 0.78, answer_relevancy: 0.78 }),
  max_per_case_regression: 3,
});

const RagasSchema = z
  .union(
    [
      unitInterval('Both metrics.'),
      z.strictObject({
        faithfulness: unitInterval('Gate on mean faithfulness.').optional(),
        answer_relevancy: unitInterval('Gate on mean answer_relevancy.').optional(),
      }),
    ],
    { error: 'must be a number between 0 and 1, or a map { faithfulness, answer_relevancy }' },
  )
  .meta({
    description:
      'Gate on mean faithfulness and answer_relevancy; a number or a map per metric. Default 0.78.',
  });

/**
 * `thresholds:` as written, every key optional; in a subject, missing keys take the rubric's value.
 *
 * @example
 * mergeThresholds(DEFAULT_THRESHOLDS, ThresholdsSchema.parse({ ragas: { faithfulness: 0.9 } }))
 */
export const ThresholdsSchema = z.strictObject({
  rubric_min_score: unitInterval('Each case must reach this rubric score (0-1). Default 0.82.').optional(),
  ragas: RagasSchema.optional(),
  max_per_case_regression: z.number().min(0).max(100).optional().meta({
    description: 'Largest tolerated drop per case versus the baseline, in points (0-100). Default 3.',
  }),
});
/** `thresholds:` as written (every key optional). */
export type ThresholdsInput = z.output<typeof ThresholdsSchema>;

/**
 * `base` with the values `partial` sets. A single `ragas` number sets both metrics;
 * a map sets the metrics it names.
 *
 * @example
 * mergeThresholds(DEFAULT_THRESHOLDS, { ragas: 0.8 }).ragas // { faithfulness: 0.8, answer_relevancy: 0.8 }
 */
export function mergeThresholds(base: Thresholds, partial: ThresholdsInput | undefined): Thresholds {
  const ragas = partial?.ragas;
  return {
    rubric_min_score: partial?.rubric_min_score ?? base.rubric_min_score,
    ragas:
      typeof ragas === 'number'
        ? { faithfulness: ragas, answer_relevancy: ragas }
        : {
            faithfulness: ragas?.faithfulness ?? base.ragas.faithfulness,
            answer_relevancy: ragas?.answer_relevancy ?? base.ragas.answer_relevancy,
          },
    max_per_case_regression: partial?.max_per_case_regression ?? base.max_per_case_regression,
  };
}
