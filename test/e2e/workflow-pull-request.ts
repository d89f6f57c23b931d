/**
 * A pull request as a runner checks it out: an `origin` repository holding this
 * working tree on `main` and a PR branch, and a full clone of it (fetch-depth
 * 0) at the merge commit GitHub builds (`refs/pull/<n>/merge`).
 */
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { glob } from 'tinyglobby';
import { git } from '../helpers/scratch.js';

/** The release a model PR's commit names (`qualify check-pr` wants a date and an https:// link). */
const RELEASE_NOTE = 'Released 2026-11-20: https://www.anthropic.com/news/claude-opus-4-7';

/** The checked-out PR. */
export interface PullRequestCheckout {
  workspace: string;
  /** The PR branch's last commit. */
  headSha: string;
  /** The merge commit the workspace is at. */
  mergeSha: string;
}

/**
 * The files git would commit from `source`: tracked and untracked, not ignored. CI runs on an export of
 * the repository with no `.git`, so without one the top-level `.gitignore` is applied by a glob instead.
 */
async function committableFiles(source: string): Promise<string[]> {
  try {
    return execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
      cwd: source,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .split('\0')
      .filter(Boolean);
  } catch {
    const ignored = (await readFile(path.join(source, '.gitignore'), 'utf8').catch(() => ''))
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'))
      .map((line) => {
        const anchored = line.includes('/') && line.indexOf('/') < line.length - 1;
        const pattern = line.endsWith('/') ? `${line}**` : line;
        return anchored || pattern.startsWith('**/') ? pattern.replace(/^\//, '') : `**/${pattern}`;
      });
    return glob('**', { cwd: source, dot: true, ignore: ['**/.git/**', ...ignored] });
  }
}

/** Copy the files git would commit from `source` to `target`. */
async function copyWorkingTree(source: string, target: string): Promise<void> {
  for (const file of await committableFiles(source)) {
    await mkdir(path.dirname(path.join(target, file)), { recursive: true });
    await copyFile(path.join(source, file), path.join(target, file)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error; // deleted in the working tree but still in the index
    });
  }
}

/**
 * Build the repositories under `dir` and return the workspace at the merge commit.
 *
 * @example
 * const pr = await checkoutPullRequest({ source: process.cwd(), dir, branch: 'model/x', change: async (d) => {...} })
 */
export async function checkoutPullRequest(options: {
  source: string;
  dir: string;
  branch: string;
  change: (dir: string) => Promise<void>;
}): Promise<PullRequestCheckout> {
  const origin = path.join(options.dir, 'origin');
  await mkdir(origin, { recursive: true });
  git(origin, 'init', '--quiet', '--initial-branch=main');
  await copyWorkingTree(options.source, origin);
  git(origin, 'add', '--all');
  git(origin, 'commit', '--quiet', '--message', 'The support agent and its qualification');
  git(origin, 'switch', '--quiet', '--create', options.branch);
  await options.change(origin);
  git(
    origin,
    'commit',
    '--quiet',
    '--all',
    '--message',
    `Qualify on ${options.branch}`,
    '--message',
    RELEASE_NOTE,
  );
  const headSha = git(origin, 'rev-parse', 'HEAD').trim();
  git(origin, 'switch', '--quiet', 'main');

  const workspace = path.join(options.dir, 'workspace');
  git(options.dir, 'clone', '--quiet', origin, workspace);
  git(workspace, 'checkout', '--quiet', '--detach', 'origin/main');
  git(workspace, 'merge', '--quiet', '--no-ff', '--no-edit', `origin/${options.branch}`);
  return { workspace, headSha, mergeSha: git(workspace, 'rev-parse', 'HEAD').trim() };
}
