import { execFile } from 'node:child_process';
import { QualifyError } from '../errors.js';

/** Runs git with these arguments in the command's directory; resolves to stdout. */
export type Git = (args: string[]) => Promise<string>;

/** Runs git with these arguments in `cwd`; resolves to stdout. Injectable for tests (the plugin's `git` option). */
export type GitRunner = (args: string[], cwd: string) => Promise<string>;

/** What git runs with: the directory and the environment (never `process.env` implicitly). */
export interface GitPlace {
  cwd: string;
  env: Record<string, string | undefined>;
}

/**
 * The most stdout one git call may return (one limit for every call). The largest
 * read is `git show <ref>:eval/baseline.json`: about 2 KB a case (this repository's
 * is 97 KB for 49 cases), so 256 MiB holds a baseline of 100,000 cases; a read past
 * it is a runaway, stopped before it exhausts memory.
 */
const MAX_STDOUT = 256 * 1024 * 1024;

/** git exited non-zero; `stderr` holds what it said. */
export class GitError extends QualifyError {
  readonly stderr: string;
  readonly exitCode: number | undefined;

  constructor(args: string[], stderr: string, exitCode: number | undefined) {
    const said = stderr.trim().split('\n')[0] ?? '';
    super('E_GIT', `git ${args.join(' ')} failed${said ? `: ${said}` : ''}`);
    this.stderr = stderr;
    this.exitCode = exitCode;
  }
}

/**
 * Run git once; the one place the package starts git. Rejects with a `GitError`
 * (exit code and stderr), or `E_GIT_MISSING` when git is not on PATH.
 *
 * @example
 * const head = (await runGit(['rev-parse', 'HEAD'], { cwd, env })).trim()
 */
export function runGit(args: string[], place: GitPlace): Promise<string> {
  const env = Object.fromEntries(
    Object.entries(place.env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      { cwd: place.cwd, env, encoding: 'utf8', maxBuffer: MAX_STDOUT },
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          return reject(
            new QualifyError('E_GIT_MISSING', 'git is not installed or not on PATH: install git'),
          );
        }
        const code = typeof error.code === 'number' ? error.code : undefined;
        reject(new GitError(args, stderr, code));
      },
    );
  });
}

/**
 * A `Git` runner for `io.cwd` with `io.env`.
 *
 * @example
 * const git = gitIn(io)
 * const branch = (await git(['rev-parse', '--abbrev-ref', 'HEAD'])).trim()
 */
export function gitIn(io: GitPlace): Git {
  return (args) => runGit(args, io);
}

/**
 * A `GitRunner` (the directory given per call) with this environment.
 *
 * @example
 * const git = gitRunner(env)
 * await git(['rev-parse', '--show-toplevel'], root)
 */
export function gitRunner(env: Record<string, string | undefined>): GitRunner {
  return (args, cwd) => runGit(args, { cwd, env });
}

/**
 * A git config value, or `undefined` when it is not set.
 *
 * @example
 * await gitConfig(git, 'user.email') // 'dana@example.com'
 */
export async function gitConfig(git: Git, key: string): Promise<string | undefined> {
  try {
    const value = (await git(['config', '--get', key])).trim();
    return value === '' ? undefined : value;
  } catch (error) {
    if (error instanceof GitError && error.exitCode === 1) return undefined;
    throw error;
  }
}
