import path from 'node:path';
import { parseWithSchema } from '../../config/parse.js';
import { ConfigValidationError } from '../../config/problems.js';
import { readConfigText } from '../../config/read-file.js';
import { RubricSchema, type Rubric } from '../../config/schema/rubric.js';
import { parseYaml, type YamlSource } from '../../config/yaml-source.js';

/** The rubric.yaml every command reads, relative to the command's directory. */
export const RUBRIC_FILE = 'rubric.yaml';

/** A validated rubric with its text and positions. */
export interface RubricFile {
  /** As named in messages: relative to the command's directory. */
  label: string;
  text: string;
  source: YamlSource;
  rubric: Rubric;
}

/**
 * Read and validate `rubric.yaml` in `cwd` (only the rubric: case files are not
 * loaded). Throws a `ConfigError` naming `file:line:col` for any problem.
 *
 * @example
 * const { rubric } = await readRubricFile(io.cwd)
 * rubric.allowlist // 'eval/allowlist.yaml'
 */
export async function readRubricFile(cwd: string, file = RUBRIC_FILE): Promise<RubricFile> {
  const label = file;
  const text = await readConfigText(path.resolve(cwd, file), label, {
    hint: 'run this in the repository root, or create it with `npx qualify init`',
  });
  return parseRubricText(text ?? '', label);
}

/**
 * Validate rubric text (from a file, or from `git show <ref>:rubric.yaml`).
 *
 * @example
 * parseRubricText('model_primary: openai:gpt-5\njudge: openai:gpt-5\nthresholds: {}\n', 'rubric.yaml')
 */
export function parseRubricText(text: string, label: string): RubricFile {
  const parsed = parseYaml(text, label);
  if (!parsed.source) throw new ConfigValidationError(parsed.problems);
  const rubric = parseWithSchema(RubricSchema, parsed.source.data ?? {}, parsed.source);
  return { label, text, source: parsed.source, rubric };
}

/**
 * The thresholds a case of `subject` is held to: its subject's, else the rubric's.
 *
 * @example
 * budgetOf(rubric, 'drafter') // 3
 */
export function budgetOf(rubric: Rubric, subject: string | undefined): number {
  const own = subject === undefined ? undefined : rubric.subjects[subject];
  return (own?.thresholds ?? rubric.thresholds).max_per_case_regression;
}
