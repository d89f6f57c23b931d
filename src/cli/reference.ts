import type { CommandSpec } from './command.js';
import { optionSignature, optionText } from './help.js';
import { commandOptions, usageLine } from './args/parse-args.js';

/** Where the reference is written, relative to the repository root. */
export const REFERENCE_FILE = 'docs/cli.md';

/**
 * Text as markdown that shows it as written: outside code spans, `<` (HTML and
 * comments) and `*` (emphasis) are escaped.
 *
 * @example
 * markdownText('agents/** and <!-- x -->') // 'agents/\\*\\* and &lt;!-- x -->'
 */
export function markdownText(text: string): string {
  return text
    .split(/(`[^`]*`)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/</g, '&lt;').replace(/\*/g, '\\*')))
    .join('');
}

const cell = (text: string) => markdownText(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');

/**
 * The command-line reference (`docs/cli.md`), generated from the command table
 * (pure: returns markdown). `scripts/gen-cli-docs.ts` writes it; a test fails
 * when the committed file drifts from the table.
 *
 * @example
 * await writeFile('docs/cli.md', renderReference(COMMANDS))
 */
export function renderReference(table: Readonly<Record<string, CommandSpec>>): string {
  const specs = Object.values(table);
  const out: string[] = [
    '# `qualify` command reference',
    '',
    '<!-- Generated from src/cli/commands.ts by `npx tsx scripts/gen-cli-docs.ts`: do not edit by hand. -->',
    '',
    'The `qualify` command ships with vitest-qualify (`npx qualify <command>`). Every command reads and',
    'writes files relative to the current directory, takes `--json` (a machine-readable result on stdout)',
    'and `--help`, and exits with 0 when all is well, 1 when the check said no, 2 on a usage or',
    'configuration error (one line on stderr naming the file, the key and the fix; set `QUALIFY_DEBUG=1`',
    'for the stack of an unexpected error).',
    '',
    '| command | what it does |',
    '| --- | --- |',
    ...specs.map((spec) => `| [\`${spec.name}\`](#qualify-${spec.name}) | ${cell(spec.summary)} |`),
  ];
  for (const spec of specs) {
    out.push('', `## qualify ${spec.name}`, '', cell(spec.summary), '', '```', usageLine(spec), '```');
    out.push('', markdownText(spec.description));
    if (spec.positionals.length > 0) {
      out.push('', '| argument | required | description |', '| --- | --- | --- |');
      for (const p of spec.positionals) {
        out.push(`| \`<${p.name}>\` | ${p.required ? 'yes' : 'no'} | ${cell(p.description)} |`);
      }
    }
    out.push('', '| option | description |', '| --- | --- |');
    for (const [name, option] of Object.entries(commandOptions(spec))) {
      out.push(
        `| \`${optionSignature(name, option).replace(/\|/g, '\\|')}\` | ${cell(optionText(option))} |`,
      );
    }
    if (spec.examples.length > 0) out.push('', '```sh', ...spec.examples, '```');
  }
  return `${out.join('\n')}\n`;
}
