import type { LoadedAllowlistEntry } from './allowlist-file.js';
import type { LoadedCase } from './case-file.js';
import { problemAt, type ConfigProblem } from './problems.js';
import { checkAllowlist } from './project-allowlist.js';
import { resolveCases, type CaseResolver } from './project-cases.js';
import type { Criterion } from './schema/criteria.js';
import type { Rubric } from './schema/rubric.js';
import type { Thresholds } from './schema/thresholds.js';
import { locationIn, type DataPath, type YamlSource } from './yaml-source.js';

/**
 * A case ready to run: its subject resolved, per-case overrides resolved, rubric-wide criteria first.
 *
 * @example
 * test(c.id, async () => { const score = await judge(c.criteria, output); expect(score).toBeGreaterThanOrEqual(c.min_score) })
 */
export type ProjectCase = Omit<LoadedCase, 'subject' | 'min_score' | 'repeats' | 'criteria'> & {
  subject: string;
  /** The case's `min_score`, else its subject's `rubric_min_score`. */
  min_score: number;
  /** The case's `repeats`, else its subject's. */
  repeats: number;
  /** The rubric-wide criteria, then the case's own. */
  criteria: Criterion[];
};

/**
 * One subject under test.
 *
 * @example
 * const agent = subject.entry ? await import(subject.entry) : promptMode(rubric.system_prompt)
 */
export interface Subject {
  name: string;
  /** Absolute path of the agent module; `undefined` is prompt mode. */
  entry: string | undefined;
  /** Absolute paths of its case files. */
  caseFiles: string[];
  cases: ProjectCase[];
  /** The rubric's thresholds with the subject's own merged in. */
  thresholds: Thresholds;
  repeats: number;
}

/**
 * Everything a qualification run needs, validated across files. Paths are absolute.
 *
 * @example
 * const { subjects, allowlist, files } = await loadProject({ cwd })
 */
export interface Project {
  root: string;
  rubricFile: string;
  rubric: Rubric;
  subjects: Subject[];
  cases: ProjectCase[];
  allowlist: LoadedAllowlistEntry[];
  files: {
    baseline: string;
    allowlist: string;
    scorecardJson: string;
    scorecardMarkdown: string;
    cacheDir: string;
  };
}

/** A loaded case file. @internal */
export interface CaseFileRecord {
  file: string;
  /** The parsed file; absent once its cases are resolved (a large case set is not held as YAML trees). */
  source?: YamlSource | undefined;
  cases: LoadedCase[];
  /** False when the file had problems: its cases may be missing. */
  complete: boolean;
}

/**
 * Where a subject's `cases` or `entry` is written in rubric.yaml: under
 * `subjects.<name>`, or top-level `cases` / `agent` for the default subject.
 * @internal
 */
export function subjectKeyPath(rubricSource: YamlSource, name: string, key: 'cases' | 'entry'): DataPath {
  const data = rubricSource.data as Record<string, unknown>;
  if (Object.hasOwn(data, 'subjects')) return ['subjects', name, key];
  return [key === 'entry' ? 'agent' : 'cases'];
}

/**
 * Put loaded files together and check what only shows across files: case
 * subjects, duplicate ids, subjects without cases, criteria ids clashing with
 * rubric-wide ones, allowlist entries for unknown cases or above the regression limit.
 * @internal
 *
 * @example
 * const { project, problems } = assembleProject({ root, rubric, rubricSource, caseFiles, ... })
 */
export function assembleProject(input: {
  root: string;
  rubricFile: string;
  rubric: Rubric;
  rubricSource: YamlSource;
  subjectFiles: Map<string, string[]>;
  entries: Map<string, string | undefined>;
  caseFiles: Map<string, CaseFileRecord>;
  /** The cases already resolved file by file (`CaseResolver`); else the records' cases are resolved here. */
  resolved?: { resolver: CaseResolver; cases: ProjectCase[] } | undefined;
  allowlist: LoadedAllowlistEntry[];
  allowlistSource: YamlSource | undefined;
  files: Project['files'];
}): { project: Project; problems: ConfigProblem[] } {
  const { rubric, rubricSource } = input;
  const { cases, ids, problems, counts } = input.resolved
    ? { cases: input.resolved.cases, ...pick(input.resolved.resolver) }
    : withCounts(resolveCases(input));

  const subjects = Object.entries(rubric.subjects).map(([name, settings]): Subject => {
    const own = cases.filter((c) => c.subject === name);
    const caseFiles = input.subjectFiles.get(name) ?? [];
    const complete = caseFiles.every((file) => input.caseFiles.get(file)?.complete === true);
    if ((counts.get(name) ?? 0) === 0 && caseFiles.length > 0 && complete) {
      problems.push(
        problemAt(
          locationIn(rubricSource, subjectKeyPath(rubricSource, name, 'cases')),
          `subject ${name} has no cases: none of its case files has a case for it; ` +
            `add cases, or set subject: ${name} on the cases meant for it`,
        ),
      );
    }
    const entry = input.entries.get(name);
    return { name, entry, caseFiles, cases: own, thresholds: settings.thresholds, repeats: settings.repeats };
  });

  if (input.allowlistSource) {
    const source = input.allowlistSource;
    problems.push(...checkAllowlist({ entries: input.allowlist, source, ids, rubric, rubricSource }));
  }

  const project: Project = {
    root: input.root,
    rubricFile: input.rubricFile,
    rubric,
    subjects,
    cases,
    allowlist: input.allowlist,
    files: input.files,
  };
  return { project, problems };
}

function pick({ ids, problems, counts }: CaseResolver) {
  return { ids, problems, counts };
}

function withCounts<T extends { cases: ProjectCase[] }>(resolved: T): T & { counts: Map<string, number> } {
  const counts = new Map<string, number>();
  for (const c of resolved.cases) counts.set(c.subject, (counts.get(c.subject) ?? 0) + 1);
  return { ...resolved, counts };
}
