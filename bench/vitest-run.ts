/**
 * One `vitest` process, measured: wall time from spawn to exit, the CPU time of
 * its whole process tree, the tree's peak resident memory (sampled), and the
 * probe reporter's marks around the test run.
 */
import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { REPO } from './fixture.js';
import { parseProbe, type ProbeMark } from './probe-reporter.js';
import { reapedChildrenCpuMs, sampleTree } from './proc-tree.js';

const VITEST = path.join(REPO, 'node_modules/vitest/vitest.mjs');

/** What one process cost. */
export interface ProcessCost {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Spawn to exit, ms. */
  wallMs: number;
  /** User + system CPU of the process and every descendant, ms. */
  cpuMs: number;
  /** Largest sum of the tree's resident memory seen, bytes. */
  peakRssBytes: number;
  /** The probe reporter's marks, in order (empty when it did not run). */
  marks: ProbeMark[];
}

/**
 * The environment of a benchmark run: the caller's, minus anything that would steer Vitest or the plugin.
 *
 * @example
 * spawn(process.execPath, [VITEST, 'run'], { env: { ...cleanEnv(), ...world.env() } })
 */
export function cleanEnv(): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !k.startsWith('QUALIFY_') && !k.startsWith('GITHUB_') && !k.startsWith('VITEST'),
    ),
  );
}

/**
 * Run `vitest <args>` in `cwd` and measure it.
 *
 * @example
 * const cost = await measureVitest(project.dir, ['run', '--project', 'eval'], providerEnv(fake))
 */
export async function measureVitest(
  cwd: string,
  args: string[],
  env: Record<string, string | undefined>,
  options: {
    sampleEveryMs?: number | undefined;
    nodeArgs?: string[] | undefined;
    onSpawn?: ((pid: number) => void) | undefined;
  } = {},
): Promise<ProcessCost> {
  const probe = path.join(cwd, `.probe-${Date.now()}.jsonl`);
  const cpuBefore = reapedChildrenCpuMs();
  const started = performance.now();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), VITEST, ...args], {
    cwd,
    env: { ...cleanEnv(), NO_COLOR: '1', FORCE_COLOR: '0', CI: 'true', BENCH_PROBE: probe, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid !== undefined) options.onSpawn?.(child.pid);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let peakRssBytes = 0;
  const sample = (): void => {
    if (child.pid === undefined || child.exitCode !== null) return;
    peakRssBytes = Math.max(peakRssBytes, sampleTree(child.pid).rssBytes);
  };
  const sampler = setInterval(sample, options.sampleEveryMs ?? 50);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (exitCode) => resolve(exitCode));
  });
  const wallMs = performance.now() - started;
  clearInterval(sampler);
  // libuv reaps the child on exit, which adds the tree's CPU to ours (cutime, cstime).
  const cpuMs = reapedChildrenCpuMs() - cpuBefore;
  const marks = parseProbe(await readFile(probe, 'utf8').catch(() => ''));
  await rm(probe, { force: true });
  return { code, stdout, stderr, wallMs, cpuMs, peakRssBytes, marks };
}

/** Wall and CPU ms of the Vitest tree between two probe marks. */
export interface Window {
  wallMs: number;
  cpuMs: number;
  /** Epoch ms of the first mark. */
  from: number;
}

/**
 * The test run (first `start` to last `end`), or from the first test module's
 * start (`from: 'module'`, after the worker has started up) to the last `end`.
 *
 * @example
 * runWindow(cost.marks)?.cpuMs
 */
export function runWindow(
  marks: readonly ProbeMark[],
  from: 'start' | 'module' = 'start',
): Window | undefined {
  const first = marks.find((m) => m.event === from);
  const end = marks.findLast((m) => m.event === 'end');
  if (!first || !end) return undefined;
  return { wallMs: end.at - first.at, cpuMs: end.cpuMs - first.cpuMs, from: first.at };
}
