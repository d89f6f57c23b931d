import type { CommandSpec, OptionSpec } from './command.js';
import { commandOptions, usageLine } from './args/parse-args.js';

const WIDTH = 80;

/**
 * Words of `text` wrapped to lines of at most `width` columns, each prefixed with `indent`.
 *
 * @example
 * wrap('a b c', 3) // ['a b', 'c']
 */
export function wrap(text: string, width = WIDTH, indent = ''): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line !== '' && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(indent + line);
  return lines;
}

/**
 * How an option is written in help and docs: `-h, --help`, `--base <ref>`.
 *
 * @example
 * optionSignature('base', { type: 'string', value: '<ref>', description: '' }) // '--base <ref>'
 */
export function optionSignature(name: string, option: OptionSpec): string {
  const long = option.type === 'string' ? `--${name} ${option.value ?? '<value>'}` : `--${name}`;
  return option.short ? `-${option.short}, ${long}` : long;
}

/**
 * The description of an option with its default and repeatability, as one sentence list.
 *
 * @example
 * optionText({ type: 'string', description: 'The base ref.', default: 'main' }) // 'The base ref. Default: main.'
 */
export function optionText(option: OptionSpec): string {
  const extras = [
    option.default === undefined ? undefined : `Default: ${String(option.default)}.`,
    option.multiple ? 'Repeatable.' : undefined,
  ];
  return [option.description, ...extras].filter((part) => part !== undefined).join(' ');
}

/**
 * The `--help` text of one command, generated from its table (pure: returns text).
 *
 * @example
 * io.stdout.write(renderHelp(checkPr))
 */
export function renderHelp(spec: CommandSpec): string {
  const options = Object.entries(commandOptions(spec));
  const signatures = options.map(([name, option]) => optionSignature(name, option));
  const column = Math.max(...signatures.map((s) => s.length)) + 2;
  const lines = [`qualify ${spec.name}: ${spec.summary}`, '', `Usage: ${usageLine(spec)}`, ''];
  lines.push(...wrap(spec.description), '');
  if (spec.positionals.length > 0) {
    lines.push('Arguments:');
    const width = Math.max(...spec.positionals.map((p) => p.name.length + 2)) + 2;
    for (const p of spec.positionals) {
      lines.push(...hanging(`  <${p.name}>`.padEnd(width + 2), p.description));
    }
    lines.push('');
  }
  lines.push('Options:');
  options.forEach(([, option], i) => {
    lines.push(...hanging(`  ${signatures[i]!.padEnd(column)}`, optionText(option)));
  });
  if (spec.examples.length > 0) {
    lines.push('', 'Examples:', ...spec.examples.map((example) => `  ${example}`));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The `qualify --help` text: every command of the table with its summary.
 *
 * @example
 * io.stdout.write(renderRootHelp(COMMANDS, '0.1.0'))
 */
export function renderRootHelp(table: Readonly<Record<string, CommandSpec>>, version: string): string {
  const specs = Object.values(table);
  const column = Math.max(...specs.map((s) => s.name.length)) + 2;
  const lines = [
    `qualify (vitest-qualify ${version}): qualify a new LLM release against the model you run`,
    '',
    'Usage: qualify <command> [options]',
    '',
    'Commands:',
    ...specs.flatMap((spec) => hanging(`  ${spec.name.padEnd(column)}`, spec.summary)),
    '',
    'Options:',
    '  -h, --help   Show this help.',
    '  --version    Print the version.',
    '',
    'Run `qualify <command> --help` for the options of a command.',
    'Exit codes: 0 ok, 1 the check said no, 2 usage or config error.',
  ];
  return `${lines.join('\n')}\n`;
}

/** `head` followed by `text` wrapped, continuation lines indented under the text. */
function hanging(head: string, text: string): string[] {
  const [first = '', ...rest] = wrap(text, Math.max(WIDTH - head.length, 30));
  return [head + first, ...rest.map((line) => ' '.repeat(head.length) + line)];
}
