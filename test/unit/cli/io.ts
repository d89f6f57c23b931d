import type { CommandIO } from '../../../src/cli/command.js';
import { runCli } from '../../../src/cli/main.js';

/** A fake `CommandIO` that captures what a command prints. */
export interface FakeIO extends CommandIO {
  out: () => string;
  err: () => string;
}

/**
 * A `CommandIO` in `cwd` whose stdout and stderr are captured; the clock is
 * fixed at 2026-11-27 and the environment holds PATH plus what `overrides.env` adds.
 *
 * @example
 * const io = fakeIO(dir.dir)
 * expect(await runCli(['init'], io)).toBe(0)
 * expect(io.out()).toContain('wrote rubric.yaml')
 */
export function fakeIO(cwd: string, overrides: Partial<CommandIO> = {}): FakeIO {
  let out = '';
  let err = '';
  return {
    cwd,
    env: { PATH: process.env['PATH'] },
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
    fetch: () => Promise.reject(new Error('no network in tests')),
    now: () => new Date('2026-11-27T12:00:00Z'),
    isTTY: false,
    ...overrides,
    ...(overrides.env ? { env: { PATH: process.env['PATH'], ...overrides.env } } : {}),
    out: () => out,
    err: () => err,
  };
}

/**
 * Run `qualify <argv>` in `cwd` with a fake io; returns the exit code and output.
 *
 * @example
 * const { code, out } = await qualify(dir.dir, ['check-pr', '--base', 'main'])
 */
export async function qualify(
  cwd: string,
  argv: string[],
  overrides: Partial<CommandIO> = {},
): Promise<{ code: number; out: string; err: string }> {
  const io = fakeIO(cwd, overrides);
  const code = await runCli(argv, io);
  return { code, out: io.out(), err: io.err() };
}
