import type { z } from 'zod';
import { configErrorMap, issueProblems, type IssueSource } from './issues.js';
import { ConfigValidationError, sortProblems, type ConfigProblem } from './problems.js';

/**
 * The outcome of validating one input: the parsed value, or every problem found.
 *
 * @example
 * const result: ParseResult<Rubric> = safeParseWithSchema(RubricSchema, data, 'rubric.yaml')
 */
export type ParseResult<T> = { ok: true; data: T } | { ok: false; problems: ConfigProblem[] };

/**
 * Validate `data` with `schema`, turning every zod issue into a located problem.
 * `source` is a label (`'judge reply'`) or a parsed YAML file (`parseYaml`), which
 * adds `line:col` to each problem.
 *
 * @example
 * const result = safeParseWithSchema(RubricSchema, source.data, source)
 * if (!result.ok) console.error(result.problems.map((p) => p.message).join('\n'))
 */
export function safeParseWithSchema<S extends z.ZodType>(
  schema: S,
  data: unknown,
  source: string | IssueSource,
): ParseResult<z.output<S>> {
  const where = typeof source === 'string' ? { label: source } : source;
  const result = schema.safeParse(data, { error: configErrorMap, reportInput: true });
  if (result.success) return { ok: true, data: result.data };
  return { ok: false, problems: result.error.issues.flatMap((issue) => issueProblems(issue, where)) };
}

/**
 * Validate `data` with `schema` or throw one `ConfigValidationError` (a `ConfigError`)
 * naming the first problem in file order, with all of them in `problems`.
 *
 * @example
 * const rubric = parseWithSchema(RubricSchema, yaml.data, yaml) // throws 'rubric.yaml:7:3: ...'
 */
export function parseWithSchema<S extends z.ZodType>(
  schema: S,
  data: unknown,
  source: string | IssueSource,
): z.output<S> {
  const result = safeParseWithSchema(schema, data, source);
  if (result.ok) return result.data;
  throw new ConfigValidationError(sortProblems(result.problems));
}
