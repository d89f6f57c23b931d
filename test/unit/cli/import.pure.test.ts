import { createHash } from 'node:crypto';
import { parse } from 'yaml';
import { describe, expect, test } from 'vitest';
import { caseIdOf, normalisedInput } from '../../../src/cli/commands/import/case-id.js';
import { HashSet48 } from '../../../src/cli/commands/import/id-set.js';
import { importOptions, parseDuration } from '../../../src/cli/commands/import/options.js';
import { Reservoir, seededRandom } from '../../../src/cli/commands/import/sample.js';
import { caseYaml, partName } from '../../../src/cli/commands/import/shard-writer.js';

describe('options', () => {
  test.each([
    ['90m', 5_400_000],
    ['24h', 86_400_000],
    ['7d', 604_800_000],
    ['2w', 1_209_600_000],
    ['30s', 30_000],
    ['1.5h', 5_400_000],
  ])('--since %s is %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  test.each([['24'], ['h'], ['-1h'], ['0h'], ['1y']])('--since %s is refused', (text) => {
    expect(() => parseDuration(text)).toThrow(
      `--since ${JSON.stringify(text)} is not a duration; write a number and s, m, h, d or w (24h, 7d, 90m)`,
    );
  });

  test('defaults, and every option read', () => {
    expect(importOptions(['t.jsonl'], {})).toEqual({
      traces: 't.jsonl',
      sinceMs: undefined,
      sinceText: undefined,
      sample: undefined,
      seed: 1,
      out: 'eval/cases/imported',
      redact: false,
      maxPerFile: 500,
      tags: [],
      strict: false,
      rubric: 'rubric.yaml',
      json: false,
    });
    expect(
      importOptions(['t.jsonl'], {
        since: '7d',
        sample: '20',
        seed: '0',
        out: 'x',
        redact: true,
        'max-per-file': '10',
        tags: 'a, b,,c',
        strict: true,
        json: true,
      }),
    ).toMatchObject({
      sinceMs: 604_800_000,
      sample: 20,
      seed: 0,
      out: 'x',
      redact: true,
      maxPerFile: 10,
      tags: ['a', 'b', 'c'],
    });
  });

  test.each([
    [[], {}, 'name the traces file: qualify import <traces.jsonl> [--since 24h]'],
    [['a', 'b'], {}, 'qualify import takes one traces file, got 2: a b'],
    [['a'], { sample: '0' }, '--sample "0" must be a whole number of at least 1'],
    [['a'], { 'max-per-file': '2.5' }, '--max-per-file "2.5" must be a whole number of at least 1'],
    [['a'], { seed: '-3' }, '--seed "-3" must be a whole number of at least 0'],
    [['a'], { out: true }, '--out needs a value'],
  ])('%o %o: %s', (positionals, options, message) => {
    expect(() => importOptions(positionals, options)).toThrow(message);
  });
});

describe('case ids', () => {
  test('trace- and the first 12 hex digits of the sha256 of the normalised input', () => {
    const messages = [{ role: 'user' as const, content: 'Can I return shoes?' }];
    const hash = createHash('sha256').update('[["user","Can I return shoes?"]]').digest('hex');
    expect(caseIdOf(messages)).toBe(`trace-${hash.slice(0, 12)}`);
  });

  test('whitespace and Unicode normalisation do not change the id; the role and the words do', () => {
    const id = caseIdOf([{ role: 'user', content: 'Café  au\nlait?' }]);
    expect(caseIdOf([{ role: 'user', content: '  Cafe\u0301 au lait? ' }])).toBe(id);
    expect(caseIdOf([{ role: 'system', content: 'Café au lait?' }])).not.toBe(id);
    expect(caseIdOf([{ role: 'user', content: 'Café au lait!' }])).not.toBe(id);
    expect(normalisedInput([{ role: 'user', content: ' a \t b ' }])).toBe('[["user","a b"]]');
  });
});

describe('HashSet48', () => {
  test('adds, finds and counts 50,000 ids across many growths', () => {
    const set = new HashSet48(4);
    const hex = (i: number): string => createHash('sha256').update(String(i)).digest('hex').slice(0, 12);
    for (let i = 0; i < 50_000; i++) expect(set.add(hex(i))).toBe(true);
    for (let i = 0; i < 50_000; i += 997) expect(set.add(hex(i))).toBe(false);
    expect(set.size).toBe(50_000);
    expect(set.has(hex(123))).toBe(true);
    expect(set.has(hex(50_001))).toBe(false);
    expect(() => set.add('XYZ')).toThrow('not 12 lower-case hex digits: XYZ');
  });
});

describe('Reservoir', () => {
  const draw = (size: number, seed: number, n: number): number[] => {
    const r = new Reservoir<number>(size, seed);
    for (let i = 0; i < n; i++) r.offer(i);
    return r.items();
  };

  test('the same seed gives the same sample; another seed another; in arrival order', () => {
    const a = draw(10, 1, 1000);
    expect(draw(10, 1, 1000)).toEqual(a);
    expect(a).toHaveLength(10);
    expect([...a].sort((x, y) => x - y)).toEqual(a);
    expect(draw(10, 2, 1000)).not.toEqual(a);
    expect(seededRandom(1)()).toBe(0.6270739405881613);
  });

  test('fewer items than the size: all of them', () => {
    expect(draw(10, 1, 4)).toEqual([0, 1, 2, 3]);
  });

  test('is uniform: each of 20 items lands in a sample of 5 about a quarter of the time', () => {
    const hits = new Array<number>(20).fill(0);
    for (let seed = 0; seed < 4000; seed++) for (const i of draw(5, seed, 20)) hits[i]! += 1;
    for (const h of hits) expect(h / 4000).toBeGreaterThan(0.2);
    for (const h of hits) expect(h / 4000).toBeLessThan(0.3);
  });
});

describe('case YAML', () => {
  test('a case is a list item under cases:, and reads back to the same value', () => {
    const value = {
      id: 'trace-0123456789ab',
      tags: ['a'],
      input: 'line one\n  indented: "quoted" # not a comment\n\nlast: [x]',
      context: ['- dash', '*star', '@at', 'yes', '0x1F'],
      criteria: [{ id: 'answers-request', text: 'Answers', weight: 1 }],
      metadata: { imported: { from: 't.jsonl', line: 3 }, n: null, empty: '' },
    };
    const text = caseYaml(value);
    expect(text.startsWith('  - id: trace-0123456789ab\n    tags:\n')).toBe(true);
    expect(parse(`cases:\n${text}${caseYaml({ ...value, id: 'trace-second' })}`)).toEqual({
      cases: [value, { ...value, id: 'trace-second' }],
    });
    expect(partName(1)).toBe('part-0001.cases.yaml');
    expect(partName(12345)).toBe('part-12345.cases.yaml');
  });
});
