import type { LoadedCase } from './case-file.js';
import { nearest } from '../internal/did-you-mean.js';
import { problemAt, type ConfigProblem } from './problems.js';
import type { CaseFileRecord, ProjectCase } from './project.js';
import type { Rubric } from './schema/rubric.js';
import { locationIn, where, type DataPath, type YamlSource } from './yaml-source.js';

/** Where a case id is first written. @internal */
export interface CaseIdSite {
  source: YamlSource;
  index: number;
}

/**
 * Give every loaded case its subject and resolved settings, checking across
 * files: duplicate ids, a `subject:` that names no subject (or one whose case
 * files do not include this file), a case in a shared file without `subject:`,
 * a case criterion id that repeats a rubric-wide one.
 * @internal
 *
 * @example
 * const { cases, ids, problems } = resolveCases({ rubric, rubricSource, caseFiles, subjectFiles })
 */
export function resolveCases(input: {
  rubric: Rubric;
  rubricSource: YamlSource;
  caseFiles: Map<string, CaseFileRecord>;
  subjectFiles: Map<string, string[]>;
}): { cases: ProjectCase[]; ids: Map<string, CaseIdSite>; problems: ConfigProblem[] } {
  const { rubric, rubricSource } = input;
  const names = Object.keys(rubric.subjects);
  const rubricCriteria = new Map(rubric.criteria.map((c, i) => [c.id, i]));
  const ids = new Map<string, CaseIdSite>();
  const cases: ProjectCase[] = [];
  const problems: ConfigProblem[] = [];

  for (const record of input.caseFiles.values()) {
    const listers = names.filter((name) => input.subjectFiles.get(name)?.includes(record.file));
    record.cases.forEach((loaded, index) => {
      const at = (path: DataPath) => locationIn(record.source, ['cases', index, ...path]);
      const earlier = ids.get(loaded.id);
      if (earlier) {
        problems.push(
          problemAt(
            at(['id']),
            `cases[${index}].id ${loaded.id} is already used at ${where(earlier.source, ['cases', earlier.index])}; ` +
              'case ids must be unique across all case files',
          ),
        );
      } else ids.set(loaded.id, { source: record.source, index });

      const subject = caseSubject(loaded, listers, names, record.source.label);
      if (typeof subject !== 'string') {
        problems.push(problemAt(at(subject.path), `cases[${index}]${subject.problem}`));
        return;
      }
      loaded.criteria.forEach((criterion, c) => {
        const clash = rubricCriteria.get(criterion.id);
        if (clash === undefined) return;
        problems.push(
          problemAt(
            at(['criteria', c, 'id']),
            `cases[${index}].criteria[${c}].id ${criterion.id} is also a rubric-wide criterion ` +
              `(${where(rubricSource, ['criteria', clash, 'id'])}); rename one`,
          ),
        );
      });
      const settings = rubric.subjects[subject]!;
      cases.push({
        ...loaded,
        subject,
        min_score: loaded.min_score ?? settings.thresholds.rubric_min_score,
        repeats: loaded.repeats ?? settings.repeats,
        criteria: [...rubric.criteria, ...loaded.criteria],
      });
    });
  }
  return { cases, ids, problems };
}

/** The subject a case belongs to, or what is wrong (a path under the case and a message). */
function caseSubject(
  loaded: LoadedCase,
  listers: string[],
  names: string[],
  file: string,
): string | { path: DataPath; problem: string } {
  if (loaded.subject !== undefined) {
    if (!names.includes(loaded.subject)) {
      const guess = nearest(loaded.subject, names);
      return {
        path: ['subject'],
        problem:
          `.subject names no subject: ${loaded.subject}; ` +
          (guess === undefined ? `use one of ${names.join(', ')}` : `did you mean ${guess}?`),
      };
    }
    if (!listers.includes(loaded.subject)) {
      return {
        path: ['subject'],
        problem:
          `.subject is ${loaded.subject}, but ${file} is not among its case files; ` +
          `add it to subjects.${loaded.subject}.cases or fix the subject`,
      };
    }
    return loaded.subject;
  }
  if (listers.length === 1) return listers[0]!;
  return {
    path: [],
    problem: ` is in a file shared by subjects ${listers.join(', ')}; set subject: to one of them`,
  };
}
