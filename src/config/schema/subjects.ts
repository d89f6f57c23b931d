import { z } from 'zod';
import { positiveInt, stringList } from './common.js';
import { RelativeGatesSchema } from './relative-gates.js';
import { ThresholdsSchema } from './thresholds.js';

/**
 * Subject names: used in the scorecard and in a case's `subject:`.
 *
 * @example
 * SUBJECT_NAME.test('drafter') // true
 */
export const SUBJECT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * One subject under test: an agent module (or prompt mode without `entry`) and its cases.
 *
 * @example
 * SubjectSchema.parse({ entry: 'agents/drafter.ts', cases: 'eval/cases.yaml' })
 */
export const SubjectSchema = z.strictObject({
  entry: z.string().min(1).optional().meta({
    description: 'Path of the agent module; without it the case input goes straight to model_primary.',
  }),
  cases: stringList('Case files: paths or globs, relative to the repository root.'),
  thresholds: ThresholdsSchema.optional().meta({
    description: "This subject's gates; missing keys take the rubric's.",
  }),
  repeats: positiveInt("Agent trials per case for this subject; default the rubric's repeats.").optional(),
  relative_gates: RelativeGatesSchema.optional().meta({
    description: "This subject's relative gates; each one it names replaces the rubric's.",
  }),
});
/** A subject as written, before the rubric's thresholds and repeats are merged in. */
export type SubjectInput = z.output<typeof SubjectSchema>;

/**
 * `subjects:`: name -> subject, at least one.
 *
 * @example
 * SubjectsSchema.parse({ drafter: { entry: 'agents/drafter.ts', cases: 'eval/cases.yaml' } })
 */
export const SubjectsSchema = z
  .record(
    z.string().regex(SUBJECT_NAME, { error: 'must be a name of letters, digits and . _ -' }),
    SubjectSchema,
  )
  .superRefine((subjects, ctx) => {
    if (Object.keys(subjects).length === 0) {
      ctx.addIssue({
        code: 'custom',
        message: 'names no subject; add one, or remove subjects: to use one agent',
      });
    }
  })
  .meta({
    description:
      'The agents under test, each with its own cases and thresholds. Default: one subject "agent".',
  });
