import { createRequire } from 'node:module';
import type * as AjvModule from 'ajv';
import type { Ajv, ValidateFunction } from 'ajv';
import type * as Ajv2020Module from 'ajv/dist/2020.js';
import type { Ajv2020 } from 'ajv/dist/2020.js';

// ajv (CommonJS) is required on the first `json_schema` check, not imported: Vitest's main process and
// worker load this module with the case schemas, and most case sets have no such check (about 70 ms).
const require = createRequire(import.meta.url);

let draft07: Ajv | undefined;
let draft2020: Ajv2020 | undefined;
// Compiled validators by schema text: a case file from traffic repeats one schema thousands of times.
const compiled = new Map<string, ValidateFunction>();
const OPTIONS = { strict: false, allErrors: true, validateFormats: false } as const;

/**
 * Compile a JSON Schema with ajv, so a broken schema fails at load time rather
 * than when a case is scored. Draft 2020-12 when the schema's `$schema` says so,
 * draft-07 otherwise; unknown keywords and formats are tolerated (`strict: false`).
 * Equal schemas share one compiled validator. Throws ajv's error for a schema
 * that does not compile.
 *
 * @example
 * const validate = compileJsonSchema({ type: 'object', required: ['answer'] })
 * validate({ answer: 'no' }) // true
 */
export function compileJsonSchema(schema: Record<string, unknown>): ValidateFunction {
  const key = JSON.stringify(schema);
  const cached = compiled.get(key);
  if (cached) return cached;
  const dialect = typeof schema['$schema'] === 'string' ? schema['$schema'] : '';
  const ajv = /2020-12|2019-09/.test(dialect)
    ? (draft2020 ??= new (require('ajv/dist/2020.js') as typeof Ajv2020Module).Ajv2020(OPTIONS))
    : (draft07 ??= new (require('ajv') as typeof AjvModule).Ajv(OPTIONS));
  const validate = ajv.compile(schema);
  // Keep the validator, not the registration: two cases may reuse one `$id`.
  ajv.removeSchema(schema);
  compiled.set(key, validate);
  return validate;
}
