/**
 * Bad command-line arguments, through `runCli` (what `bin/qualify.js` calls):
 * exit code 2, one line on stderr naming the problem and the fix, no stack.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { caseResult, scorecardOf } from '../fake-github/scorecards.js';
import { scratch, type Scratch } from '../helpers/scratch.js';
import { fakeIO } from '../unit/cli/io.js';
import { CASES, RUBRIC } from './bad-input/types.js';

/** Arguments a user might type wrong, and the one line each is refused with. */
export const BAD_ARGS: { name: string; argv: string[]; stderr: string; code?: number }[] = [
  {
    name: 'a misspelled command',
    argv: ['promot'],
    stderr: 'qualify: unknown command "promot": did you mean promote? run `qualify --help` for the list',
  },
  {
    name: 'an option before the command',
    argv: ['--json'],
    stderr: 'qualify: --json is not an option of qualify itself; put options after the command',
  },
  {
    name: 'a misspelled option',
    argv: ['init', '--forse'],
    stderr:
      'qualify init: unknown option --forse; did you mean --force? (run `qualify init --help` for its options)',
  },
  {
    name: 'an argument a command does not take',
    argv: ['init', 'extra-arg'],
    stderr: 'qualify init: unexpected argument "extra-arg": qualify init takes no arguments besides options',
  },
  {
    name: 'a missing positional',
    argv: ['allow'],
    stderr:
      'qualify allow: missing <case>: The id of the case that regressed (usage: qualify allow <case> [options])',
  },
  {
    name: 'an option without its value',
    argv: ['allow', 'refund-window', '--reason'],
    stderr:
      'qualify allow: --reason needs a value: --reason <text> (for a value that starts with "-", write --reason=<value>)',
  },
  // A refusal of the request, exit 1 like every refusal of `qualify allow` (the case is not in the scorecard).
  {
    name: 'an allowlist entry for a case the scorecard does not have',
    argv: ['allow', 'refund-windw', '--reason', 'Terser'],
    stderr: 'qualify allow: case refund-windw is not in eval/out/scorecard.json; did you mean refund-window?',
    code: 1,
  },
  {
    name: 'a duration that is not one',
    argv: ['import', 'traces.jsonl', '--since', 'yesterday'],
    stderr:
      'qualify import: --since "yesterday" is not a duration; write a number and s, m, h, d or w (24h, 7d, 90m)',
  },
  {
    name: 'a count that is not a number',
    argv: ['import', 'traces.jsonl', '--max-per-file', 'many'],
    stderr: 'qualify import: --max-per-file "many" must be a whole number of at least 1',
  },
  {
    name: 'a traces file that does not exist',
    argv: ['import', 'missing.jsonl', '--since', '24h'],
    stderr: 'qualify import: cannot read the traces file missing.jsonl: it does not exist',
  },
  {
    name: 'a URL that is not http(s)',
    argv: ['comment', '--artifact-url', 'ftp://example.com/x'],
    stderr: 'qualify comment: --artifact-url "ftp://example.com/x" is not an http(s) URL',
  },
  {
    name: 'a scorecard that does not exist',
    argv: ['rescore', '--scorecard', 'missing.json'],
    stderr:
      'qualify rescore: missing.json: scorecard not found: run the qualification first (`npm run eval`) or pass --scorecard <file>',
  },
  {
    name: 'a required option left out',
    argv: ['preflight'],
    stderr: 'qualify preflight: --model is required: the candidate, e.g. --model anthropic:claude-opus-4-7',
  },
  {
    name: 'a model with an unknown provider',
    argv: ['preflight', '--model', 'opneai:gpt-5'],
    stderr:
      'qualify preflight: "opneai:gpt-5" names an unknown provider "opneai": use one of openai, anthropic, azure, openai-compatible, bedrock, vertex; did you mean openai:gpt-5?',
  },
];

let dir: Scratch;
beforeAll(async () => {
  dir = await scratch();
  await dir.write('rubric.yaml', RUBRIC);
  await dir.write('eval/cases.yaml', CASES);
  await dir.write('traces.jsonl', '');
  await dir.write(
    'eval/out/scorecard.json',
    JSON.stringify(scorecardOf([caseResult('refund-window', 0.88)])),
  );
});
afterAll(async () => {
  await dir[Symbol.asyncDispose]();
});

describe('bad arguments are refused with one line and exit code 2', () => {
  for (const bad of BAD_ARGS) {
    test(bad.name, async () => {
      const io = fakeIO(dir.dir, { env: { GITHUB_TOKEN: 'ghs_bad_args' } });
      const code = await runCli(bad.argv, io);
      expect(code).toBe(bad.code ?? 2);
      expect(io.err()).toBe(`${bad.stderr}\n`);
      expect(
        io
          .err()
          .split('\n')
          .filter((line) => line.startsWith('    at ')),
      ).toEqual([]);
    });
  }
});
