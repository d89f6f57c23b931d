/**
 * The shape every `qualify` subcommand has. Options are declared once, in the
 * command's table: `--help`, argument parsing and the README reference are all
 * generated from it.
 */

/** What the world provides to a command; pass fakes in tests. */
export interface CommandIO {
  cwd: string;
  env: Record<string, string | undefined>;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  fetch: typeof globalThis.fetch;
  /** Wall clock; `() => new Date()` in production. */
  now: () => Date;
  /** Whether stdin is a TTY (init asks nothing when not). */
  isTTY: boolean;
  /**
   * Ask the person at the terminal one question and return the answer (empty for
   * the default). Only called when `isTTY`; absent means "never ask".
   */
  ask?: ((question: string) => Promise<string>) | undefined;
  /**
   * Ends a command that runs until stopped (`qualify demo --serve`). Absent in `bin/qualify.js`:
   * there Ctrl-C ends the process.
   */
  signal?: AbortSignal | undefined;
}

/** Exit codes: 0 ok, 1 the check said no, 2 usage or config error. */
export const EXIT = { ok: 0, no: 1, usage: 2 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export interface OptionSpec {
  type: 'string' | 'boolean';
  /** One line for --help and the README. */
  description: string;
  short?: string;
  /** Shown in help; applied when absent. */
  default?: string | boolean;
  /** Placeholder in help, e.g. `<ref>`. */
  value?: string;
  multiple?: boolean;
}

export interface PositionalSpec {
  name: string;
  description: string;
  required: boolean;
}

export type ParsedOptions = Record<string, string | boolean | string[] | undefined>;

export interface CommandSpec {
  name: string;
  /** One line: what the command does. */
  summary: string;
  /** A paragraph for --help and the README. */
  description: string;
  positionals: PositionalSpec[];
  options: Record<string, OptionSpec>;
  examples: string[];
  run(args: { positionals: string[]; options: ParsedOptions }, io: CommandIO): Promise<ExitCode>;
}
