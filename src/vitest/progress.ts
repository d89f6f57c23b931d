import { UsageError } from '../errors.js';
import { formatCost } from '../scorecard/format.js';

/** Seconds between progress lines unless `QUALIFY_PROGRESS` says otherwise. */
export const DEFAULT_PROGRESS_S = 5;

/** Where a run's progress stands: cases finished of those collected, and what they cost. */
export interface ProgressCounts {
  done: number;
  total: number;
  passed: number;
  failed: number;
  errors: number;
  cost_usd: number;
  /** Models called for real that have no price, sorted. */
  unpriced: string[];
}

/**
 * One progress line, as a CI log shows it while a long run works.
 *
 * @example
 * progressLine({ done: 3, total: 80, passed: 2, failed: 1, errors: 0, cost_usd: 0.0123, unpriced: [] }, 12_400)
 * // ' qualify  3/80 cases: 2 passed, 1 failed, 0 errored; cost $0.0123; 12 s'
 */
export function progressLine(c: ProgressCounts, elapsedMs: number): string {
  return (
    ` qualify  ${c.done}/${c.total} cases: ${c.passed} passed, ${c.failed} failed, ${c.errors} errored; ` +
    `cost ${formatCost(c)}; ${Math.round(elapsedMs / 1000)} s`
  );
}

/**
 * How often to print progress, in milliseconds, or `null` for never. Progress is
 * for logs nobody watches live: only when `CI` is set or stdout or stderr is not
 * a terminal. `QUALIFY_PROGRESS` is the seconds between lines (`0`: a line per
 * finished case) or `off`.
 *
 * @example
 * progressInterval({ CI: 'true' }, { stdout: true, stderr: true }) // 5000
 * progressInterval({}, { stdout: true, stderr: true })             // null: an interactive terminal
 */
export function progressInterval(
  env: Record<string, string | undefined>,
  tty: { stdout: boolean; stderr: boolean },
): number | null {
  const value = env['QUALIFY_PROGRESS']?.trim() ?? '';
  let seconds = DEFAULT_PROGRESS_S;
  if (value === 'off') return null;
  if (value !== '') {
    seconds = Number(value);
    if (!/^\d+(\.\d+)?$/.test(value) || !Number.isFinite(seconds)) {
      throw new UsageError(
        `QUALIFY_PROGRESS=${value} is not a number of seconds; use e.g. QUALIFY_PROGRESS=5, 0 for a line per case, or off`,
      );
    }
  }
  const ci = (env['CI'] ?? '') !== '' && env['CI'] !== 'false' && env['CI'] !== '0';
  return ci || !tty.stdout || !tty.stderr ? seconds * 1000 : null;
}

/**
 * Counts finished cases and prints a line when one finishes and at least
 * `intervalMs` has passed since the last line (the first case always prints),
 * plus one at the end. A line per case would be 10,000 lines for a large run
 * of fast cases; a line only every few seconds keeps a 30-minute run under 400
 * lines, and a slow run (a case every 30 s) still shows each case as it ends.
 * Lines are written only when a case finishes, so each says something new.
 * @internal
 *
 * @example
 * const progress = new ProgressLog(5000, performance.now.bind(performance), (line) => logger.error(line));
 * progress.collected(80);
 * progress.finished('passed', { cost_usd: 0.001 });
 * progress.end();
 */
export class ProgressLog {
  private readonly counts: ProgressCounts = {
    done: 0,
    total: 0,
    passed: 0,
    failed: 0,
    errors: 0,
    cost_usd: 0,
    unpriced: [],
  };
  private readonly startedAt: number;
  private lastAt: number | undefined;
  private printedDone = -1;

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number,
    private readonly write: (line: string) => void,
  ) {
    this.startedAt = now();
  }

  /** Cases collected that will run (not skipped). */
  collected(cases: number): void {
    this.counts.total += cases;
  }

  /** One case finished. */
  finished(
    outcome: 'passed' | 'failed' | 'error',
    usage: { cost_usd: number; unpriced?: string[] | undefined },
  ): void {
    const c = this.counts;
    c.done += 1;
    if (outcome === 'passed') c.passed += 1;
    else if (outcome === 'failed') c.failed += 1;
    else c.errors += 1;
    c.cost_usd += usage.cost_usd;
    for (const model of usage.unpriced ?? []) if (!c.unpriced.includes(model)) c.unpriced.push(model);
    c.unpriced.sort();
    const at = this.now();
    if (this.lastAt === undefined || at - this.lastAt >= this.intervalMs) this.print(at);
  }

  /** The run ended: the last line, unless the last one printed already said it all. */
  end(): void {
    if (this.counts.done > 0 && this.printedDone !== this.counts.done) this.print(this.now());
  }

  private print(at: number): void {
    this.lastAt = at;
    this.printedDone = this.counts.done;
    // The total grows as case files are collected; never print more done than collected.
    const counts = { ...this.counts, total: Math.max(this.counts.total, this.counts.done) };
    this.write(progressLine(counts, at - this.startedAt));
  }
}
