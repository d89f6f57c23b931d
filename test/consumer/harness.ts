/**
 * The consumer suite's harness: the package as users get it. It is packed
 * once (`npm pack`, which builds it), installed from the tarball into a
 * scratch repository outside this one (its own package.json, git and
 * node_modules, in the system temp folder) with an exact Vitest from a
 * committed lock, and driven through the installed binaries only: `vitest`
 * and `qualify` from the scratch repository's node_modules/.bin.
 *
 * Vitest 4.1 runs on this process's Node (20 in CI); Vitest 5 needs Node 22,
 * which comes from the npm registry (`npx -p node@22.23.3`), pinned like
 * every other version the suite installs.
 */
import { execFile, spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Scorecard } from '../../src/scorecard/types.js';
import { packPackage } from '../helpers/pack.js';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));

/** The Node 22 the Vitest 5 leg runs on; the same pin as scripts/test-vitest5.sh. */
export const NODE22 = 'node@22.23.3';

/** A Vitest major the suite installs, with the Node it runs on. */
export interface Flavour {
  name: 'vitest4' | 'vitest5';
  /** The `node` binary to run Vitest and `qualify` with. */
  node(): Promise<string>;
}

export const FLAVOURS: Flavour[] = [
  { name: 'vitest4', node: async () => process.execPath },
  { name: 'vitest5', node: node22 },
];

let node22Path: Promise<string> | undefined;
function node22(): Promise<string> {
  node22Path ??= run('npx', ['-y', '-p', NODE22, '-c', 'node -p process.execPath'], {
    env: cleanEnv(),
    maxBuffer: 1 << 20,
  }).then(({ stdout }) => stdout.trim());
  return node22Path;
}

/** What a process of the consumer repository printed, and how it ended. */
export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A user's repository with the package installed from its tarball. */
export interface Consumer extends AsyncDisposable {
  dir: string;
  flavour: Flavour;
  write(relative: string, content: string): Promise<void>;
  read(relative: string): Promise<string>;
  scorecard(): Promise<Scorecard>;
  /** `vitest <args>` from the repository's node_modules. */
  vitest(args: string[], env?: Record<string, string>): Promise<Ran>;
  /** `qualify <args>` from the repository's node_modules/.bin. */
  qualify(args: string[], env?: Record<string, string>): Promise<Ran>;
  /** `git <args>` in the repository; resolves with its stdout. */
  git(...args: string[]): Promise<string>;
}

/**
 * A scratch repository outside this one, with `files` written, git initialised
 * on `main`, and the tarball plus the flavour's Vitest installed by `npm ci`
 * from the committed lock (test/consumer/locks/<flavour>/).
 *
 * @example
 * await using repo = await consumerRepo(FLAVOURS[0], { 'agents/returns.ts': AGENT })
 */
export async function consumerRepo(flavour: Flavour, files: Record<string, string>): Promise<Consumer> {
  const { tarball } = await packPackage();
  const dir = await mkdtemp(path.join(os.tmpdir(), `consumer-${flavour.name}-`));
  const write = async (relative: string, content: string): Promise<void> => {
    const file = path.join(dir, relative);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
  };
  const locks = path.join(here, 'locks', flavour.name);
  await cp(path.join(locks, 'package.json'), path.join(dir, 'package.json'));
  await cp(path.join(locks, 'package-lock.json'), path.join(dir, 'package-lock.json'));
  await mkdir(path.join(dir, 'vendor'));
  await cp(tarball, path.join(dir, 'vendor/vitest-qualify.tgz'));
  for (const [relative, content] of Object.entries(files)) await write(relative, content);
  const installed = await exec('npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline'], dir, {});
  if (installed.code !== 0) {
    throw new Error(
      `npm ci of the packed package failed in ${dir} (a dependency changed? run bash scripts/lock-consumer.sh):\n${installed.stderr}`,
    );
  }
  const git = async (...args: string[]): Promise<string> => {
    const result = await exec('git', args, dir, {});
    if (result.code !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr}`);
    return result.stdout;
  };
  await git('init', '-q', '-b', 'main');
  await git('config', 'user.email', 'dev@example.com');
  await git('config', 'user.name', 'Dev');
  const node = await flavour.node();
  return {
    dir,
    flavour,
    write,
    read: (relative) => readFile(path.join(dir, relative), 'utf8'),
    async scorecard() {
      return JSON.parse(await readFile(path.join(dir, 'eval/out/scorecard.json'), 'utf8')) as Scorecard;
    },
    vitest: (args, env = {}) =>
      exec(node, [path.join(dir, 'node_modules/vitest/vitest.mjs'), ...args], dir, env),
    qualify: (args, env = {}) => exec(node, [path.join(dir, 'node_modules/.bin/qualify'), ...args], dir, env),
    git,
    async [Symbol.asyncDispose]() {
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** This process's environment without what would steer the child: our variables, Vitest's, npm's, CI's. */
function cleanEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (e): e is [string, string] =>
        e[1] !== undefined &&
        !/^(QUALIFY_|GITHUB_|VITEST|npm_|OPENAI_|ANTHROPIC_|NODE_OPTIONS$|TEST$|CI$)/.test(e[0]),
    ),
  );
}

function exec(file: string, args: string[], cwd: string, env: Record<string, string>): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd,
      env: { ...cleanEnv(), CI: 'true', NO_COLOR: '1', FORCE_COLOR: '0', GIT_CONFIG_NOSYSTEM: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
