import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { EXIT, type ExitCode } from './command.js';

/**
 * The repository's own Vitest entry (`vitest.mjs`), as `npx vitest` would run it: vitest-qualify runs
 * under the user's Vitest, never one of its own.
 *
 * @example
 * spawnExit(process.execPath, [vitestBin(io.cwd), 'run', '--project', 'eval'], { ...io, env })
 */
export function vitestBin(cwd: string): string {
  try {
    const pkg = createRequire(path.join(cwd, 'package.json')).resolve('vitest/package.json');
    return path.join(path.dirname(pkg), 'vitest.mjs');
  } catch {
    throw new UsageError('vitest is not installed here: run npm ci (vitest-qualify runs under your Vitest)');
  }
}

/**
 * Runs a child process with its output copied to `stdout` / `stderr`; resolves with our exit code
 * for its own (0 ok, 2 usage or config error, anything else 1).
 *
 * @example
 * await spawnExit(process.execPath, [vitestBin(cwd), 'run'], { cwd, env, stdout, stderr }) // 0
 */
export function spawnExit(
  command: string,
  args: string[],
  options: {
    cwd: string;
    env: Record<string, string | undefined>;
    stdout: { write(text: string): unknown };
    stderr: { write(text: string): unknown };
  },
): Promise<ExitCode> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (d: Buffer) => options.stdout.write(d.toString()));
    child.stderr.on('data', (d: Buffer) => options.stderr.write(d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve(code === 0 ? EXIT.ok : code === 2 ? EXIT.usage : EXIT.no));
  });
}
