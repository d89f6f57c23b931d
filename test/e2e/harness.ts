/**
 * End-to-end harness: a scratch project inside the repo (so `vitest` and the
 * plugin's source resolve), real Vitest in a child process, the fake provider
 * on loopback. The Vitest that runs is whatever node_modules holds: 4.x in the
 * main run, 5.x in the Node 22 run of scripts/test-vitest5.sh.
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Scorecard } from '../../src/scorecard/types.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(here, '../..');
const SCRATCH = path.join(here, '.scratch');
const VITEST = path.join(REPO, 'node_modules/vitest/vitest.mjs');

let counter = 0;

export interface EvalProject extends AsyncDisposable {
  dir: string;
  write(relative: string, content: string): Promise<void>;
  read(relative: string): Promise<string>;
  scorecard(): Promise<Scorecard>;
  /** Run `vitest <args>` in the project; resolves with the exit code and output. */
  vitest(args: string[], env?: Record<string, string | undefined>): Promise<RunResult>;
  /** Start `vitest <args>` and leave it running (watch mode). */
  start(args: string[], env?: Record<string, string | undefined>): Running;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const CONFIG = `import { defineConfig } from 'vitest/config';
import { qualify } from '../../../../src/index.js';

export default defineConfig({
  test: { projects: [{ plugins: [qualify()], test: { name: 'eval' } }] },
});
`;

/** A scratch project with the given files (rubric.yaml, case files, ...) and the eval project config. */
export async function evalProject(files: Record<string, string>): Promise<EvalProject> {
  const dir = path.join(SCRATCH, `p${process.pid}-${Date.now()}-${counter++}`);
  await mkdir(dir, { recursive: true });
  const write = async (relative: string, content: string): Promise<void> => {
    const file = path.join(dir, relative);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
  };
  await write('vitest.config.ts', CONFIG);
  for (const [relative, content] of Object.entries(files)) await write(relative, content);
  return {
    dir,
    write,
    read: (relative) => readFile(path.join(dir, relative), 'utf8'),
    async scorecard() {
      return JSON.parse(await readFile(path.join(dir, 'eval/out/scorecard.json'), 'utf8')) as Scorecard;
    },
    vitest: (args, env = {}) => runVitest(dir, args, env),
    start: (args, env = {}) => startVitest(dir, args, env),
    async [Symbol.asyncDispose]() {
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A Vitest process left running. */
export interface Running {
  output(): string;
  /** Resolves when the output has `count` occurrences of `text`; rejects after `timeoutMs`. */
  waitFor(text: string, count?: number, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

function startVitest(cwd: string, args: string[], env: Record<string, string | undefined>): Running {
  const child = spawn(process.execPath, [VITEST, ...args], {
    cwd,
    env: { ...cleanEnv(), NO_COLOR: '1', FORCE_COLOR: '0', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return {
    output: () => output,
    async waitFor(text, count = 1, timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      while (output.split(text).length - 1 < count) {
        if (Date.now() > deadline || child.exitCode !== null) {
          throw new Error(`timed out waiting for ${count} x ${JSON.stringify(text)}; output:\n${output}`);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function cleanEnv(): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !k.startsWith('QUALIFY_') && !k.startsWith('GITHUB_') && !k.startsWith('VITEST'),
    ),
  );
}

function runVitest(cwd: string, args: string[], env: Record<string, string | undefined>): Promise<RunResult> {
  const clean = cleanEnv();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [VITEST, ...args], {
      cwd,
      env: { ...clean, NO_COLOR: '1', FORCE_COLOR: '0', CI: 'true', ...env },
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

/**
 * A scorecard without what differs run to run: clock readings, and the commit and branch (the scratch
 * project sits inside this repository, whose HEAD may move while a test runs).
 */
export function stable(card: Scorecard): unknown {
  return {
    ...card,
    commit: '<commit>',
    branch: '<branch>',
    created_at: '<date>',
    duration_ms: '<ms>',
    cases: card.cases.map((c) => ({
      ...c,
      latency_ms: '<ms>',
      ...(c.agent_usage ? { agent_usage: { ...c.agent_usage, latency_ms: '<ms>', ttft_ms: '<ms>' } } : {}),
    })),
  };
}

/** The env that points the official SDKs at the fake provider, with no cache. */
export function providerEnv(fake: {
  openaiBaseURL: string;
  anthropicBaseURL: string;
}): Record<string, string> {
  return {
    OPENAI_API_KEY: 'sk-e2e',
    OPENAI_BASE_URL: fake.openaiBaseURL,
    ANTHROPIC_API_KEY: 'sk-ant-e2e',
    ANTHROPIC_BASE_URL: fake.anthropicBaseURL,
    QUALIFY_CACHE: 'off',
  };
}
