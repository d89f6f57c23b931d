import type { CommandIO } from './command.js';

/**
 * Print a command's result: `data` as JSON on stdout with `--json`, else `lines`
 * (each ends with a newline). Pure printing; the caller decides the exit code.
 *
 * @example
 * printResult(io, json, { ok: true, written: files }, files.map((f) => `wrote ${f}`))
 */
export function printResult(io: CommandIO, json: boolean, data: unknown, lines: readonly string[]): void {
  if (json) io.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
  else if (lines.length > 0) io.stdout.write(lines.map((line) => `${line}\n`).join(''));
}

/**
 * Print a refusal (the check said no): one line per reason on stderr, or a JSON
 * `{ ok: false, ... }` on stdout with `--json`.
 *
 * @example
 * printRefusal(io, json, { ok: false, reason: 'verdict-fail' }, ['the scorecard verdict is fail: ...'])
 */
export function printRefusal(io: CommandIO, json: boolean, data: unknown, lines: readonly string[]): void {
  if (json) io.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
  io.stderr.write(lines.map((line) => `${line}\n`).join(''));
}
