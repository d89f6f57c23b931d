import { z } from 'zod';
import { compileJsonSchema } from '../json-schema.js';
import { CHECK_OPTIONS } from './check-options.js';
import { checkEntryKeys } from './check-keys.js';
import { normalizeCheck } from './check-normalize.js';

const entry = z
  .union(Object.values(CHECK_OPTIONS), {
    error: 'must be a map with one check, e.g. { contains: "30 days" }',
  })
  .superRefine((value, ctx) => {
    if ('regex' in value || 'not_regex' in value) {
      const key = 'regex' in value ? 'regex' : 'not_regex';
      const source = 'regex' in value ? value.regex : value.not_regex;
      if (value.flags !== undefined && !/^[imsu]*$/.test(value.flags)) return;
      try {
        new RegExp(source, value.flags);
      } catch (error) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `does not compile: ${(error as Error).message}`,
        });
      }
    }
    if ('json_schema' in value) {
      try {
        compileJsonSchema(value.json_schema);
      } catch (error) {
        // ajv lists every meta-schema failure; the first says what is wrong.
        const message = (error as Error).message.replace(/\s+/g, ' ').split(', data')[0];
        ctx.addIssue({
          code: 'custom',
          path: ['json_schema'],
          message: `is not a valid JSON Schema: ${message}`,
        });
      }
    }
  });

/**
 * One entry of a case's `checks:` list. Exactly one check key, plus the
 * modifiers that belong to it and an optional `name`; parsed to a `Check`.
 *
 * @example
 * CheckSchema.parse({ regex: '30[ -]day', flags: 'i' })
 * // { kind: 'regex', value: '30[ -]day', flags: 'i', name: 'regex /30[ -]day/i' }
 */
export const CheckSchema = z.preprocess(checkEntryKeys, entry).transform(normalizeCheck);

export { CHECK_KINDS, CHECK_OPTIONS, type CheckInput, type CheckKind } from './check-options.js';

/** A deterministic check, normalised for a scorer to `switch (check.kind)` on. See `check-normalize.ts`. */
export type { Check } from './check-normalize.js';
