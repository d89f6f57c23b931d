import { resolve } from 'node:path';
import { didYouMean } from '../internal/did-you-mean.js';
import { problemAt, type ConfigProblem } from './problems.js';
import { safeParseWithSchema } from './parse.js';
import { CaseFileSchema, type Case } from './schema/cases.js';
import type { YamlSource } from './yaml-source.js';

/** Where a case is written: the file as named in messages, 1-based line and column. */
export interface CaseSource {
  file: string;
  line: number;
  col: number;
}

/**
 * A case as loaded from its file, with where it is written.
 *
 * @example
 * console.log(`${c.source.file}:${c.source.line}: ${c.id}`)
 */
export type LoadedCase = Case & { source: CaseSource };

const NO_CASES = 'the case file has no cases; add at least one under `cases:`';

/**
 * Validate a parsed case file. `moduleExists` answers whether a `javascript:`
 * check's module exists (paths are relative to `root`); pass a fake in tests.
 * @internal
 *
 * @example
 * const { cases, problems } = readCases(source, { root: '/repo', moduleExists: existsSync })
 */
export function readCases(
  source: YamlSource,
  options: { root: string; moduleExists: (path: string) => boolean },
): { cases: LoadedCase[]; problems: ConfigProblem[] } {
  const data = source.data;
  const isMap = typeof data === 'object' && data !== null && !Array.isArray(data);
  const written = isMap ? (data as Record<string, unknown>)['cases'] : undefined;
  if (data === null || (isMap && (written == null || (Array.isArray(written) && written.length === 0)))) {
    const at = source.locate(['cases']);
    const problems = [problemAt({ file: source.label, ...at, key: 'cases' }, NO_CASES)];
    // Still report the other keys: a `case:` typo gets its did-you-mean.
    const accepted = Object.keys(CaseFileSchema.shape);
    for (const key of isMap ? Object.keys(data as object) : []) {
      if (accepted.includes(key)) continue;
      const at = { file: source.label, ...source.locate([key], { key: true }), key };
      problems.push(problemAt(at, `${key} is not a known key${didYouMean(key, accepted)}`));
    }
    return { cases: [], problems };
  }
  const result = safeParseWithSchema(CaseFileSchema, data, source);
  if (!result.ok) return { cases: [], problems: result.problems };
  const problems: ConfigProblem[] = [];
  const cases = result.data.cases.map((written, index): LoadedCase => {
    written.checks.forEach((check, at) => {
      if (check.kind === 'javascript' && !options.moduleExists(resolve(options.root, check.value))) {
        const path = ['cases', index, 'checks', at, 'javascript'];
        problems.push(
          problemAt(
            { file: source.label, ...source.locate(path) },
            `cases[${index}].checks[${at}].javascript names ${check.value}, which does not exist; ` +
              'paths are relative to the repository root',
          ),
        );
      }
    });
    return { ...written, source: { file: source.label, ...source.locate(['cases', index]) } };
  });
  return { cases, problems };
}
