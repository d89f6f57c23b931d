import { ConfigError, ProblemListError, type SourceLocation } from '../errors.js';

/**
 * One thing wrong with a config file, with where it is.
 *
 * @example
 * for (const p of error.problems) console.error(`::error file=${p.file},line=${p.line},col=${p.col}::${p.problem}`)
 */
export interface ConfigProblem extends SourceLocation {
  /** Stable code: `E_CONFIG` (shape), `E_CONFIG_YAML` (syntax), `E_CONFIG_READ` (file). */
  code: string;
  /** The key path, e.g. `thresholds.rubric_min_score`, when the problem is about one key. */
  key?: string | undefined;
  /** What is wrong and what to do, without the location. */
  problem: string;
  /** The full one-line message: `file:line:col: problem`. */
  message: string;
}

/**
 * Build a problem at a location.
 *
 * @example
 * problemAt({ file: 'rubric.yaml', line: 3, col: 1 }, 'judge is required; expected a string')
 * // { ..., message: 'rubric.yaml:3:1: judge is required; expected a string' }
 */
export function problemAt(
  location: SourceLocation & { key?: string | undefined },
  problem: string,
  code = 'E_CONFIG',
): ConfigProblem {
  const where = [location.file, location.line, location.line === undefined ? undefined : location.col]
    .filter((part) => part !== undefined)
    .join(':');
  return {
    file: location.file,
    line: location.line,
    col: location.col,
    key: location.key,
    code,
    problem,
    message: `${where}: ${problem}`,
  };
}

/**
 * Every problem found in one load, as one `ConfigError`. The message names the
 * first problem and how many more there are (`(+2 more)`); `problems` holds them all.
 *
 * @example
 * catch (e) { if (e instanceof ConfigValidationError) for (const p of e.problems) console.error(p.message) }
 */
export class ConfigValidationError extends ConfigError {
  readonly problems: readonly ConfigProblem[];
  /** The problem the message names: the first, or the typo that explains it. */
  readonly headline: ConfigProblem;

  constructor(problems: readonly ConfigProblem[]) {
    const first = problems[0];
    if (!first) throw new TypeError('ConfigValidationError needs at least one problem');
    const headline = typoBehind(first, problems) ?? first;
    const more = problems.length > 1 ? ` (+${problems.length - 1} more)` : '';
    super(headline, `${headline.problem}${more}`, { code: headline.code });
    this.problems = problems;
    this.headline = headline;
  }
}

const TYPO = / is not a known key; did you mean ([^\s?]+)\?$/;

/**
 * The misspelled key that explains `first`, if any: `modle_primary` (did you
 * mean model_primary?) behind "model_primary is required", or `inputs` (did you
 * mean input?) behind "cases[0] needs exactly one of input or messages". The
 * typo is what the user has to fix, so the one-line message names it.
 */
function typoBehind(first: ConfigProblem, problems: readonly ConfigProblem[]): ConfigProblem | undefined {
  if (first.key === undefined || TYPO.test(first.problem)) return undefined;
  const key = first.key;
  return problems.find((p) => {
    const suggestion = TYPO.exec(p.problem)?.[1];
    if (p.file !== first.file || p.key === undefined || suggestion === undefined) return false;
    const parent = parentKey(p.key);
    return parent === key || (parent === '' ? suggestion : `${parent}.${suggestion}`) === key;
  });
}

/** `cases[0].inputs` -> `cases[0]`, `model_primary` -> ``. */
function parentKey(key: string): string {
  return key.replace(/(?:^|\.)[^.[\]]+$|\[[^\]]*\]$/, '');
}

/**
 * The lines a user reads for a config error: one per problem, the headline
 * first (the typo to fix, when one explains the rest), then the others in file
 * order. A `ProblemListError` is its lines; any other error is its message, one line.
 *
 * @example
 * for (const line of problemLines(error)) process.stderr.write(`vitest-qualify: ${line}\n`)
 */
export function problemLines(error: Error): string[] {
  if (error instanceof ProblemListError) return error.lines.map(oneLine);
  if (!(error instanceof ConfigValidationError)) return [oneLine(error.message)];
  const { headline, problems } = error;
  return [headline, ...problems.filter((p) => p !== headline)].map((p) => oneLine(p.message));
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/**
 * Throw a `ConfigValidationError` when there are problems, sorted by `sortProblems`.
 *
 * @example
 * throwIfProblems([...rubricProblems, ...caseProblems])
 */
export function throwIfProblems(problems: readonly ConfigProblem[], fileOrder: readonly string[] = []): void {
  if (problems.length === 0) return;
  throw new ConfigValidationError(sortProblems(problems, fileOrder));
}

/**
 * Problems grouped by file (the files of `fileOrder` first, then others in
 * first-seen order), each file's in line and column order. The sort is stable,
 * so problems at one position keep the order they were found in.
 *
 * @example
 * sortProblems(problems, ['rubric.yaml']) // rubric problems first
 */
export function sortProblems(
  problems: readonly ConfigProblem[],
  fileOrder: readonly string[] = [],
): ConfigProblem[] {
  const order = new Map<string, number>(fileOrder.map((file, i) => [file, i]));
  for (const p of problems) if (!order.has(p.file)) order.set(p.file, order.size);
  return [...problems].sort(
    (a, b) =>
      order.get(a.file)! - order.get(b.file)! || (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0),
  );
}
