import { z } from 'zod';
import { parseModelRef } from '../../providers/model-ref.js';
import { SUPPORTED_PROVIDERS } from '../../providers/types.js';

/**
 * Case ids: stable keys of the baseline.
 *
 * @example
 * ID_PATTERN.test('refund-window-basic') // true
 */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:/-]*$/;

/**
 * A `provider:model` string, checked with `parseModelRef`: an unknown provider
 * names the nearest one.
 *
 * @example
 * z.strictObject({ judge: modelString('The judge model.') })
 */
export function modelString(description: string) {
  return z
    .string()
    .superRefine((value, ctx) => {
      try {
        parseModelRef(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: `is not usable: ${(error as Error).message}` });
      }
    })
    .meta({ description, pattern: `^(${SUPPORTED_PROVIDERS.join('|')}):\\S` });
}

/**
 * A score or ratio in [0, 1].
 *
 * @example
 * unitInterval('Minimum rubric score per case.')
 */
export function unitInterval(description: string) {
  return z.number().min(0).max(1).meta({ description });
}

/**
 * An integer of at least 1 (trials, samples, concurrency).
 *
 * @example
 * positiveInt('Agent trials per case.')
 */
export function positiveInt(description: string) {
  return z.int().min(1).meta({ description });
}

/**
 * A non-empty string, or a non-empty list of them; parsed to a list.
 *
 * @example
 * stringList('Paths or globs.').parse('eval/cases.yaml') // ['eval/cases.yaml']
 */
export function stringList(description: string) {
  return z
    .union([z.string().min(1), z.array(z.string().min(1)).min(1)], {
      error: 'must be a string or a list of strings',
    })
    .transform((value) => (typeof value === 'string' ? [value] : value))
    .meta({ description });
}

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A calendar date as written in YAML; a `Date` (YAML 1.1 timestamps) becomes `YYYY-MM-DD`.
 *
 * @example
 * isoDate('When it was granted.').parse(new Date('2026-11-20T00:00:00Z')) // '2026-11-20'
 */
export function isoDate(description: string) {
  return z.preprocess(
    (value) =>
      value instanceof Date && !Number.isNaN(value.getTime()) ? value.toISOString().slice(0, 10) : value,
    z
      .string({ error: 'must be a date written YYYY-MM-DD' })
      .regex(DATE_PATTERN, { error: 'must be a date written YYYY-MM-DD' })
      .superRefine((value, ctx) => {
        if (!DATE_PATTERN.test(value)) return;
        const date = new Date(`${value}T00:00:00Z`);
        if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
          ctx.addIssue({ code: 'custom', message: `is not a real date: ${value}` });
        }
      })
      .meta({ description }),
  );
}
