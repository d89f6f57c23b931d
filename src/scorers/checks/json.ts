/**
 * The JSON checks: `json` (the output parses) and `json_schema` (and matches, via ajv).
 */
import { compileJsonSchema } from '../../config/json-schema.js';
import type { Check } from '../types.js';
import type { Outcome } from './outcome.js';

type Parsed = { ok: true; value: unknown } | { ok: false; detail: string };

function parseOutput(output: string): Parsed {
  try {
    return { ok: true, value: JSON.parse(output) as unknown };
  } catch (error) {
    return { ok: false, detail: `not JSON: ${(error as Error).message}` };
  }
}

const kindOf = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

/**
 * `json: true`: the whole output parses as JSON.
 *
 * @example
 * jsonCheck('{"a":1}') // { pass: true, detail: 'parses as JSON (object)' }
 */
export function jsonCheck(output: string): Outcome {
  const parsed = parseOutput(output);
  return parsed.ok
    ? { pass: true, detail: `parses as JSON (${kindOf(parsed.value)})` }
    : { pass: false, detail: parsed.detail };
}

/**
 * `json_schema`: the output parses as JSON and validates; a failure names the first
 * failing instance path and ajv's message (ajv itself is loaded by `compileJsonSchema`
 * on the first schema it compiles).
 *
 * @example
 * jsonSchemaCheck({ kind: 'json_schema', value: { type: 'object', required: ['a'] }, name: 'x' }, '{}')
 * // { pass: false, detail: "at (root): must have required property 'a'" }
 */
export function jsonSchemaCheck(check: Extract<Check, { kind: 'json_schema' }>, output: string): Outcome {
  const parsed = parseOutput(output);
  if (!parsed.ok) return { pass: false, detail: parsed.detail };
  const validate = compileJsonSchema(check.value);
  if (validate(parsed.value)) return { pass: true, detail: 'matches the schema' };
  const errors = validate.errors ?? [];
  const [first] = errors;
  if (!first) return { pass: false, detail: 'does not match the schema' };
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return {
    pass: false,
    detail: `at ${first.instancePath || '(root)'}: ${first.message ?? 'is invalid'}${more}`,
  };
}
