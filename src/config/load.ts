import { existsSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { glob } from 'tinyglobby';
import { readAllowlistEntries, type LoadedAllowlistEntry } from './allowlist-file.js';
import { readCases, type LoadedCase } from './case-file.js';
import { formatPath } from '../internal/data-path.js';
import { safeParseWithSchema } from './parse.js';
import {
  ConfigValidationError,
  problemAt,
  sortProblems,
  throwIfProblems,
  type ConfigProblem,
} from './problems.js';
import { CaseResolver } from './project-cases.js';
import {
  assembleProject,
  subjectKeyPath,
  type CaseFileRecord,
  type Project,
  type ProjectCase,
} from './project.js';
import { readConfigText } from './read-file.js';
import { RubricSchema, type Rubric } from './schema/rubric.js';
import { locationIn, parseYaml, type YamlSource } from './yaml-source.js';

const RUBRIC_HINT = 'create it (`npx qualify init` writes one) or pass the path of your rubric';
const CASES_HINT = 'fix the path, or create the file with a `cases:` list';

/**
 * Load and validate `rubric.yaml`, every default applied.
 * Throws a `ConfigError` (a `ConfigValidationError` with all `problems`) whose
 * message names `file:line:col`, the key, what was expected and what was found.
 *
 * @example
 * const rubric = await loadRubric('rubric.yaml')
 * rubric.subjects.agent.thresholds.max_per_case_regression // 3
 */
export async function loadRubric(file: string): Promise<Rubric> {
  return (await readRubric(resolve(file), file)).rubric;
}

/**
 * Load and validate one case file (`{ cases: [...] }`). Each case carries its
 * `source` (file as given, line, col). `javascript:` check modules must exist,
 * relative to `root` (default: the current directory).
 *
 * @example
 * const cases = await loadCaseFile('eval/cases.yaml')
 * cases[0].source // { file: 'eval/cases.yaml', line: 2, col: 5 }
 */
export async function loadCaseFile(file: string, options?: { root?: string }): Promise<LoadedCase[]> {
  const root = resolve(options?.root ?? process.cwd());
  const source = await readYaml(resolve(root, file), file, CASES_HINT);
  const { cases, problems } = readCases(source, { root, moduleExists: existsSync });
  throwIfProblems(problems);
  return cases;
}

/**
 * Load and validate the allowlist. A missing or empty file is an empty list.
 *
 * @example
 * const entries = await loadAllowlist('eval/allowlist.yaml') // [] when absent
 */
export async function loadAllowlist(file: string): Promise<LoadedAllowlistEntry[]> {
  const source = await readYaml(resolve(file), file, '', { optional: true });
  if (!source) return [];
  const { entries, problems } = readAllowlistEntries(source);
  throwIfProblems(problems);
  return entries;
}

/**
 * Load the rubric, every subject's case files and the allowlist from `cwd`, and
 * check them against each other (case subjects, duplicate ids across files,
 * subjects without cases, allowlist entries). Every problem found is reported
 * in one `ConfigValidationError`; paths in messages are relative to `cwd`.
 *
 * @example
 * const project = await loadProject({ cwd: process.cwd() })
 * for (const subject of project.subjects) console.log(subject.name, subject.cases.length)
 */
export async function loadProject(options: {
  cwd: string;
  rubricPath?: string;
  /**
   * Hands over each case file's resolved cases as it is read, and keeps none of them in the
   * project (`cases` and each subject's `cases` are then empty): for a caller that keeps them its own,
   * compact way, with the text it was read from. The project's problems are still all thrown at the end.
   */
  onCaseFile?: (file: string, cases: ProjectCase[], text: string) => void;
}): Promise<Project> {
  const root = resolve(options.cwd);
  const label = (path: string) => relative(root, path).split(sep).join('/') || path;
  const rubricFile = resolve(root, options.rubricPath ?? 'rubric.yaml');
  const { rubric, source: rubricSource } = await readRubric(rubricFile, label(rubricFile));
  const problems: ConfigProblem[] = [];

  const { subjectFiles, entries } = await resolveSubjects(rubric, rubricSource, root, problems);
  const ordered = [...new Set([...subjectFiles.values()].flat())];
  const resolver = new CaseResolver({ rubric, rubricSource, subjectFiles });
  const cases: ProjectCase[] = [];
  const take =
    options.onCaseFile ??
    ((_file: string, resolved: ProjectCase[]) => {
      for (const c of resolved) cases.push(c);
    });
  const caseFiles = await readCaseFiles(ordered, root, label, problems, resolver, take);

  const allowlistFile = resolve(root, rubric.allowlist);
  const allowlistSource = await readYaml(allowlistFile, label(allowlistFile), '', { optional: true });
  const allowlist = allowlistSource ? readAllowlistEntries(allowlistSource) : { entries: [], problems: [] };

  const assembled = assembleProject({
    root,
    rubricFile,
    rubric,
    rubricSource,
    subjectFiles,
    entries,
    caseFiles,
    resolved: { resolver, cases },
    allowlist: allowlist.entries,
    allowlistSource,
    files: {
      baseline: resolve(root, rubric.baseline),
      allowlist: allowlistFile,
      scorecardJson: resolve(root, rubric.scorecard.json),
      scorecardMarkdown: resolve(root, rubric.scorecard.markdown),
      cacheDir: resolve(root, rubric.cache.dir),
    },
  });
  const fileOrder = [rubricSource.label, ...ordered.map(label), label(allowlistFile)];
  throwIfProblems([...problems, ...assembled.problems, ...allowlist.problems], fileOrder);
  return assembled.project;
}

/**
 * Each subject's case files (its globs matched, in order) and agent entry, resolved
 * from `root`; a glob that matches nothing or an entry that does not exist is a problem.
 */
async function resolveSubjects(
  rubric: Rubric,
  rubricSource: YamlSource,
  root: string,
  problems: ConfigProblem[],
): Promise<{ subjectFiles: Map<string, string[]>; entries: Map<string, string | undefined> }> {
  const subjectFiles = new Map<string, string[]>();
  const entries = new Map<string, string | undefined>();
  for (const [name, subject] of Object.entries(rubric.subjects)) {
    const files = new Set<string>();
    const casesPath = subjectKeyPath(rubricSource, name, 'cases');
    for (const [index, pattern] of subject.cases.entries()) {
      const matched = await glob(pattern, {
        cwd: root,
        absolute: true,
        onlyFiles: true,
        expandDirectories: false,
      });
      if (matched.length === 0) {
        problems.push(
          problemAt(
            locationIn(rubricSource, [...casesPath, index]),
            `${formatPath(casesPath)} has ${JSON.stringify(pattern)}, which matches no file; ` +
              'fix the path or glob, or create the file',
          ),
        );
      }
      for (const file of matched.map((f) => resolve(f)).sort()) files.add(file);
    }
    subjectFiles.set(name, [...files]);
    const entry = subject.entry === undefined ? undefined : resolve(root, subject.entry);
    if (entry !== undefined && !existsSync(entry)) {
      const entryPath = subjectKeyPath(rubricSource, name, 'entry');
      problems.push(
        problemAt(
          locationIn(rubricSource, entryPath),
          `${formatPath(entryPath)} names ${subject.entry}, which does not exist; fix the path (relative to the repository root)`,
        ),
      );
    }
    entries.set(name, entry);
  }
  return { subjectFiles, entries };
}

/**
 * Every case file read once and resolved at once, one file at a time: a file's
 * YAML tree is let go before the next is parsed, so a day of imported traffic is
 * never held as parsed documents. The next file's text is read while one is parsed.
 */
async function readCaseFiles(
  ordered: readonly string[],
  root: string,
  label: (path: string) => string,
  problems: ConfigProblem[],
  resolver: CaseResolver,
  take: (file: string, cases: ProjectCase[], text: string) => void,
): Promise<Map<string, CaseFileRecord>> {
  const caseFiles = new Map<string, CaseFileRecord>();
  const read = (file: string | undefined) =>
    file === undefined ? undefined : readConfigText(file, label(file), { hint: CASES_HINT });
  let next = read(ordered[0]);
  for (let i = 0; i < ordered.length; i++) {
    const file = ordered[i]!;
    const text = await next;
    next = read(ordered[i + 1]);
    const parsed = parseYaml(text ?? '', label(file));
    problems.push(...parsed.problems);
    if (!parsed.source) continue;
    const loaded = readCases(parsed.source, { root, moduleExists: existsSync });
    problems.push(...loaded.problems);
    take(file, resolver.resolve(file, parsed.source, loaded.cases), text ?? '');
    caseFiles.set(file, { file, cases: [], complete: loaded.problems.length === 0 });
  }
  return caseFiles;
}

async function readRubric(path: string, label: string): Promise<{ rubric: Rubric; source: YamlSource }> {
  const source = await readYaml(path, label, RUBRIC_HINT);
  const result = safeParseWithSchema(RubricSchema, source.data ?? {}, source);
  if (!result.ok) throw new ConfigValidationError(sortProblems(result.problems));
  return { rubric: result.data, source };
}

async function readYaml(path: string, label: string, hint: string): Promise<YamlSource>;
async function readYaml(
  path: string,
  label: string,
  hint: string,
  options: { optional: true },
): Promise<YamlSource | undefined>;
async function readYaml(
  path: string,
  label: string,
  hint: string,
  options?: { optional: true },
): Promise<YamlSource | undefined> {
  const text = await readConfigText(path, label, { hint, optional: options?.optional ?? false });
  if (text === undefined) return undefined;
  const parsed = parseYaml(text, label);
  if (!parsed.source) throw new ConfigValidationError(parsed.problems);
  return parsed.source;
}
