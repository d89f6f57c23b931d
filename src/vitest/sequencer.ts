import path from 'node:path';
import type { BaseSequencer, TestSequencerConstructor, TestSpecification } from 'vitest/node';

/** A test module and what it weighs: its cases in scope (a module that is not ours weighs 1). */
export interface Weighted {
  id: string;
  weight: number;
}

/**
 * Which modules each of `count` shards runs: greedy largest first over the modules sorted by id
 * (ties by id), each to the shard with the least weight so far (ties to the lowest shard). Pure and
 * deterministic, so every shard process computes the same assignment from the same modules; the
 * loads differ by at most the heaviest module (one part, CASES_PER_PART cases).
 * @internal
 *
 * @example
 * assignShards([{ id: 'a', weight: 1000 }, { id: 'b', weight: 1000 }, { id: 'c', weight: 10 }], 2)
 * // [['a', 'c'], ['b']]
 */
export function assignShards(modules: readonly Weighted[], count: number): string[][] {
  const order = [...modules].sort((a, b) => b.weight - a.weight || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const shards = Array.from({ length: count }, () => ({ load: 0, ids: [] as string[] }));
  for (const module of order) {
    let lightest = shards[0]!;
    for (const shard of shards) if (shard.load < lightest.load) lightest = shard;
    lightest.load += module.weight;
    lightest.ids.push(module.id);
  }
  return shards.map((shard) => shard.ids.sort());
}

/**
 * A sequencer that shards by case count: Vitest's own (`BaseSequencer`, passed in since it is a
 * runtime value of `vitest/node`, imported only when a run is sharded) with `shard()` replaced by
 * `assignShards`; `sort()` is Vitest's. `weight` says what a module (absolute id) weighs, undefined
 * for a module of another project, which weighs 1.
 * @internal
 */
export function caseCountSequencer(
  Base: typeof BaseSequencer,
  weight: (moduleId: string) => number | undefined,
): TestSequencerConstructor {
  return class CaseCountSequencer extends Base {
    override async shard(files: TestSpecification[]): Promise<TestSpecification[]> {
      const { root, shard } = this.ctx.config;
      const { index, count } = shard!;
      // By the path from the root: shards on runners with different checkout folders agree.
      const key = (spec: TestSpecification): string =>
        `${spec.project.name}\0${path.relative(root, spec.moduleId).split(path.sep).join('/')}`;
      const modules = files.map((spec) => ({
        id: key(spec),
        weight: weight(path.resolve(spec.moduleId)) ?? 1,
      }));
      const mine = new Set(assignShards(modules, count)[index - 1]);
      return files.filter((spec) => mine.has(key(spec)));
    }
  };
}
