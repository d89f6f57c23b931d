import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  CASES_PER_PART,
  excludeForParts,
  includeWithParts,
  partCount,
  partRanges,
  planParts,
  stubPath,
  useParts,
} from '../../../src/vitest/parts.js';
import { scratch } from '../../helpers/scratch.js';

const cases = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ id: `${prefix}-${i}` }));

describe('partRanges', () => {
  test.each([
    [1, [[0, 1]]],
    [1000, [[0, 1000]]],
    [
      1001,
      [
        [0, 501],
        [501, 1001],
      ],
    ],
    [
      2500,
      [
        [0, 834],
        [834, 1667],
        [1667, 2500],
      ],
    ],
    [
      3000,
      [
        [0, 1000],
        [1000, 2000],
        [2000, 3000],
      ],
    ],
  ])('%i cases', (n, ranges) => {
    expect(partRanges(n)).toEqual(ranges);
  });

  test('contiguous, covering every case once, lengths differing by at most one', () => {
    for (const n of [1, 999, 1000, 1001, 4321, 100_000, 100_001]) {
      const ranges = partRanges(n);
      expect(ranges).toHaveLength(partCount(n));
      expect(ranges[0]![0]).toBe(0);
      expect(ranges.at(-1)![1]).toBe(n);
      for (let i = 1; i < ranges.length; i++) expect(ranges[i]![0]).toBe(ranges[i - 1]![1]);
      const lengths = ranges.map(([a, b]) => b - a);
      expect(Math.max(...lengths) - Math.min(...lengths)).toBeLessThanOrEqual(1);
      expect(Math.max(...lengths)).toBeLessThanOrEqual(CASES_PER_PART);
    }
  });

  test('an empty file is one module', () => {
    expect(partCount(0)).toBe(1);
    expect(partRanges(0)).toEqual([[0, 0]]);
  });
});

describe('planParts', () => {
  test('splits only the files of more than 1,000 cases, stubs named after the source', () => {
    const byFile = new Map([
      ['/repo/eval/small.yaml', cases('s', 1000)],
      ['/repo/eval/big.yaml', cases('b', 2001)],
    ]);
    const parts = planParts('/repo', byFile);
    expect([...parts.entries()]).toEqual([
      [
        '/repo/node_modules/.vitest-qualify/parts/eval/big.yaml.part-1-of-3.yaml',
        { source: '/repo/eval/big.yaml', index: 1, count: 3, start: 0, end: 667 },
      ],
      [
        '/repo/node_modules/.vitest-qualify/parts/eval/big.yaml.part-2-of-3.yaml',
        { source: '/repo/eval/big.yaml', index: 2, count: 3, start: 667, end: 1334 },
      ],
      [
        '/repo/node_modules/.vitest-qualify/parts/eval/big.yaml.part-3-of-3.yaml',
        { source: '/repo/eval/big.yaml', index: 3, count: 3, start: 1334, end: 2001 },
      ],
    ]);
  });

  test('a source outside the root keeps its stub inside the parts folder', () => {
    expect(
      stubPath('/repo/app', { source: '/repo/shared/c.yaml', index: 1, count: 2, start: 0, end: 1 }),
    ).toBe('/repo/app/node_modules/.vitest-qualify/parts/__/shared/c.yaml.part-1-of-2.yaml');
  });
});

describe('includeWithParts and excludeForParts', () => {
  const parts = planParts('/repo', new Map([['/repo/eval/big.yaml', cases('b', 1500)]]));

  test('a split file is replaced by its stubs in place; every other entry stays', () => {
    expect(includeWithParts('/repo', ['eval/a.yaml', 'eval/big.yaml', 'eval/z.yaml'], parts)).toEqual([
      'eval/a.yaml',
      'node_modules/.vitest-qualify/parts/eval/big.yaml.part-1-of-2.yaml',
      'node_modules/.vitest-qualify/parts/eval/big.yaml.part-2-of-2.yaml',
      'eval/z.yaml',
    ]);
  });

  test("Vitest's default node_modules exclude would drop the stubs: it goes, the others stay", () => {
    const stubs = ['node_modules/.vitest-qualify/parts/eval/big.yaml.part-1-of-2.yaml'];
    expect(excludeForParts(['**/node_modules/**', '**/.git/**', 'eval/skip.yaml'], stubs)).toEqual([
      '**/.git/**',
      'eval/skip.yaml',
    ]);
  });
});

describe('useParts', () => {
  test('writes the stubs, removes stale ones, points include at them and weighs modules by cases in scope', async () => {
    await using dir = await scratch();
    const root = dir.dir;
    const big = path.join(root, 'eval/big.yaml');
    const small = path.join(root, 'eval/small.yaml');
    await dir.write('node_modules/.vitest-qualify/parts/eval/big.yaml.part-1-of-5.yaml', '# old\n');
    await dir.write('node_modules/.vitest-qualify/parts/eval/removed.yaml.part-2-of-2.yaml', '# old\n');
    const config = { include: ['eval/big.yaml', 'eval/small.yaml'], exclude: ['**/node_modules/**'] };
    const byFile = new Map([
      [big, cases('b', 2000)],
      [small, cases('s', 3)],
    ]);
    const index = await useParts(
      root,
      config,
      byFile,
      new Map([[big, 'abc123']]),
      (c) => !c.id.endsWith('-0'),
    );

    const stubDir = path.join(root, 'node_modules/.vitest-qualify/parts/eval');
    expect((await readdir(stubDir)).sort()).toEqual([
      'big.yaml.part-1-of-2.yaml',
      'big.yaml.part-2-of-2.yaml',
    ]);
    expect(await readFile(path.join(stubDir, 'big.yaml.part-2-of-2.yaml'), 'utf8')).toBe(
      '# Generated by vitest-qualify: part 2 of 2 of eval/big.yaml, its cases 1001 to 2000. Edit eval/big.yaml, not this file.\n' +
        '# source: eval/big.yaml\n# cases: 1000-2000\n# sha256: abc123\n',
    );
    expect(config).toEqual({
      include: [
        'node_modules/.vitest-qualify/parts/eval/big.yaml.part-1-of-2.yaml',
        'node_modules/.vitest-qualify/parts/eval/big.yaml.part-2-of-2.yaml',
        'eval/small.yaml',
      ],
      exclude: [],
    });
    // b-0 and s-0 are out of scope.
    expect(Object.fromEntries([...index.weights].map(([f, w]) => [path.relative(root, f), w]))).toEqual({
      'eval/big.yaml': 1999,
      'eval/small.yaml': 2,
      'node_modules/.vitest-qualify/parts/eval/big.yaml.part-1-of-2.yaml': 999,
      'node_modules/.vitest-qualify/parts/eval/big.yaml.part-2-of-2.yaml': 1000,
    });
  });

  test('no file over 1,000 cases: no parts, include and exclude untouched, old stubs removed', async () => {
    await using dir = await scratch();
    const old = await dir.write(
      'node_modules/.vitest-qualify/parts/eval/big.yaml.part-1-of-2.yaml',
      '# old\n',
    );
    const config = { include: ['eval/big.yaml'], exclude: ['**/node_modules/**'] };
    const index = await useParts(
      dir.dir,
      config,
      new Map([[path.join(dir.dir, 'eval/big.yaml'), cases('b', 1000)]]),
      new Map(),
      () => true,
    );
    expect(index.parts.size).toBe(0);
    expect(config).toEqual({ include: ['eval/big.yaml'], exclude: ['**/node_modules/**'] });
    expect(await readdir(path.dirname(old))).toEqual([]);
  });
});
