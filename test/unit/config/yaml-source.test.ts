import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { describeValue } from '../../../src/config/issues.js';
import { formatPath } from '../../../src/internal/data-path.js';
import { parseWithSchema } from '../../../src/config/parse.js';
import { ConfigValidationError, problemAt, sortProblems } from '../../../src/config/problems.js';
import { parseYaml } from '../../../src/config/yaml-source.js';

const TEXT = [
  'a:', //                      1
  '  b:', //                    2
  '  c: &shared [1, 2]', //     3
  '  d: *shared', //            4
  '  e: { f: 1 }', //           5
  'list:', //                   6
  '  - x: 1', //                7
  '  - y', //                   8
  '',
].join('\n');

describe('parseYaml locate', () => {
  const { source } = parseYaml(TEXT, 'f.yaml');

  test.each([
    [['a'], false, { line: 2, col: 3 }],
    [['a'], true, { line: 1, col: 1 }],
    [['a', 'b'], false, { line: 2, col: 3 }],
    [['a', 'c'], false, { line: 3, col: 14 }],
    [['a', 'c'], true, { line: 3, col: 3 }],
    [['a', 'd', 1], false, { line: 3, col: 18 }],
    [['a', 'e', 'f'], false, { line: 5, col: 11 }],
    [['a', 'e', 'f'], true, { line: 5, col: 8 }],
    [['a', 'e', 'missing'], false, { line: 5, col: 6 }],
    [['list', 0, 'x'], false, { line: 7, col: 8 }],
    [['list', 1], false, { line: 8, col: 5 }],
    [['list', 9], false, { line: 7, col: 3 }],
    [['nope', 'deeper'], false, { line: 1, col: 1 }],
  ] as [PropertyKey[], boolean, { line: number; col: number }][])(
    '%j (key: %s) is at %j',
    (path, key, at) => {
      expect(source!.locate(path, { key })).toEqual(at);
    },
  );

  test('the data resolves aliases', () => {
    expect(source!.data).toEqual({
      a: { b: null, c: [1, 2], d: [1, 2], e: { f: 1 } },
      list: [{ x: 1 }, 'y'],
    });
  });

  test('an empty document is null, located at 1:1', () => {
    const { source: empty } = parseYaml('# nothing\n', 'e.yaml');
    expect(empty!.data).toBeNull();
    expect(empty!.locate(['cases'])).toEqual({ line: 1, col: 1 });
  });
});

describe('formatPath and describeValue', () => {
  test.each([
    [[], 'the file'],
    [['thresholds', 'rubric_min_score'], 'thresholds.rubric_min_score'],
    [['cases', 3, 'checks', 0], 'cases[3].checks[0]'],
    [[0, 'case'], '[0].case'],
    [['providers', 'openai-compatible'], 'providers.openai-compatible'],
    [['prices', 'openai:gpt-5', 'input_per_mtok'], 'prices["openai:gpt-5"].input_per_mtok'],
  ] as [PropertyKey[], string][])('%j reads %s', (path, text) => {
    expect(formatPath(path)).toBe(text);
  });

  test.each([
    [undefined, 'nothing'],
    [null, 'an empty value'],
    ['x', '"x"'],
    ['a'.repeat(70), `"${'a'.repeat(57)}..."`],
    [1.5, '1.5'],
    [false, 'false'],
    [[], 'an empty list'],
    [[1], 'a list'],
    [{}, 'an empty map'],
    [{ a: 1 }, 'a map'],
    [new Date('2026-11-20T00:00:00Z'), 'a date (2026-11-20T00:00:00.000Z)'],
  ])('%j is described as %s', (value, text) => {
    expect(describeValue(value)).toBe(text);
  });
});

describe('parseWithSchema', () => {
  const schema = z.strictObject({ name: z.string(), size: z.number().max(3) });

  test('returns the parsed value', () => {
    expect(parseWithSchema(schema, { name: 'a', size: 2 }, 'judge reply')).toEqual({ name: 'a', size: 2 });
  });

  test('with a label only, problems carry no line and column', () => {
    let caught: unknown;
    try {
      parseWithSchema(schema, { name: 1, size: 4, sise: 1 }, 'judge reply');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigValidationError);
    const error = caught as ConfigValidationError;
    expect(error.message).toBe('judge reply: name must be a string; found 1 (+2 more)');
    expect(error.problems.map((p) => [p.message, p.line, p.col, p.key])).toEqual([
      ['judge reply: name must be a string; found 1', undefined, undefined, 'name'],
      ['judge reply: size must be at most 3; found 4', undefined, undefined, 'size'],
      ['judge reply: sise is not a known key; did you mean size?', undefined, undefined, 'sise'],
    ]);
  });
});

describe('sortProblems', () => {
  test('groups by file, preferred files first, then by line and column', () => {
    const problems = [
      problemAt({ file: 'b.yaml', line: 2, col: 1 }, 'b2'),
      problemAt({ file: 'a.yaml', line: 9, col: 1 }, 'a9'),
      problemAt({ file: 'b.yaml', line: 1, col: 5 }, 'b1'),
      problemAt({ file: 'rubric.yaml', line: 3, col: 1 }, 'r3'),
    ];
    expect(sortProblems(problems, ['rubric.yaml']).map((p) => p.problem)).toEqual(['r3', 'b1', 'b2', 'a9']);
  });
});
