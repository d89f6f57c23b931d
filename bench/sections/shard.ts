/**
 * Section 5: sharding. The largest checks-only scale workload as N shards
 * (`--shard=i/N --reporter=blob`, run one after another here; on CI they run on
 * N machines at once) and `--merge-reports`: the merged scorecard must equal
 * the unsharded one but for times; the merge step's time and memory.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Scorecard } from '../../src/scorecard/types.js';
import { stable } from '../../test/e2e/harness.js';
import type { BenchProject } from '../fixture.js';
import { MB, measuredRun, progress, type Measured } from '../measure.js';
import type { Plan } from '../plan.js';
import type { Section } from '../report.js';
import { startWorld } from '../world.js';

/**
 * Run section 5 on the project the scale section kept, against its unsharded scorecard.
 *
 * @example
 * const section = await shardSection(FULL_PLAN, scale.largest, scale.largestRuns[0].card)
 */
export async function shardSection(
  plan: Plan,
  project: BenchProject,
  unsharded: Scorecard,
): Promise<Section> {
  const { shards } = plan.shard;
  const repeats = Math.min(plan.runs, plan.shard.runs);
  await using world = await startWorld(0);
  const shardRuns: Measured[][] = [];
  const merges: Measured[] = [];
  const identical: number[] = [];
  const expected = JSON.stringify(stable(unsharded));
  for (let i = 0; i < repeats; i++) {
    await rm(path.join(project.dir, '.vitest-reports'), { recursive: true, force: true });
    await rm(path.join(project.dir, 'eval/out'), { recursive: true, force: true });
    const runs: Measured[] = [];
    for (let k = 1; k <= shards; k++) {
      progress(`shard: run ${i + 1}/${repeats}, shard ${k}/${shards}`);
      const args = ['run', '--project', 'eval', `--shard=${k}/${shards}`, '--reporter=blob'];
      runs.push(await measuredRun(project, world, args, world.env()));
    }
    shardRuns.push(runs);
    progress(`shard: run ${i + 1}/${repeats}, merge`);
    const merge = await measuredRun(
      project,
      world,
      ['run', '--project', 'eval', '--merge-reports'],
      world.env(),
    );
    merges.push(merge);
    identical.push(merge.card && JSON.stringify(stable(merge.card)) === expected ? 1 : 0);
  }
  const s = (ms: number) => ms / 1000;
  const cases = unsharded.cases.length.toLocaleString('en-US');
  return {
    title: '5. Sharding',
    setup:
      `The ${cases}-case checks-only workload of section 3 as ${shards} shards (\`--shard=i/${shards} ` +
      '--reporter=blob`, one after another on this machine) and a `--merge-reports` run, which computes the ' +
      "scorecard from the blobs. The merged scorecard is compared with the unsharded run's, times, dates, commit " +
      `and branch aside. Every figure is over ${repeats} repetition(s) of the ${shards} shards and the merge.`,
    figures: [
      {
        name: 'merged scorecard equals the unsharded one (1 = yes)',
        unit: '',
        values: identical,
        digits: 0,
        target: { op: '=', value: 1 },
      },
      { name: 'merge step: whole process', unit: 's', values: merges.map((m) => s(m.cost.wallMs)) },
      {
        name: 'merge step: peak RSS of the process tree',
        unit: 'MB',
        values: merges.map((m) => m.cost.peakRssBytes / MB),
        digits: 0,
        // Issue 16: the merge job of a day of traffic fits a standard runner.
        target: { op: '<=', value: 1024 },
      },
      { name: 'merge step: CPU', unit: 's', values: merges.map((m) => s(m.cost.cpuMs)) },
      {
        name: 'slowest shard: whole process',
        unit: 's',
        values: shardRuns.map((runs) => Math.max(...runs.map((r) => s(r.cost.wallMs)))),
      },
      {
        name: 'slowest shard + merge (wall time with shards on parallel runners)',
        unit: 's',
        values: shardRuns.map(
          (runs, i) => Math.max(...runs.map((r) => s(r.cost.wallMs))) + s(merges[i]!.cost.wallMs),
        ),
      },
      {
        name: 'largest shard: peak RSS of the process tree',
        unit: 'MB',
        values: shardRuns.map((runs) => Math.max(...runs.map((r) => r.cost.peakRssBytes / MB))),
        digits: 0,
      },
      {
        name: 'model calls over all shards',
        unit: '',
        values: shardRuns.map((runs) => runs.reduce((sum, r) => sum + r.log.length, 0)),
        digits: 0,
        target: { op: '=', value: unsharded.cases.length },
      },
    ],
    notes: [],
  };
}
