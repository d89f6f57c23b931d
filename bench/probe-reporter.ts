/**
 * A reporter the benchmark adds to its scratch projects: at the start and end
 * of every test run, and when a test module starts, it appends one JSON line
 * to `$BENCH_PROBE` with the wall clock and the CPU time and memory of the
 * Vitest process tree (main process and workers). Without `$BENCH_PROBE` it
 * does nothing.
 */
import { appendFileSync } from 'node:fs';
import type { Reporter } from 'vitest/node';
import { treeOf } from './proc-tree.js';

/** One line of the probe file. */
export interface ProbeMark {
  /** The run starts; a test module starts running (in the worker); the run ends. */
  event: 'start' | 'module' | 'end';
  /** `Date.now()` in the Vitest main process. */
  at: number;
  cpuMs: number;
  rssBytes: number;
  /** Each live process of the tree: pid, its own CPU ms and resident memory (main process first). */
  processes: { pid: number; cpuMs: number; rssBytes: number }[];
}

/** @example reporters: ['default', new ProbeReporter()] */
export class ProbeReporter implements Reporter {
  onTestRunStart(): void {
    mark('start');
  }

  onTestModuleStart(): void {
    mark('module');
  }

  onTestRunEnd(): void {
    mark('end');
  }
}

function mark(event: ProbeMark['event']): void {
  const file = process.env['BENCH_PROBE'];
  if (!file) return;
  const tree = treeOf(process.pid);
  const line: ProbeMark = {
    event,
    at: Date.now(),
    cpuMs: tree.reduce((sum, s) => sum + s.ownCpuMs + s.reapedCpuMs, 0),
    rssBytes: tree.reduce((sum, s) => sum + s.rssBytes, 0),
    processes: tree.map((s) => ({ pid: s.pid, cpuMs: s.ownCpuMs, rssBytes: s.rssBytes })),
  };
  appendFileSync(file, `${JSON.stringify(line)}\n`);
}

/**
 * The probe lines of a file's text.
 *
 * @example
 * parseProbe('{"event":"start","at":1,"cpuMs":0,"rssBytes":0}\n').length // 1
 */
export function parseProbe(text: string): ProbeMark[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as ProbeMark);
}
