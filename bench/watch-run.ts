/**
 * A `vitest watch` process left running, for the watch-mode measurement.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { REPO } from './fixture.js';
import { cleanEnv } from './vitest-run.js';

const VITEST = path.join(REPO, 'node_modules/vitest/vitest.mjs');

export interface Watching {
  output(): string;
  /**
   * Resolves when `pattern` has matched the output `count` times (counting only
   * after the first match of `after`, when given); rejects after `timeoutMs` or on exit.
   */
  waitFor(pattern: RegExp, count: number, options?: { after?: RegExp; timeoutMs?: number }): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Start `vitest <args>` in `cwd` and keep it running.
 *
 * @example
 * const watch = startVitest(project.dir, ['watch', '--project', 'eval'], world.env('auto'))
 */
export function startVitest(cwd: string, args: string[], env: Record<string, string | undefined>): Watching {
  const child = spawn(process.execPath, [VITEST, ...args], {
    cwd,
    env: { ...cleanEnv(), NO_COLOR: '1', FORCE_COLOR: '0', CI: '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const matches = (pattern: RegExp, after: RegExp | undefined): number => {
    const from = after ? output.search(after) : 0;
    if (from < 0) return 0;
    return output.slice(from).match(new RegExp(pattern.source, 'g'))?.length ?? 0;
  };
  return {
    output: () => output,
    async waitFor(pattern, count, { after, timeoutMs = 600_000 } = {}) {
      const deadline = Date.now() + timeoutMs;
      while (matches(pattern, after) < count) {
        if (Date.now() > deadline || child.exitCode !== null) {
          throw new Error(`waited for ${count} x ${pattern}; output:\n${output.slice(-3000)}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
