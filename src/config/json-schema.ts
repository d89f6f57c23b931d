import { Ajv, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';

let draft07: Ajv | undefined;
let draft2020: Ajv2020 | undefined;
// Compiled validators by schema text: a case file from traffic repeats one schema thousands of times.
const compiled = new Map<string, ValidateFunction>();

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
    ? (draft2020 ??= new Ajv2020({ strict: false, allErrors: true, validateFormats: false }))
    : (draft07 ??= new Ajv({ strict: false, allErrors: true, validateFormats: false }));
  const validate = ajv.compile(schema);
  // Keep the validator, not the registration: two cases may reuse one `$id`.
  ajv.removeSchema(schema);
  compiled.set(key, validate);
  return validate;
}
