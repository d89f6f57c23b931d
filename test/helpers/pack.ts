/**
 * The package as `npm pack` makes it (its `prepack` builds dist/), made once
 * for every test that needs it: the consumer suite installs the tarball, the
 * pack test reads its file list. The build writes into the repository's dist/,
 * so two packs at once would race (each empties dist/ first): packing holds a
 * lock across processes, and a tarball is reused while the files it is built
 * from are unchanged (keyed by a hash of them).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO } from '../e2e/harness.js';

const run = promisify(execFile);

/** What went into the package: the inputs of the build and of `files`. */
const INPUTS = [
  'package.json',
  'README.md',
  'LICENSE',
  'tsconfig.json',
  'tsconfig.build.json',
  'scripts/post-build.mjs',
  'src',
  'bin',
  'schemas',
  'docs',
];

/** A packed package. */
export interface Packed {
  /** The tarball, as `npm pack` wrote it. */
  tarball: string;
  /** The tarball unpacked: the folder `package/` of the archive. */
  dir: string;
  name: string;
  version: string;
  /** Paths inside the package, as `npm pack --json` lists them. */
  files: string[];
}

let packed: Promise<Packed> | undefined;

/**
 * The package packed from the working tree (once per process; across
 * processes, once per content).
 *
 * @example
 * const { tarball, files } = await packPackage()
 */
export function packPackage(): Promise<Packed> {
  packed ??= packOnce();
  return packed;
}

async function packOnce(): Promise<Packed> {
  const cache = path.join(REPO, 'node_modules/.cache/qualify-pack');
  const out = path.join(cache, await inputHash());
  const manifest = path.join(out, 'pack.json');
  await mkdir(cache, { recursive: true });
  await withLock(path.join(cache, 'lock'), async () => {
    if (existsSync(manifest)) return;
    await rm(out, { recursive: true, force: true });
    await mkdir(out, { recursive: true });
    // With --json, npm prints the prepack script's output on stderr: stdout is the JSON alone.
    const { stdout } = await run('npm', ['pack', '--json', '--loglevel=error', '--pack-destination', out], {
      cwd: REPO,
      maxBuffer: 64 << 20,
      env: Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('npm_'))),
    });
    const [tarball] = (await readdir(out)).filter((f) => f.endsWith('.tgz'));
    if (!tarball) throw new Error(`npm pack wrote no tarball into ${out}`);
    await run('tar', ['-xzf', tarball], { cwd: out });
    await writeFile(manifest, stdout);
  });
  const [result] = JSON.parse(await readFile(manifest, 'utf8')) as [
    { name: string; version: string; filename: string; files: { path: string }[] },
  ];
  return {
    tarball: path.join(out, result.filename),
    dir: path.join(out, 'package'),
    name: result.name,
    version: result.version,
    files: result.files.map((f) => f.path),
  };
}

async function inputHash(): Promise<string> {
  const hash = createHash('sha256');
  const walk = async (relative: string): Promise<void> => {
    const file = path.join(REPO, relative);
    if (!existsSync(file)) return;
    if ((await stat(file)).isDirectory()) {
      for (const entry of (await readdir(file)).sort()) await walk(path.join(relative, entry));
      return;
    }
    hash
      .update(`${relative}\0`)
      .update(await readFile(file))
      .update('\0');
  };
  for (const input of INPUTS) await walk(input);
  return hash.digest('hex').slice(0, 16);
}

/** Run `fn` holding a lock folder; a lock older than ten minutes is a crashed holder's and is taken over. */
async function withLock(lock: string, fn: () => Promise<void>): Promise<void> {
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = Date.now() - (await stat(lock).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
      if (age > 600_000) await rm(lock, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    await fn();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}
