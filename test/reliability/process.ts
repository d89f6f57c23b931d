/**
 * Real Vitest in its own process group, so a test can signal the whole run
 * (the main process and its worker) the way a CI runner cancelling a job or an
 * OOM killer does, or the main process alone.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { REPO } from '../e2e/harness.js';

const VITEST = path.join(REPO, 'node_modules/vitest/vitest.mjs');

/** A Vitest run in progress. */
export interface GroupRun {
  pid: number;
  output(): string;
  /** Signal every process of the run's group. */
  killGroup(signal: NodeJS.Signals): void;
  /** Whether no process of the group is left (the worker outlives the main process a little). */
  groupGone(): boolean;
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Start `vitest <args>` in `cwd` as the leader of a new process group.
 *
 * @example
 * const run = startGroup(project.dir, ['run', '--project', 'eval'], env);
 * run.killGroup('SIGTERM');
 * await run.exited;
 */
export function startGroup(cwd: string, args: string[], env: Record<string, string>): GroupRun {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !k.startsWith('QUALIFY_') && !k.startsWith('GITHUB_') && !k.startsWith('VITEST'),
    ),
  );
  const child = spawn(process.execPath, [VITEST, ...args], {
    cwd,
    env: { ...clean, NO_COLOR: '1', FORCE_COLOR: '0', CI: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('vitest did not start');
  return {
    pid,
    output: () => output,
    killGroup(signal) {
      try {
        process.kill(-pid, signal);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
      }
    },
    groupGone() {
      try {
        process.kill(-pid, 0);
        return false;
      } catch (error) {
        return (error as NodeJS.ErrnoException).code === 'ESRCH';
      }
    },
    exited,
  };
}

/**
 * Resolves once `probe()` is true, checking every 50 ms; rejects after `timeoutMs`.
 *
 * @example
 * await until(() => fake.stats.requests >= 10);
 */
export async function until(probe: () => boolean | Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
