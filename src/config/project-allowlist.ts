import type { LoadedAllowlistEntry } from './allowlist-file.js';
import { nearest } from '../internal/did-you-mean.js';
import { problemAt, type ConfigProblem } from './problems.js';
import type { CaseIdSite } from './project-cases.js';
import type { Rubric } from './schema/rubric.js';
import { locationIn, where, type DataPath, type YamlSource } from './yaml-source.js';

/**
 * Check allowlist entries against the cases and the rubric: each names an
 * existing case, and no `max_drop` exceeds its subject's `max_per_case_regression`
 * (no entry can cover a larger drop).
 * @internal
 *
 * @example
 * problems.push(...checkAllowlist({ entries, source, cases, ids, rubric, rubricSource }))
 */
export function checkAllowlist(input: {
  entries: LoadedAllowlistEntry[];
  source: YamlSource;
  ids: Map<string, CaseIdSite>;
  rubric: Rubric;
  rubricSource: YamlSource;
}): ConfigProblem[] {
  const { rubric, rubricSource, source } = input;
  const problems: ConfigProblem[] = [];
  input.entries.forEach((entry, index) => {
    if (!input.ids.has(entry.case)) {
      const guess = nearest(entry.case, input.ids.keys());
      problems.push(
        problemAt(
          locationIn(source, [index, 'case']),
          `[${index}].case names no case: ${entry.case}` +
            (guess === undefined ? '; check the case id' : `; did you mean ${guess}?`),
        ),
      );
    }
    const subject = input.ids.get(entry.case)?.subject;
    const limit = (subject === undefined ? rubric : rubric.subjects[subject]!).thresholds
      .max_per_case_regression;
    if (entry.max_drop !== undefined && entry.max_drop > limit) {
      problems.push(
        problemAt(
          locationIn(source, [index, 'max_drop']),
          `[${index}].max_drop ${entry.max_drop} is above max_per_case_regression ${limit} ` +
            `(${where(rubricSource, limitPath(rubricSource, subject))}); no allowlist entry can cover a larger drop`,
        ),
      );
    }
  });
  return problems;
}

/** Where the limit that applies is written: the subject's own, else the rubric's. */
function limitPath(rubricSource: YamlSource, subject: string | undefined): DataPath {
  const data = rubricSource.data as { subjects?: Record<string, { thresholds?: object } | undefined> };
  const own = subject === undefined ? undefined : data.subjects?.[subject]?.thresholds;
  return subject !== undefined && own && Object.hasOwn(own, 'max_per_case_regression')
    ? ['subjects', subject, 'thresholds', 'max_per_case_regression']
    : ['thresholds', 'max_per_case_regression'];
}
