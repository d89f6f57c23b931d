import { z } from 'zod';
import { isoDate, modelString } from './common.js';

const nonEmpty = (description: string) => z.string().trim().min(1).meta({ description });

/**
 * One documented, tolerated regression of one case for one candidate model.
 *
 * @example
 * AllowlistEntrySchema.parse({ case: 'refund-window-basic', model: 'anthropic:claude-opus-4-7',
 *   reason: 'Terser; still correct.', author: 'Dana <dana@example.com>', date: '2026-11-20' })
 */
export const AllowlistEntrySchema = z.strictObject({
  case: z.string().min(1).meta({ description: 'The case id.' }),
  model: modelString('The candidate model this tolerance was granted for.'),
  max_drop: z
    .number()
    .gt(0)
    .max(100)
    .optional()
    .meta({ description: 'Largest tolerated drop in points; never above max_per_case_regression.' }),
  reason: nonEmpty('Why the drop is acceptable.'),
  author: nonEmpty('Who granted it, e.g. "Dana Reviewer <dana@example.com>".'),
  date: isoDate('When it was granted, YYYY-MM-DD.'),
  reviewer: nonEmpty('The second reviewer.').optional(),
  expires: isoDate('The entry stops applying after this date, YYYY-MM-DD.').optional(),
});
/** One allowlist entry, dates as `YYYY-MM-DD` strings. */
export type AllowlistEntry = z.output<typeof AllowlistEntrySchema>;

/**
 * The allowlist file: a list of entries (`[]` when there are none).
 *
 * @example
 * AllowlistSchema.parse([]) // []
 */
export const AllowlistSchema = z
  .array(AllowlistEntrySchema)
  .meta({ description: 'Documented, tolerated small regressions (vitest-qualify).' });
