/**
 * actions/upload-artifact@v4 and actions/download-artifact@v4 for the workflow runner stand-in
 * (workflow-runner.ts): artifacts are folders under one directory, laid out as the actions lay them
 * out. Upload: the paths (one a line) relative to the workspace, stored relative to their least
 * common ancestor (a lone directory's contents at the root), hidden files left out unless
 * `include-hidden-files`, a second upload under one name refused (v4 does). Download: by `name`
 * into `path`, or by `pattern`, each artifact in its own folder unless `merge-multiple`.
 */
import { cp, mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import picomatch from 'picomatch';
import type { Step } from '../unit/workflows/workflows.js';

/** Artifacts kept for one workflow run. */
export interface ArtifactStore {
  /** Run an upload-artifact step in `cwd`; resolves with its exit code. */
  upload(step: Step, cwd: string): Promise<number>;
  /** Run a download-artifact step in `cwd`; resolves with its exit code. */
  download(step: Step, cwd: string): Promise<number>;
  /** The names uploaded so far, in order. */
  names(): string[];
  /** The folder holding one artifact's files. */
  dir(name: string): string;
}

function leastCommonAncestor(dirs: readonly string[]): string {
  const split = dirs.map((d) => d.split(path.sep));
  const common: string[] = [];
  for (let i = 0; split.every((parts) => i < parts.length && parts[i] === split[0]![i]); i++) {
    common.push(split[0]![i]!);
  }
  return common.join(path.sep) || path.sep;
}

/**
 * A store in `root` (an empty or missing directory).
 *
 * @example
 * const artifacts = artifactStore(dir.path('artifacts'))
 * const uses = (step) => step.uses === 'actions/upload-artifact@v4' ? artifacts.upload(step, cwd) : ...
 */
export function artifactStore(root: string): ArtifactStore {
  const uploaded: string[] = [];
  return {
    names: () => [...uploaded],
    dir: (name) => path.join(root, name),
    async upload(step, cwd) {
      const name = String(step.with?.['name'] ?? 'artifact');
      if (uploaded.includes(name)) return 1;
      const hidden = step.with?.['include-hidden-files'] === true;
      const missing = String(step.with?.['if-no-files-found'] ?? 'warn');
      const paths = String(step.with?.['path'] ?? '')
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean)
        .map((p) => path.resolve(cwd, p));
      const found: { file: string; dir: boolean }[] = [];
      for (const file of paths) {
        const info = await stat(file).catch(() => undefined);
        if (info) found.push({ file, dir: info.isDirectory() });
      }
      if (found.length === 0) return missing === 'error' ? 1 : 0;
      const base = leastCommonAncestor(found.map((f) => (f.dir ? f.file : path.dirname(f.file))));
      const target = path.join(root, name);
      for (const { file } of found) {
        await cp(file, path.join(target, path.relative(base, file)), {
          recursive: true,
          filter: (source) =>
            hidden ||
            path
              .relative(cwd, source)
              .split(path.sep)
              .every((part) => !part.startsWith('.')),
        });
      }
      await mkdir(target, { recursive: true });
      uploaded.push(name);
      return 0;
    },
    async download(step, cwd) {
      const into = path.resolve(cwd, String(step.with?.['path'] ?? '.'));
      const name = step.with?.['name'];
      if (name !== undefined) {
        if (!uploaded.includes(String(name))) return 1;
        await cp(path.join(root, String(name)), into, { recursive: true });
        return 0;
      }
      const matches = picomatch(String(step.with?.['pattern'] ?? '*'));
      const merge = step.with?.['merge-multiple'] === true;
      for (const found of (await readdir(root).catch(() => [] as string[])).filter((n) => matches(n))) {
        await cp(path.join(root, found), merge ? into : path.join(into, found), { recursive: true });
      }
      return 0;
    },
  };
}
