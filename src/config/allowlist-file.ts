import { safeParseWithSchema } from './parse.js';
import type { ConfigProblem } from './problems.js';
import { AllowlistSchema, type AllowlistEntry } from './schema/allowlist.js';
import type { YamlSource } from './yaml-source.js';

/**
 * An allowlist entry with where it is written (file as named in messages, 1-based line and column).
 *
 * @example
 * console.log(`${e.source.file}:${e.source.line}: ${e.case} allowed for ${e.model}`)
 */
export type LoadedAllowlistEntry = AllowlistEntry & { source: { file: string; line: number; col: number } };

/**
 * Validate a parsed allowlist. An empty file is an empty list.
 * @internal
 *
 * @example
 * const { entries, problems } = readAllowlistEntries(source)
 */
export function readAllowlistEntries(source: YamlSource): {
  entries: LoadedAllowlistEntry[];
  problems: ConfigProblem[];
} {
  const result = safeParseWithSchema(AllowlistSchema, source.data ?? [], source);
  if (!result.ok) return { entries: [], problems: result.problems };
  const entries = result.data.map((entry, index) => ({
    ...entry,
    source: { file: source.label, ...source.locate([index]) },
  }));
  return { entries, problems: [] };
}
