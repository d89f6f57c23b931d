import type { CommandIO } from '../../src/cli/command.js';

/** A `CommandIO` whose output is captured, for calling `spec.run` directly. */
export interface CapturedIO extends CommandIO {
  out(): string;
  err(): string;
}

/**
 * A fake `CommandIO`: captured stdout and stderr, the given env, a fixed clock,
 * and the real `fetch` (tests point it at a loopback fake) unless one is given.
 *
 * @example
 * const io = captureIO({ cwd: dir, env: { GITHUB_TOKEN: gh.token } })
 * await commentCommand.run({ positionals: [], options: {} }, io)
 * io.out() // 'qualify comment: created ...'
 */
export function captureIO(input: {
  cwd: string;
  env?: Record<string, string | undefined>;
  now?: Date;
  fetch?: typeof globalThis.fetch;
}): CapturedIO {
  let out = '';
  let err = '';
  const now = input.now ?? new Date('2026-11-27T12:00:00Z');
  return {
    cwd: input.cwd,
    env: input.env ?? {},
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
    fetch: input.fetch ?? globalThis.fetch,
    now: () => new Date(now.getTime()),
    isTTY: false,
    out: () => out,
    err: () => err,
  };
}
