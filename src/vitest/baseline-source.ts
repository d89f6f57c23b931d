import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { gitRunner, type GitRunner } from '../internal/git.js';
import { fromBaselineText, type BaselineText, type LoadedBaseline } from '../scorecard/baseline.js';

/**
 * The git ref to read the baseline from: `QUALIFY_BASELINE_REF`, else
 * `origin/$GITHUB_BASE_REF` in a pull-request run, else none (read the file).
 */
export function baselineRef(env: Record<string, string | undefined>): string | undefined {
  if (env['QUALIFY_BASELINE_REF']) return env['QUALIFY_BASELINE_REF'];
  if (env['GITHUB_BASE_REF']) return `origin/${env['GITHUB_BASE_REF']}`;
  return undefined;
}

/** Where the baseline file is (relative to `cwd`), the environment that picks the ref, and git (for tests). */
export interface LoadBaselineOptions {
  cwd: string;
  file: string;
  env: Record<string, string | undefined>;
  git?: GitRunner;
}

/**
 * Read the baseline scorecard (docs/architecture.md 2.8). With a ref it comes from
 * `git show <ref>:<path>`, never from the working tree, so a PR cannot hide a
 * regression by editing it; a ref that cannot be read is an error, not a
 * fallback to the PR head's file. Without a ref, the file is read. A baseline
 * missing at the ref or on disk is `null`: every case is then `new`. Parsing
 * and checking the text is `scorecard/baseline.ts`'s (pure).
 *
 * @example
 * const { baseline, source } = await loadBaseline({ cwd, file: 'eval/baseline.json', env: process.env })
 */
export async function loadBaseline(options: LoadBaselineOptions): Promise<LoadedBaseline> {
  return fromBaselineText(await readBaselineText(options));
}

async function readBaselineText(options: LoadBaselineOptions): Promise<BaselineText> {
  const git = options.git ?? gitRunner(options.env);
  const absolute = path.resolve(options.cwd, options.file);
  const ref = baselineRef(options.env);
  if (ref === undefined) {
    try {
      const text = await readFile(absolute, 'utf8');
      return { text, source: { kind: 'file', path: options.file }, label: options.file };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return {
          text: null,
          source: { kind: 'none', path: options.file, note: 'no baseline file' },
          label: options.file,
        };
      }
      throw new ConfigError({ file: options.file }, `cannot read the baseline: ${(error as Error).message}`);
    }
  }

  const root = (await git(['rev-parse', '--show-toplevel'], options.cwd).catch(() => '')).trim();
  if (!root) {
    throw new ConfigError(
      { file: options.file },
      `the baseline is to be read from git ref ${ref}, but ${options.cwd} is not in a git repository`,
    );
  }
  try {
    await git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], options.cwd);
  } catch {
    throw new ConfigError(
      { file: options.file },
      `the baseline ref ${ref} does not exist here: fetch it (actions/checkout with fetch-depth: 0, or git fetch origin ${ref.replace(/^origin\//, '')}) or set QUALIFY_BASELINE_REF`,
    );
  }
  const inRepo = path.relative(root, absolute).split(path.sep).join('/');
  const label = `${ref}:${inRepo}`;
  try {
    const text = await git(['show', label], options.cwd);
    return { text, source: { kind: 'git', ref, path: options.file }, label };
  } catch {
    return {
      text: null,
      source: { kind: 'none', ref, path: options.file, note: `no ${inRepo} at ${ref}` },
      label,
    };
  }
}
