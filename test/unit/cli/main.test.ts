import { readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import type { CommandSpec, ParsedOptions } from '../../../src/cli/command.js';
import { runCli } from '../../../src/cli/main.js';
import { ConfigError } from '../../../src/errors.js';
import { fakeIO } from './io.js';

const pkg = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

/** A command that records what it was given and does what `behaviour` says. */
function probe(behaviour: () => Promise<0 | 1 | 2> = async () => 0) {
  const seen: { positionals: string[]; options: ParsedOptions }[] = [];
  const spec: CommandSpec = {
    name: 'probe',
    summary: 'Record the arguments.',
    description: 'A command for tests.',
    positionals: [{ name: 'target', description: 'What to probe.', required: true }],
    options: {
      base: { type: 'string', value: '<ref>', description: 'A ref.' },
      allow: { type: 'string', value: '<path>', multiple: true, description: 'A path.' },
      level: { type: 'string', value: '<n>', description: 'A level.', default: '3' },
      force: { type: 'boolean', short: 'f', description: 'Force.' },
    },
    examples: [],
    async run(args) {
      seen.push(args);
      return behaviour();
    },
  };
  return { seen, table: { probe: spec } };
}

async function run(argv: string[], table: Record<string, CommandSpec>, env: Record<string, string> = {}) {
  const io = fakeIO('/nowhere', { env });
  const code = await runCli(argv, io, table);
  return { code, out: io.out(), err: io.err() };
}

describe('runCli: dispatch', () => {
  test('--version prints the package version', async () => {
    const { table } = probe();
    expect(await run(['--version'], table)).toEqual({ code: 0, out: `${pkg.version}\n`, err: '' });
  });

  test('--help, -h and help list the commands on stdout; no command is a usage error', async () => {
    const { table } = probe();
    for (const argv of [['--help'], ['-h'], ['help']]) {
      const { code, out } = await run(argv, table);
      expect(code).toBe(0);
      expect(out.split('\n').slice(0, 6)).toEqual([
        `qualify (vitest-qualify ${pkg.version}): qualify a new LLM release against the model you run`,
        '',
        'Usage: qualify <command> [options]',
        '',
        'Commands:',
        '  probe  Record the arguments.',
      ]);
    }
    const none = await run([], table);
    expect(none.code).toBe(2);
    expect(none.out).toBe('');
    expect(none.err).toContain('Usage: qualify <command> [options]');
  });

  test('an unknown command names the nearest one', async () => {
    const { table } = probe();
    expect(await run(['prboe'], table)).toEqual({
      code: 2,
      out: '',
      err: 'qualify: unknown command "prboe": did you mean probe? run `qualify --help` for the list\n',
    });
  });

  test('parses options from the table: strings, repeatable lists, flags, short flags, defaults', async () => {
    const { seen, table } = probe();
    const { code } = await run(['probe', 'x', '--base', 'main', '--allow', 'a', '--allow=b', '-f'], table);
    expect(code).toBe(0);
    expect(seen).toEqual([
      { positionals: ['x'], options: { base: 'main', allow: ['a', 'b'], force: true, level: '3' } },
    ]);
  });

  test('<command> --help and help <command> print the command help, whatever else is on the line', async () => {
    const { seen, table } = probe();
    const a = await run(['probe', '--bogus', '--help'], table);
    const b = await run(['help', 'probe'], table);
    expect(a.code).toBe(0);
    expect(a.out.split('\n')[0]).toBe('qualify probe: Record the arguments.');
    expect(b).toEqual(a);
    expect(seen).toEqual([]);
  });

  test.each([
    [
      ['probe', 'x', '--bse', 'main'],
      'unknown option --bse; did you mean --base? (run `qualify probe --help` for its options)',
    ],
    [
      ['probe', 'x', '--base'],
      '--base needs a value: --base <ref> (for a value that starts with "-", write --base=<value>)',
    ],
    [
      ['probe', 'x', '--base', '--force'],
      '--base needs a value: --base <ref> (for a value that starts with "-", write --base=<value>)',
    ],
    [['probe', 'x', '--force=yes'], '--force is a flag and takes no value; write --force alone'],
    [['probe'], 'missing <target>: What to probe (usage: qualify probe <target> [options])'],
    [['probe', 'x', 'y'], 'unexpected argument "y": qualify probe takes <target>'],
  ])('%j is a usage error', async (argv, message) => {
    const { seen, table } = probe();
    expect(await run(argv, table)).toEqual({ code: 2, out: '', err: `qualify probe: ${message}\n` });
    expect(seen).toEqual([]);
  });

  test('a value that starts with "-" is accepted written --option=value', async () => {
    const { seen, table } = probe();
    await run(['probe', 'x', '--base=-rc'], table);
    expect(seen[0]?.options['base']).toBe('-rc');
  });
});

describe('runCli: errors and exit codes', () => {
  test('the exit code is the command’s', async () => {
    const { table } = probe(async () => 1);
    expect((await run(['probe', 'x'], table)).code).toBe(1);
  });

  test('a config error is one line on stderr, exit 2, no stack', async () => {
    const { table } = probe(async () => {
      throw new ConfigError({ file: 'rubric.yaml', line: 3, col: 1 }, 'judge is required; expected a string');
    });
    expect(await run(['probe', 'x'], table)).toEqual({
      code: 2,
      out: '',
      err: 'qualify probe: rubric.yaml:3:1: judge is required; expected a string\n',
    });
  });

  test('with --json the error is also a JSON object on stdout', async () => {
    const { table } = probe(async () => {
      throw new ConfigError({ file: 'rubric.yaml' }, 'file not found');
    });
    const { code, out } = await run(['probe', 'x', '--json'], table);
    expect(code).toBe(2);
    expect(JSON.parse(out)).toEqual({
      ok: false,
      error: { code: 'E_CONFIG', message: 'rubric.yaml: file not found' },
    });
  });

  test('an unexpected error says so and hides the stack unless QUALIFY_DEBUG=1', async () => {
    const { table } = probe(async () => {
      throw new TypeError('cannot read properties of undefined');
    });
    expect(await run(['probe', 'x'], table)).toEqual({
      code: 2,
      out: '',
      err: 'qualify probe: unexpected error: cannot read properties of undefined (set QUALIFY_DEBUG=1 for the stack trace)\n',
    });
    const debug = await run(['probe', 'x'], table, { QUALIFY_DEBUG: '1' });
    const lines = debug.err.split('\n');
    expect(lines[0]).toBe('qualify probe: unexpected error: cannot read properties of undefined');
    expect(lines[1]).toBe('TypeError: cannot read properties of undefined');
    expect(lines[2]).toMatch(/^ {4}at /);
  });
});
