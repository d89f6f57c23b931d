import { z } from 'zod';

/**
 * One thing the judge scores, 0..1, weighted.
 *
 * @example
 * CriterionSchema.parse({ id: 'states-window', text: 'States the 30-day window' }) // weight: 1
 */
export const CriterionSchema = z.strictObject({
  id: z.string().min(1).meta({ description: 'Stable id of the criterion, unique within the case.' }),
  text: z.string().min(1).meta({ description: 'What the judge checks, in one sentence.' }),
  weight: z.number().gt(0).default(1).meta({ description: 'Relative weight in the case score. Default 1.' }),
});
/** A criterion with its weight resolved (default 1). */
export type Criterion = z.output<typeof CriterionSchema>;

/**
 * A list of criteria whose ids are unique.
 *
 * @example
 * criteriaList('Criteria the judge scores for this case.')
 */
export function criteriaList(description: string) {
  return z
    .array(CriterionSchema)
    .superRefine((criteria, ctx) => {
      const seen = new Set<string>();
      criteria.forEach((criterion, index) => {
        if (seen.has(criterion.id)) {
          ctx.addIssue({
            code: 'custom',
            path: [index, 'id'],
            message: `repeats ${JSON.stringify(criterion.id)}; give each criterion its own id`,
          });
        }
        seen.add(criterion.id);
      });
    })
    .meta({ description });
}
