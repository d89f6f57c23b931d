import { nearest } from '../internal/did-you-mean.js';
import { isQualifyError, UsageError } from '../errors.js';
import { EXIT, type CommandIO, type CommandSpec, type ExitCode } from './command.js';
import { COMMANDS } from './commands.js';
import { renderHelp, renderRootHelp } from './help.js';
import { parseCommandArgs } from './args/parse-args.js';
import { packageVersion } from './version.js';

/**
 * Run `qualify <command> [args]`: dispatch to the command table, print a usage
 * or config error as one line on stderr (`qualify <cmd>: <message>`), and return
 * the exit code (0 ok, 1 the check said no, 2 usage or config error). Never
 * touches `process`: `bin/qualify.js` passes the world in and sets the exit code.
 *
 * @example
 * process.exitCode = await runCli(process.argv.slice(2), io)
 */
export async function runCli(
  argv: string[],
  io: CommandIO,
  table: Readonly<Record<string, CommandSpec>> = COMMANDS,
): Promise<ExitCode> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.stderr.write(renderRootHelp(table, await packageVersion()));
    return EXIT.usage;
  }
  if (first === '--help' || first === '-h' || (first === 'help' && rest.length === 0)) {
    io.stdout.write(renderRootHelp(table, await packageVersion()));
    return EXIT.ok;
  }
  if (first === '--version') {
    io.stdout.write(`${await packageVersion()}\n`);
    return EXIT.ok;
  }
  if (first === 'help') return runCli([rest[0]!, '--help'], io, table);

  const spec = Object.hasOwn(table, first) ? table[first] : undefined;
  const label = spec ? `qualify ${spec.name}` : 'qualify';
  const json = argv.includes('--json');
  try {
    if (!spec) throw unknownCommand(first, table);
    const parsed = parseCommandArgs(spec, rest);
    if (parsed.kind === 'help') {
      io.stdout.write(renderHelp(spec));
      return EXIT.ok;
    }
    return await spec.run({ positionals: parsed.positionals, options: parsed.options }, io);
  } catch (error) {
    reportError(error, label, json, io);
    return EXIT.usage;
  }
}

function unknownCommand(name: string, table: Readonly<Record<string, CommandSpec>>): UsageError {
  if (name.startsWith('-')) {
    return new UsageError(`${name} is not an option of qualify itself; put options after the command`);
  }
  const guess = nearest(name, Object.keys(table));
  const hint = guess === undefined ? '' : `did you mean ${guess}? `;
  return new UsageError(
    `unknown command ${JSON.stringify(name)}: ${hint}run \`qualify --help\` for the list`,
  );
}

/** One line a person can act on; the stack only for an unexpected error under `QUALIFY_DEBUG=1`. */
function reportError(error: unknown, label: string, json: boolean, io: CommandIO): void {
  const known = isQualifyError(error);
  const message = error instanceof Error ? error.message : String(error);
  const code = known ? error.code : 'E_UNEXPECTED';
  if (json) io.stdout.write(`${JSON.stringify({ ok: false, error: { code, message } }, null, 2)}\n`);
  if (known) {
    io.stderr.write(`${label}: ${oneLine(message)}\n`);
    return;
  }
  const debug = io.env['QUALIFY_DEBUG'] === '1';
  const hint = debug ? '' : ' (set QUALIFY_DEBUG=1 for the stack trace)';
  io.stderr.write(`${label}: unexpected error: ${oneLine(message)}${hint}\n`);
  if (debug && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
