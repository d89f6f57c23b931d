import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { ceilTenth, judgeNoiseHeadroom } from '../../../src/cli/commands/allow/entry.js';
import {
  branchMatchesModel,
  expectedBranch,
  isModelBranch,
} from '../../../src/cli/commands/check-pr/branch-name.js';
import { checkPrFacts, pathMatcher } from '../../../src/cli/commands/check-pr/rules.js';
import { encodeCell, isSeparator, renderRow, splitRow } from '../../../src/cli/playbook/table.js';
import { markdownText } from '../../../src/cli/reference.js';
import { describeChange, diffKeys } from '../../../src/cli/commands/check-pr/rubric-diff.js';
import { schemaHeader } from '../../../src/cli/templates/header.js';
import { yamlScalar } from '../../../src/cli/files/yaml-scalar.js';

describe('pathMatcher (picomatch, posix, dot files)', () => {
  test.each([
    ['eval/cases.yaml', 'eval/cases.yaml', true],
    ['eval/cases.yaml', 'eval/cases.yml', false],
    ['eval/*.yaml', 'eval/a.yaml', true],
    ['eval/*.yaml', 'eval/sub/a.yaml', false],
    ['eval/**/*.yaml', 'eval/a.yaml', true],
    ['eval/**/*.yaml', 'eval/x/y/a.yaml', true],
    ['agents/**', 'agents/a/b.ts', true],
    ['agents/**', 'agentsx/a.ts', false],
    ['./eval/{a,b}.yaml', 'eval/b.yaml', true],
    ['eval/case?.yaml', 'eval/case1.yaml', true],
    ['eval/[!x]*.yaml', 'eval/xa.yaml', false],
    ['eval/a.b+c.yaml', 'eval/a.b+c.yaml', true],
    ['eval/a.b+c.yaml', 'eval/aXb+c.yaml', false],
    ['agents/**', 'agents/.env', true],
    ['eval/cassettes/**/*.jsonl', 'eval/cassettes/openai/gpt-5.jsonl', true],
    ['eval/cassettes/**/*.jsonl', 'eval/cassettes/openai/gpt-5.jsonl.lock', false],
  ])('%s against %s: %s', (glob, file, expected) => {
    expect(pathMatcher([glob])(file)).toBe(expected);
  });

  test('any of several globs; none matches nothing', () => {
    expect(pathMatcher(['eval/**', 'agents/**'])('agents/x.ts')).toBe(true);
    expect(pathMatcher(['eval/**', 'agents/**'])('README.md')).toBe(false);
    expect(pathMatcher([])('README.md')).toBe(false);
  });
});

describe('judgeNoiseHeadroom', () => {
  test.each([
    [1, 4.1],
    [3, 2.4],
    [5, 1.8],
    [10, 1.3],
  ])(
    'judge_samples %s: %s points, the std of the difference column of docs/scoring.md',
    (samples, points) => {
      expect(judgeNoiseHeadroom(samples)).toBe(points);
    },
  );
});

describe('branch names', () => {
  test.each([
    ['anthropic:claude-opus-4-7', 'model/anthropic-claude-opus-4-7'],
    ['openai:gpt-5.1', 'model/openai-gpt-5-1'],
    ['openai-compatible:meta-llama/Llama-3.1:8b', 'model/openai-compatible-meta-llama-llama-3-1-8b'],
  ])('%s -> %s', (model, branch) => {
    expect(expectedBranch(model)).toBe(branch);
    expect(branchMatchesModel(branch, model)).toBe(true);
  });

  test('matching ignores case and how separators are written; other branches never match', () => {
    expect(branchMatchesModel('model/openai-gpt-5.1', 'openai:gpt-5.1')).toBe(true);
    expect(branchMatchesModel('model/OpenAI_GPT-5-1', 'openai:gpt-5.1')).toBe(true);
    expect(branchMatchesModel('model/openai-gpt-5', 'openai:gpt-5.1')).toBe(false);
    expect(branchMatchesModel('feature/openai-gpt-5-1', 'openai:gpt-5.1')).toBe(false);
    expect(isModelBranch('models/openai-gpt-5')).toBe(false);
  });
});

describe('diffKeys', () => {
  test('names every differing leaf by its path, added and removed keys too', () => {
    const before = parse(
      'judge: openai:gpt-5\nthresholds: { ragas: 0.78 }\ncases: [a.yaml, b.yaml]\nrepeats: 1\n',
    );
    const after = parse(
      'judge: openai:gpt-5\nthresholds: { ragas: { faithfulness: 0.8 } }\ncases: [a.yaml]\nprices: {}\n',
    );
    expect(diffKeys(before, after).map((c) => `${c.key} ${describeChange(c)}`)).toEqual([
      'thresholds.ragas changed from 0.78 to a map',
      'cases[1] was removed (it was "b.yaml")',
      'prices was added (an empty map)',
      'repeats was removed (it was 1)',
    ]);
    expect(diffKeys(before, before)).toEqual([]);
  });

  test('keys that need quoting are quoted', () => {
    const changes = diffKeys({ prices: { 'openai:gpt-5': 1 } }, { prices: { 'openai:gpt-5': 2 } });
    expect(changes.map((c) => c.key)).toEqual(['prices["openai:gpt-5"]']);
  });
});

describe('small helpers', () => {
  test.each([
    [2.3, 2.3],
    [2.31, 2.4],
    [2.3000000001, 2.3],
    [0.01, 0.1],
    [2.95, 3],
  ])('ceilTenth(%s) = %s', (points, expected) => {
    expect(ceilTenth(points)).toBe(expected);
  });

  test.each([
    ['openai:gpt-5', 'openai:gpt-5'],
    ['2026-11-27', '2026-11-27'],
    ['refund-window.v2', 'refund-window.v2'],
    ['true', '"true"'],
    ['1.5', '"1.5"'],
    ['has space', '"has space"'],
    ['a # b', '"a # b"'],
    ['https://x.example/a', '"https://x.example/a"'],
  ])('yamlScalar(%s) = %s, which reads back as the same string', (text, scalar) => {
    expect(yamlScalar(text)).toBe(scalar);
    expect(parse(`k: ${scalar}`)).toEqual({ k: text });
  });

  test('table rows: split with escaped pipes, render escaped, separators', () => {
    expect(splitRow('| primary | a\\|b | 50 |')).toEqual(['primary', 'a|b', '50']);
    expect(splitRow('not a row')).toBeUndefined();
    expect(renderRow(['a|b', 'c'])).toBe('| a\\|b | c |');
    expect(encodeCell('x\ny')).toBe('x y');
    expect(isSeparator([':---', '---:', ':---:'])).toBe(true);
    expect(isSeparator(['--', '---'])).toBe(false);
  });

  test('schema headers are relative to the file', () => {
    expect(schemaHeader('rubric.yaml', 'rubric')).toBe(
      '# yaml-language-server: $schema=./node_modules/vitest-qualify/schemas/rubric.schema.json',
    );
    expect(schemaHeader('config/eval/allow.yaml', 'allowlist')).toBe(
      '# yaml-language-server: $schema=../../node_modules/vitest-qualify/schemas/allowlist.schema.json',
    );
  });

  test('markdownText escapes HTML and emphasis outside code spans', () => {
    expect(markdownText('agents/** and <!-- x --> but `<!-- y -->` and `a/**`')).toBe(
      'agents/\\*\\* and &lt;!-- x --> but `<!-- y -->` and `a/**`',
    );
  });
});

describe('checkPrFacts', () => {
  const facts = {
    branch: 'model/openai-gpt-5',
    rubricFile: 'rubric.yaml',
    base: { model_primary: 'openai:gpt-4o' },
    head: { model_primary: 'openai:gpt-5' },
    headModel: 'openai:gpt-5',
    allowed: ['rubric.yaml', 'eval/baseline.json'],
    extra: ['eval/notes.md'],
    protected: [{ glob: 'eval/**', what: 'is a case file rubric.yaml names' }],
    modelCommits: [],
  };

  test('the files of the discipline are never protected; --allow never unprotects', () => {
    const verdict = checkPrFacts({
      ...facts,
      changed: ['eval/baseline.json', 'eval/notes.md', 'rubric.yaml'],
    });
    expect(verdict.violations.map((v) => `${v.rule} ${v.file}`)).toEqual(['protected-path eval/notes.md']);
  });

  test('a model branch that changes nothing else passes', () => {
    expect(checkPrFacts({ ...facts, changed: ['rubric.yaml'] })).toEqual({
      ok: true,
      qualification: true,
      violations: [],
      summary: 'qualification PR model/openai-gpt-5: only allowed changes (rubric.yaml)',
    });
  });
});
