import { readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import type { CommandSpec } from '../../../src/cli/command.js';
import { COMMANDS } from '../../../src/cli/commands.js';
import { renderHelp, wrap } from '../../../src/cli/help.js';
import { REFERENCE_FILE, renderReference } from '../../../src/cli/reference.js';

const spec: CommandSpec = {
  name: 'allow',
  summary: 'Add an allowlist entry.',
  description: 'Appends an entry for the model of the last scorecard; a second reviewer must approve it.',
  positionals: [{ name: 'case', description: 'The case id.', required: true }],
  options: {
    reason: { type: 'string', value: '<text>', description: 'Why the drop is acceptable.' },
    playbook: {
      type: 'string',
      value: '<file>',
      description: 'The playbook.',
      default: 'ops/failure_playbook.md',
    },
    allow: { type: 'string', value: '<path>', multiple: true, description: 'Another path.' },
    force: { type: 'boolean', description: 'Replace an entry.' },
  },
  examples: ['npx qualify allow a --reason "ok"'],
  run: async () => 0,
};

describe('help', () => {
  test('renderHelp: usage, description, arguments, options with defaults, examples', () => {
    expect(renderHelp(spec)).toBe(
      [
        'qualify allow: Add an allowlist entry.',
        '',
        'Usage: qualify allow <case> [options]',
        '',
        'Appends an entry for the model of the last scorecard; a second reviewer must',
        'approve it.',
        '',
        'Arguments:',
        '  <case>  The case id.',
        '',
        'Options:',
        '  --reason <text>    Why the drop is acceptable.',
        '  --playbook <file>  The playbook. Default: ops/failure_playbook.md.',
        '  --allow <path>     Another path. Repeatable.',
        '  --force            Replace an entry.',
        '  --json             Print the result as JSON on stdout, for scripts.',
        '  -h, --help         Show this help.',
        '',
        'Examples:',
        '  npx qualify allow a --reason "ok"',
        '',
      ].join('\n'),
    );
  });

  test('wrap breaks on words within the width', () => {
    expect(wrap('aaa bbb ccc ddd', 7)).toEqual(['aaa bbb', 'ccc ddd']);
    expect(wrap('aaa bbb', 5, '  ')).toEqual(['  aaa', '  bbb']);
  });

  test('every command has a summary, a description and an example; every option a description', () => {
    for (const [name, command] of Object.entries(COMMANDS)) {
      expect(command.name).toBe(name);
      expect(command.summary.length).toBeGreaterThan(10);
      expect(command.description.length).toBeGreaterThan(40);
      expect(command.examples.length).toBeGreaterThan(0);
      for (const option of Object.values(command.options)) expect(option.description).not.toBe('');
    }
  });
});

describe(`${REFERENCE_FILE}`, () => {
  test('is what the command table generates', async () => {
    const committed = await readFile(new URL(`../../../${REFERENCE_FILE}`, import.meta.url), 'utf8').catch(
      () => '',
    );
    expect(
      committed === renderReference(COMMANDS),
      `${REFERENCE_FILE} is stale or missing: run npx tsx scripts/gen-cli-docs.ts`,
    ).toBe(true);
  });

  test('documents each command with its usage and an options table', () => {
    const text = renderReference({ allow: spec });
    expect(text).toContain(
      '\n## qualify allow\n\nAdd an allowlist entry.\n\n```\nqualify allow <case> [options]\n```\n',
    );
    expect(text).toContain('| `--playbook <file>` | The playbook. Default: ops/failure_playbook.md. |');
    expect(text).toContain('| `<case>` | yes | The case id. |');
    expect(text).toContain('| [`allow`](#qualify-allow) | Add an allowlist entry. |');
  });
});
