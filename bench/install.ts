/**
 * The plugin as users run it: the package built from src/ (tsc, as `npm run
 * build` does) and installed under a `node_modules` folder in a temporary
 * directory, next to symlinks to the repo's dependencies. Vitest then loads it
 * like any installed package (natively, not through Vite's transform), which
 * starts measurably faster than the plugin's TypeScript sources.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO, type PluginSource } from './fixture.js';

const TSC = path.join(REPO, 'node_modules/typescript/bin/tsc');

/** An installed build; remove it when done. */
export interface Installed extends AsyncDisposable {
  source: PluginSource;
}

/**
 * Build the package into a temporary `node_modules/vitest-qualify` and link the
 * repo's dependencies beside it. A type error elsewhere in src/ (another change
 * in progress) does not stop the build, as long as tsc emitted the entry point.
 *
 * @example
 * await using installed = await installBuild()
 * await benchProject(files, installed.source)
 */
export async function installBuild(): Promise<Installed> {
  const root = await mkdtemp(path.join(tmpdir(), 'qualify-bench-'));
  const modules = path.join(root, 'node_modules');
  const pkg = path.join(modules, 'vitest-qualify');
  const dist = path.join(pkg, 'dist');
  await mkdir(pkg, { recursive: true });
  const built = await new Promise<string>((resolve) => {
    const args = [
      '-p',
      'tsconfig.build.json',
      '--outDir',
      dist,
      '--declaration',
      'false',
      '--sourceMap',
      'false',
    ];
    execFile(process.execPath, [TSC, ...args], { cwd: REPO, maxBuffer: 16 * 1024 * 1024 }, (error, stdout) =>
      resolve(error ? stdout : ''),
    );
  });
  if (!existsSync(path.join(dist, 'index.js'))) {
    await rm(root, { recursive: true, force: true });
    throw new Error(`the package did not build:\n${built.slice(0, 3000)}`);
  }
  const manifest = JSON.parse(await readFile(path.join(REPO, 'package.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  const { name, version, type, exports } = manifest;
  await writeFile(path.join(pkg, 'package.json'), JSON.stringify({ name, version, type, exports }, null, 2));
  for (const entry of await readdir(path.join(REPO, 'node_modules'))) {
    if (entry === 'vitest-qualify' || entry.startsWith('.package-lock')) continue;
    await symlink(path.join(REPO, 'node_modules', entry), path.join(modules, entry));
  }
  return {
    source: { kind: 'installed', root },
    async [Symbol.asyncDispose]() {
      await rm(root, { recursive: true, force: true });
    },
  };
}
