/**
 * A process tree's CPU time and memory, read from /proc (Linux): what the
 * benchmark charges to the harness. Reads are synchronous and cheap (a few
 * small files per process of the tree); a process that exits mid-read is skipped.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of `utime`/`stime` (USER_HZ, 100 on Linux). */
const TICKS_PER_S = 100;
const PAGE_BYTES = 4096;

/** The fields of /proc/<pid>/stat the benchmark uses. */
export interface ProcStat {
  pid: number;
  ppid: number;
  /** utime + stime of the process itself, ms. */
  ownCpuMs: number;
  /** cutime + cstime: its children that it has waited for (and theirs), ms. */
  reapedCpuMs: number;
  rssBytes: number;
}

/**
 * Parse one /proc/<pid>/stat line. The command name may hold spaces and
 * parentheses, so fields are counted from the last `)`.
 *
 * @example
 * parseStat('42 (node) S 1 42 42 0 -1 0 0 0 0 0 150 50 10 5 20 0 11 0 1 1 2560').ownCpuMs // 2000
 */
export function parseStat(line: string): ProcStat {
  const close = line.lastIndexOf(')');
  const pid = Number(line.slice(0, line.indexOf(' ')));
  // After ")": state(3) ppid(4) ... utime(14) stime(15) cutime(16) cstime(17) ... rss(24).
  const rest = line
    .slice(close + 2)
    .trim()
    .split(' ');
  const field = (n: number): number => Number(rest[n - 3]);
  const ms = (ticks: number): number => (ticks * 1000) / TICKS_PER_S;
  return {
    pid,
    ppid: field(4),
    ownCpuMs: ms(field(14) + field(15)),
    reapedCpuMs: ms(field(16) + field(17)),
    rssBytes: field(24) * PAGE_BYTES,
  };
}

/** The pids of `pid`'s children, from /proc/<pid>/task/<tid>/children (every thread's). */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out; // it exited
  }
  for (const tid of tasks) {
    try {
      const text = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
      if (text !== '') out.push(...text.split(' ').map(Number));
    } catch {
      // the thread ended
    }
  }
  return out;
}

/**
 * `root` and its live descendants, walked down the children lists (cheaper
 * than reading every process on the machine).
 *
 * @example
 * treeOf(process.pid).map((s) => s.pid)
 */
export function treeOf(root: number): ProcStat[] {
  const out: ProcStat[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    try {
      out.push(parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8')));
    } catch {
      continue; // it exited
    }
    queue.push(...childrenOf(pid));
  }
  return out;
}

/** One reading of a process tree. */
export interface TreeSample {
  /** CPU ms of the tree so far: every live process's own time plus what each has reaped. */
  cpuMs: number;
  rssBytes: number;
  processes: number;
}

/**
 * Read the tree rooted at `root` now.
 *
 * @example
 * const { cpuMs, rssBytes } = sampleTree(child.pid)
 */
export function sampleTree(root: number): TreeSample {
  const tree = treeOf(root);
  return {
    cpuMs: tree.reduce((sum, s) => sum + s.ownCpuMs + s.reapedCpuMs, 0),
    rssBytes: tree.reduce((sum, s) => sum + s.rssBytes, 0),
    processes: tree.length,
  };
}

/**
 * CPU ms this process has reaped from its children so far (cutime + cstime):
 * read before and after a child runs, the difference is the child tree's CPU.
 *
 * @example
 * const before = reapedChildrenCpuMs(); await run(); const cpu = reapedChildrenCpuMs() - before
 */
export function reapedChildrenCpuMs(): number {
  return parseStat(readFileSync('/proc/self/stat', 'utf8')).reapedCpuMs;
}
