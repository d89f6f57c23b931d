import { execFile } from 'node:child_process';
import { QualifyError } from '../errors.js';
import type { CommandIO } from '../cli/command.js';

/** Runs git with these arguments in the command's directory; resolves to stdout. */
export type Git = (args: string[]) => Promise<string>;

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
 * A `Git` runner for `io.cwd` with `io.env` (never `process.env`).
 *
 * @example
 * const git = gitIn(io)
 * const branch = (await git(['rev-parse', '--abbrev-ref', 'HEAD'])).trim()
 */
export function gitIn(io: Pick<CommandIO, 'cwd' | 'env'>): Git {
  const env = Object.fromEntries(
    Object.entries(io.env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  return (args) =>
    new Promise((resolve, reject) => {
      execFile(
        'git',
        args,
        { cwd: io.cwd, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
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
