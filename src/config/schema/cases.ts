import { z } from 'zod';
import { CheckSchema } from './checks.js';
import { ID_PATTERN, positiveInt, unitInterval } from './common.js';
import { criteriaList } from './criteria.js';

const MessageSchema = z.strictObject({
  role: z.enum(['user', 'assistant', 'system']).meta({ description: 'Who says it.' }),
  content: z.string().meta({ description: 'The text of the message.' }),
});

/**
 * One case: a prompt (`input` or `messages`, exactly one), what the judge
 * scores, deterministic checks and per-case overrides.
 *
 * @example
 * CaseSchema.parse({ id: 'refund-window-basic', input: 'Can I return shoes after 40 days?' })
 */
export const CaseSchema = z
  .strictObject({
    id: z
      .string()
      .regex(ID_PATTERN, {
        error: 'must start with a letter or digit and use only letters, digits and . _ : / -',
      })
      .meta({ description: 'Unique, stable id; the baseline is keyed by it.' }),
    subject: z.string().min(1).optional().meta({ description: 'The subject (agent) this case belongs to.' }),
    node: z.string().min(1).optional().meta({ description: 'Node id, to scope a run (QUALIFY_NODE).' }),
    tags: z.array(z.string().min(1)).default([]).meta({ description: 'Slices in the scorecard.' }),
    input: z.string().optional().meta({ description: 'The user message. Or use messages.' }),
    messages: z
      .array(MessageSchema)
      .min(1)
      .optional()
      .meta({ description: 'A conversation, as [{ role, content }]. Or use input.' }),
    context: z
      .array(z.string())
      .optional()
      .meta({ description: 'Retrieved contexts; enables faithfulness.' }),
    reference: z.string().optional().meta({ description: 'The expected answer, for the judge.' }),
    criteria: criteriaList('What the judge scores, each 0..1, weighted.').default([]),
    checks: z
      .array(CheckSchema)
      .default([])
      .meta({ description: 'Deterministic checks; a failed check makes the case score 0.' }),
    min_score: unitInterval(
      'This case must reach this rubric score (overrides rubric_min_score).',
    ).optional(),
    repeats: positiveInt('Agent trials for this case (overrides the rubric).').optional(),
    metadata: z
      .record(z.string(), z.unknown())
      .optional()
      .meta({ description: 'Free-form data, passed through to the agent and the scorecard.' }),
  })
  .superRefine((value, ctx) => {
    const hasInput = value.input !== undefined;
    const hasMessages = value.messages !== undefined;
    if (hasInput === hasMessages) {
      ctx.addIssue({
        code: 'custom',
        message: `needs exactly one of input or messages; found ${hasInput ? 'both' : 'neither'}`,
      });
    }
  });
/**
 * A case after parsing: `tags`, `criteria` and `checks` always present, checks normalised.
 *
 * @example
 * const prompt = c.input ?? c.messages!.at(-1)!.content
 */
export type Case = z.output<typeof CaseSchema>;
/** A case as written in YAML (before defaults), e.g. for `qualify import` to emit. */
export type CaseInput = z.input<typeof CaseSchema>;

/**
 * A case file: `{ cases: [...] }`.
 *
 * @example
 * CaseFileSchema.parse({ cases: [{ id: 'a', input: 'hi' }] })
 */
export const CaseFileSchema = z.strictObject({
  cases: z.array(CaseSchema).min(1).meta({ description: 'The cases; each becomes one test.' }),
});
/** A parsed case file. */
export type CaseFile = z.output<typeof CaseFileSchema>;
