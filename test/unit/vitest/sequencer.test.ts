import { describe, expect, test } from 'vitest';
import { BaseSequencer, type TestSpecification, type Vitest } from 'vitest/node';
import { partRanges } from '../../../src/vitest/parts.js';
import { assignShards, caseCountSequencer, type Weighted } from '../../../src/vitest/sequencer.js';

const load = (modules: readonly Weighted[], ids: readonly string[]) =>
  ids.reduce((sum, id) => sum + modules.find((m) => m.id === id)!.weight, 0);

describe('assignShards', () => {
  test('largest first, each to the lightest shard; ties by id, then the lowest shard', () => {
    const modules = [
      { id: 'c', weight: 10 },
      { id: 'a', weight: 1000 },
      { id: 'b', weight: 1000 },
    ];
    expect(assignShards(modules, 2)).toEqual([['a', 'c'], ['b']]);
    expect(assignShards(modules, 4)).toEqual([['a'], ['b'], ['c'], []]);
  });

  test('the same modules in any order give the same assignment', () => {
    const modules = Array.from({ length: 40 }, (_, i) => ({ id: `m${i}`, weight: (i * 37) % 101 }));
    const reversed = [...modules].reverse();
    expect(assignShards(reversed, 5)).toEqual(assignShards(modules, 5));
  });

  test('a 100,000-case file in parts and 30 small files: shards within one part of each other', () => {
    const modules: Weighted[] = [
      ...partRanges(100_000).map(([a, b], i) => ({ id: `big.part-${i + 1}`, weight: b - a })),
      ...Array.from({ length: 30 }, (_, i) => ({ id: `small-${i}.yaml`, weight: 5 + ((i * 13) % 200) })),
    ];
    const shards = assignShards(modules, 8);
    const loads = shards.map((ids) => load(modules, ids));
    expect(loads.reduce((a, b) => a + b)).toBe(modules.reduce((a, m) => a + m.weight, 0));
    expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1000);
    expect(shards.flat().sort()).toEqual(modules.map((m) => m.id).sort());
  });
});

describe('caseCountSequencer', () => {
  const spec = (name: string, moduleId: string) =>
    ({ project: { name }, moduleId }) as unknown as TestSpecification;
  const vitest = (index: number, count: number) =>
    ({ config: { root: '/repo', shard: { index, count } } }) as unknown as Vitest;

  test("shard() keeps this shard's modules by cases; other projects' modules weigh 1", async () => {
    const weights = new Map([
      ['/repo/eval/big.part-1.yaml', 1000],
      ['/repo/eval/big.part-2.yaml', 1000],
      ['/repo/eval/small.yaml', 3],
    ]);
    const Sequencer = caseCountSequencer(BaseSequencer, (id) => weights.get(id));
    const files = [
      spec('eval', '/repo/eval/small.yaml'),
      spec('eval', '/repo/eval/big.part-2.yaml'),
      spec('unit', '/repo/test/a.test.ts'),
      spec('eval', '/repo/eval/big.part-1.yaml'),
    ];
    const shards = await Promise.all(
      [1, 2].map(async (i) => (await new Sequencer(vitest(i, 2)).shard(files)).map((s) => s.moduleId)),
    );
    expect(shards).toEqual([
      // big.part-1 (1000) and big.part-2 (1000) first, then small (3) to the lower tie, then the unit file (1).
      ['/repo/eval/small.yaml', '/repo/eval/big.part-1.yaml'],
      ['/repo/eval/big.part-2.yaml', '/repo/test/a.test.ts'],
    ]);
    expect(new Sequencer(vitest(1, 2))).toBeInstanceOf(BaseSequencer);
  });
});
