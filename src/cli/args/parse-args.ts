import { parseArgs } from 'node:util';
import { nearest } from '../../internal/did-you-mean.js';
import { UsageError } from '../../errors.js';
import type { CommandSpec, OptionSpec, ParsedOptions } from '../command.js';

/** The options every command takes besides its own. */
export const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  json: { type: 'boolean', description: 'Print the result as JSON on stdout, for scripts.' },
  help: { type: 'boolean', short: 'h', description: 'Show this help.' },
};

/** What the command line asked for: the command's help, or a run with these arguments. */
export type ParsedCommand = { kind: 'help' } | { kind: 'run'; positionals: string[]; options: ParsedOptions };

/**
 * The options a command accepts: its own, then `--json` and `--help`.
 *
 * @example
 * Object.keys(commandOptions(spec)) // ['base', 'allow', 'json', 'help']
 */
export function commandOptions(spec: CommandSpec): Record<string, OptionSpec> {
  return { ...spec.options, ...GLOBAL_OPTIONS };
}

/**
 * Parse a command's arguments against its table. Strict: an unknown option, a
 * missing value, a value given to a flag, a missing or extra positional is a
 * `UsageError` that names the nearest valid option and the fix.
 *
 * @example
 * parseCommandArgs(checkPr, ['--base', 'origin/main', '--json'])
 * // { kind: 'run', positionals: [], options: { base: 'origin/main', json: true, allow: undefined, ... } }
 */
export function parseCommandArgs(spec: CommandSpec, args: string[]): ParsedCommand {
  const accepted = commandOptions(spec);
  const { tokens } = parseArgs({
    args,
    options: toParseArgsOptions(accepted),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  if (tokens.some((t) => t.kind === 'option' && t.name === 'help')) return { kind: 'help' };

  const shorts = new Map(Object.entries(accepted).flatMap(([name, o]) => (o.short ? [[o.short, name]] : [])));
  const values: ParsedOptions = {};
  const positionals: string[] = [];
  const helpHint = `run \`qualify ${spec.name} --help\` for its options`;
  for (const token of tokens) {
    if (token.kind === 'positional') positionals.push(token.value);
    if (token.kind !== 'option') continue;
    const name = token.rawName.startsWith('--') ? token.name : (shorts.get(token.name) ?? token.name);
    const option = Object.hasOwn(accepted, name) ? accepted[name] : undefined;
    if (!option) {
      const guess = nearest(token.name, Object.keys(accepted));
      throw new UsageError(
        `unknown option ${token.rawName}${guess === undefined ? '' : `; did you mean --${guess}?`} (${helpHint})`,
      );
    }
    if (option.type === 'boolean') {
      if (token.value !== undefined) {
        throw new UsageError(`--${name} is a flag and takes no value; write --${name} alone`);
      }
      values[name] = true;
      continue;
    }
    const placeholder = option.value ?? '<value>';
    if (token.value === undefined || (!token.inlineValue && token.value.startsWith('-'))) {
      throw new UsageError(
        `--${name} needs a value: --${name} ${placeholder} (for a value that starts with "-", write --${name}=<value>)`,
      );
    }
    if (option.multiple) {
      const previous = values[name];
      values[name] = [...(Array.isArray(previous) ? previous : []), token.value];
    } else values[name] = token.value;
  }

  for (const [name, option] of Object.entries(accepted)) {
    if (values[name] === undefined && option.default !== undefined) values[name] = option.default;
  }
  checkPositionals(spec, positionals);
  return { kind: 'run', positionals, options: values };
}

function checkPositionals(spec: CommandSpec, positionals: string[]): void {
  const missing = spec.positionals.slice(positionals.length).find((p) => p.required);
  if (missing) {
    throw new UsageError(
      `missing <${missing.name}>: ${missing.description.replace(/\.$/, '')} (usage: ${usageLine(spec)})`,
    );
  }
  const extra = positionals[spec.positionals.length];
  if (extra !== undefined) {
    const takes =
      spec.positionals.length === 0
        ? 'takes no arguments besides options'
        : `takes ${spec.positionals.map((p) => `<${p.name}>`).join(' ')}`;
    throw new UsageError(`unexpected argument ${JSON.stringify(extra)}: qualify ${spec.name} ${takes}`);
  }
}

/**
 * The one-line usage of a command: `qualify allow <case> [options]`.
 *
 * @example
 * usageLine(allow) // 'qualify allow <case> [options]'
 */
export function usageLine(spec: CommandSpec): string {
  const positionals = spec.positionals.map((p) => (p.required ? `<${p.name}>` : `[${p.name}]`));
  return ['qualify', spec.name, ...positionals, '[options]'].join(' ');
}

type ParseArgsOptions = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

function toParseArgsOptions(options: Record<string, OptionSpec>): ParseArgsOptions {
  const out: NonNullable<ParseArgsOptions> = {};
  for (const [name, option] of Object.entries(options)) {
    out[name] = {
      type: option.type,
      ...(option.short === undefined ? {} : { short: option.short }),
      ...(option.multiple === undefined ? {} : { multiple: option.multiple }),
    };
  }
  return out;
}
