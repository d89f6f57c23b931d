import { execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A scratch folder removed when the `await using` scope ends. */
export interface Scratch extends AsyncDisposable {
  dir: string;
  /** Write a file (parents created) and return its absolute path. */
  write(relative: string, content: string): Promise<string>;
  path(relative: string): string;
}

export async function scratch(prefix = 'qualify-'): Promise<Scratch> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  return {
    dir,
    path: (relative) => path.join(dir, relative),
    async write(relative, content) {
      const file = path.join(dir, relative);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, content);
      return file;
    },
    async [Symbol.asyncDispose]() {
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Run git in `cwd` with a fixed identity; returns stdout. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Test Author',
      GIT_AUTHOR_EMAIL: 'author@example.com',
      GIT_COMMITTER_NAME: 'Test Author',
      GIT_COMMITTER_EMAIL: 'author@example.com',
    },
  });
}
