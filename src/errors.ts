/**
 * The one error base of vitest-qualify. Every error a user can act on carries a
 * stable `code` and a message that says what to do.
 *
 * @example
 * try { await loadRubric('rubric.yaml') } catch (e) { if (isQualifyError(e)) console.error(e.message) }
 */
export class QualifyError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Where in a user's file a problem is. Lines and columns are 1-based. */
export interface SourceLocation {
  file: string;
  line?: number | undefined;
  col?: number | undefined;
}

/**
 * A problem with a file the user wrote (rubric.yaml, a case file, the allowlist,
 * a cassette). The message is one line: `file:line:col: what is wrong; what to do`.
 */
export class ConfigError extends QualifyError {
  readonly file: string;
  readonly line: number | undefined;
  readonly col: number | undefined;
  readonly key: string | undefined;

  constructor(
    location: SourceLocation & { key?: string | undefined },
    problem: string,
    options?: { cause?: unknown; code?: string },
  ) {
    const where = [location.file, location.line, location.line === undefined ? undefined : location.col]
      .filter((part) => part !== undefined)
      .join(':');
    super(options?.code ?? 'E_CONFIG', `${where}: ${problem}`, options);
    this.file = location.file;
    this.line = location.line;
    this.col = location.col;
    this.key = location.key;
  }
}

/**
 * Several problems found at once, none of them in a file: one line each
 * (`problemLines` prints them one per line).
 *
 * @example
 * throw new ProblemListError('E_PROVIDER_SETUP', ['openai (judge openai:gpt-4.1) at ... has no API key: ...'])
 */
export class ProblemListError extends QualifyError {
  readonly lines: readonly string[];

  constructor(code: string, lines: readonly string[], options?: { cause?: unknown }) {
    super(code, lines.join('\n'), options);
    this.lines = lines;
  }
}

/** Bad command-line arguments or environment: exit code 2. */
export class UsageError extends QualifyError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('E_USAGE', message, options);
  }
}

export function isQualifyError(error: unknown): error is QualifyError {
  return error instanceof QualifyError;
}
