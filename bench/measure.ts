/**
 * One measured qualification run against the benchmark's world: the Vitest
 * process's cost, the exchanges the provider saw, the provider's own CPU, and
 * the scorecard it wrote.
 */
import type { Scorecard } from '../src/scorecard/types.js';
import type { BenchProject } from './fixture.js';
import { sampleTree } from './proc-tree.js';
import { measureVitest, type ProcessCost } from './vitest-run.js';
import type { Exchange, World } from './world.js';

export interface Measured {
  cost: ProcessCost;
  /** What the provider answered during this run. */
  log: Exchange[];
  /** CPU ms of this process (the fake provider) during the run. */
  providerCpuMs: number;
  /** The Vitest tree's CPU ms and the time when the first model call arrived (none: no call). */
  firstCall: { at: number; cpuMs: number } | undefined;
  card: Scorecard | undefined;
}

/**
 * Progress lines go to stderr, so stdout stays clean.
 *
 * @example
 * progress('latency: run 1/5') // bench: latency: run 1/5
 */
export function progress(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

/**
 * Run `vitest <args>` in the project against the world; throws with the
 * output's tail when the exit code is not `expectCode`.
 *
 * @example
 * const { cost, log, card } = await measuredRun(project, world, ['run', '--project', 'eval'], world.env())
 */
export async function measuredRun(
  project: BenchProject,
  world: World,
  args: string[],
  env: Record<string, string | undefined>,
  options: { expectCode?: number | readonly number[]; nodeArgs?: string[] } = {},
): Promise<Measured> {
  world.reset();
  let pid: number | undefined;
  let firstCall: Measured['firstCall'];
  world.onFirstRequest = () => {
    if (pid !== undefined) firstCall = { at: Date.now(), cpuMs: sampleTree(pid).cpuMs };
  };
  const before = process.cpuUsage();
  const cost = await measureVitest(project.dir, args, env, {
    nodeArgs: options.nodeArgs,
    onSpawn: (spawned) => (pid = spawned),
  });
  const used = process.cpuUsage(before);
  const expected = [options.expectCode ?? 0].flat();
  if (cost.code === null || !expected.includes(cost.code)) {
    throw new Error(
      `vitest ${args.join(' ')} exited with ${cost.code}, expected ${expected.join(' or ')}:\n${cost.stdout.slice(-3000)}\n${cost.stderr.slice(-3000)}`,
    );
  }
  const card = await project.scorecard().catch(() => undefined);
  return { cost, log: [...world.log], providerCpuMs: (used.user + used.system) / 1000, firstCall, card };
}

/**
 * First arrival and last answer of a run's exchanges, epoch ms.
 *
 * @example
 * const { first, last } = callSpan(run.log)
 */
export function callSpan(log: readonly Exchange[]): { first: number; last: number } {
  let first = Infinity;
  let last = -Infinity;
  for (const e of log) {
    first = Math.min(first, e.start);
    last = Math.max(last, e.end);
  }
  return { first, last };
}

/**
 * The run with the median of `key` (the lower middle for an even count).
 *
 * @example
 * medianRun([{ s: 3 }, { s: 1 }, { s: 2 }], (r) => r.s) // { s: 2 }
 */
export function medianRun<T>(runs: readonly T[], key: (run: T) => number): T {
  const sorted = [...runs].sort((a, b) => key(a) - key(b));
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/**
 * Bytes in a megabyte (MiB), as memory is reported.
 *
 * @example
 * cost.peakRssBytes / MB
 */
export const MB = 1024 * 1024;
