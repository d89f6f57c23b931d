import type { LoadedCase } from './case-file.js';
import { nearest } from '../internal/did-you-mean.js';
import { problemAt, type ConfigProblem } from './problems.js';
import type { CaseFileRecord, ProjectCase } from './project.js';
import type { Rubric } from './schema/rubric.js';
import { locationIn, where, type DataPath, type YamlSource } from './yaml-source.js';

/** Where a case id is first written (`file:line:col`), and the subject of its first resolved case. @internal */
export interface CaseIdSite {
  at: string;
  subject?: string | undefined;
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
  const resolver = new CaseResolver(input);
  const cases: ProjectCase[] = [];
  for (const record of input.caseFiles.values()) {
    if (record.source) cases.push(...resolver.resolve(record.file, record.source, record.cases));
  }
  return { cases, ids: resolver.ids, problems: resolver.problems };
}

/**
 * `resolveCases` one case file at a time, so a file's parsed YAML can be let go
 * as soon as its cases are resolved: what the cross-file checks need of earlier
 * files is kept as text (`ids`), not as their documents.
 * @internal
 *
 * @example
 * const resolver = new CaseResolver({ rubric, rubricSource, subjectFiles })
 * const cases = resolver.resolve(file, source, loaded)
 */
export class CaseResolver {
  readonly ids = new Map<string, CaseIdSite>();
  readonly problems: ConfigProblem[] = [];
  /** Resolved cases per subject. */
  readonly counts = new Map<string, number>();
  private readonly names: string[];
  private readonly rubricCriteria: Map<string, number>;

  constructor(
    private readonly input: { rubric: Rubric; rubricSource: YamlSource; subjectFiles: Map<string, string[]> },
  ) {
    this.names = Object.keys(input.rubric.subjects);
    this.rubricCriteria = new Map(input.rubric.criteria.map((c, i) => [c.id, i]));
  }

  /** The cases of one file, resolved; their problems go to `problems`. */
  resolve(file: string, source: YamlSource, loadedCases: readonly LoadedCase[]): ProjectCase[] {
    const { rubric, rubricSource } = this.input;
    const { ids, problems, names } = this;
    const listers = names.filter((name) => this.input.subjectFiles.get(name)?.includes(file));
    const cases: ProjectCase[] = [];
    loadedCases.forEach((loaded, index) => {
      const at = (path: DataPath) => locationIn(source, ['cases', index, ...path]);
      const earlier = ids.get(loaded.id);
      if (earlier) {
        problems.push(
          problemAt(
            at(['id']),
            `cases[${index}].id ${loaded.id} is already used at ${earlier.at}; ` +
              'case ids must be unique across all case files',
          ),
        );
      } else ids.set(loaded.id, { at: `${loaded.source.file}:${loaded.source.line}:${loaded.source.col}` });

      const subject = caseSubject(loaded, listers, names, source.label);
      if (typeof subject !== 'string') {
        problems.push(problemAt(at(subject.path), `cases[${index}]${subject.problem}`));
        return;
      }
      loaded.criteria.forEach((criterion, c) => {
        const clash = this.rubricCriteria.get(criterion.id);
        if (clash === undefined) return;
        problems.push(
          problemAt(
            at(['criteria', c, 'id']),
            `cases[${index}].criteria[${c}].id ${criterion.id} is also a rubric-wide criterion ` +
              `(${where(rubricSource, ['criteria', clash, 'id'])}); rename one`,
          ),
        );
      });
      const site = ids.get(loaded.id)!;
      site.subject ??= subject;
      this.counts.set(subject, (this.counts.get(subject) ?? 0) + 1);
      const settings = rubric.subjects[subject]!;
      cases.push({
        ...loaded,
        subject,
        min_score: loaded.min_score ?? settings.thresholds.rubric_min_score,
        repeats: loaded.repeats ?? settings.repeats,
        criteria: [...rubric.criteria, ...loaded.criteria],
      });
    });
    return cases;
  }
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
