/**
 * Section 4: warm re-runs. The full-scoring workload again with every response
 * in the cassettes (`QUALIFY_CACHE=auto` after a recording run), and watch
 * mode after editing one case: only that case's calls may reach the provider.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { benchProject, callsPerCase, caseInput, workloadFiles } from '../fixture.js';
import { measuredRun, progress, type Measured } from '../measure.js';
import type { Plan } from '../plan.js';
import type { Section } from '../report.js';
import { startVitest } from '../watch-run.js';
import { startWorld, type World } from '../world.js';
import { fullScoring } from './latency.js';

const VERDICT = /qualify {2}(PASS|REVIEW|FAIL|ERROR)/;
/** The plugin's own re-run of the edited cases (Vitest's re-run of the whole file comes first, empty). */
const RERUN = /vitest-qualify: re-running \d+ edited case/;
const PART = 'eval/cases/part-0001.cases.yaml';

/** One watch-mode edit: the calls it caused and how long until the new verdict. */
interface WatchEdit {
  calls: number;
  otherCases: number;
  seconds: number;
}

/**
 * Run section 4.
 *
 * @example
 * const section = await warmSection(FULL_PLAN)
 */
export async function warmSection(plan: Plan): Promise<Section> {
  const { cases } = plan.warm;
  const spec = fullScoring(cases);
  const calls = cases * callsPerCase(spec);
  await using world = await startWorld(0);
  await using project = await benchProject(workloadFiles(spec), plan.source);
  progress('warm: recording run');
  const recording = await measuredRun(project, world, ['run', '--project', 'eval'], world.env('auto'));
  const runs: Measured[] = [];
  for (let i = 0; i < plan.runs; i++) {
    progress(`warm: cached run ${i + 1}/${plan.runs}`);
    runs.push(await measuredRun(project, world, ['run', '--project', 'eval'], world.env('auto')));
  }
  const edits: WatchEdit[] = [];
  for (let i = 0; i < plan.runs; i++) {
    progress(`warm: watch mode, edit ${i + 1}/${plan.runs}`);
    edits.push(await watchEdit(project.dir, world, 1 + (i % cases), i));
  }
  const perCaseCalls = callsPerCase(spec);
  return {
    title: '4. Warm re-run and watch mode',
    setup:
      `The ${cases}-case workload of section 1 at 0 ms, run once with \`QUALIFY_CACHE=auto\` to record ` +
      `(${recording.log.length} calls, ${(recording.cost.wallMs / 1000).toFixed(2)} s), then again with every ` +
      "response in the cassettes. Watch mode: `vitest watch --project eval`, then one case's input is edited; the " +
      "calls that reach the provider until the verdict after the plugin's re-run of the edited case are counted " +
      "(Vitest's own re-run of the whole file is filtered out by the plugin and prints no verdict).",
    figures: [
      {
        name: 'cached run: whole `vitest run` process',
        unit: 's',
        values: runs.map((r) => r.cost.wallMs / 1000),
        target: { op: '<=', value: 3 },
      },
      {
        name: 'cached run: test run (reporter)',
        unit: 's',
        values: runs.map((r) => (r.card?.duration_ms ?? Number.NaN) / 1000),
        target: { op: '<=', value: 3 },
      },
      {
        name: 'cached run: calls reaching the provider',
        unit: '',
        values: runs.map((r) => r.log.length),
        digits: 0,
        target: { op: '=', value: 0 },
      },
      {
        name: 'cached run: calls served from the cassettes',
        unit: '',
        values: runs.map((r) => r.card?.usage.cached_calls ?? 0),
        digits: 0,
        target: { op: '=', value: calls },
      },
      {
        name: 'watch, one case edited: calls reaching the provider',
        unit: '',
        values: edits.map((e) => e.calls),
        digits: 0,
        target: { op: '=', value: perCaseCalls },
      },
      {
        name: 'watch, one case edited: calls for other cases',
        unit: '',
        values: edits.map((e) => e.otherCases),
        digits: 0,
        target: { op: '=', value: 0 },
      },
      { name: 'watch, one case edited: edit to new verdict', unit: 's', values: edits.map((e) => e.seconds) },
    ],
    notes: [],
  };
}

/** Start watch mode, edit case `k`, count the calls until the second verdict, stop. */
async function watchEdit(dir: string, world: World, k: number, round: number): Promise<WatchEdit> {
  const watch = startVitest(dir, ['watch', '--project', 'eval'], world.env('auto'));
  try {
    await watch.waitFor(VERDICT, 1);
    world.reset();
    const file = path.join(dir, PART);
    const before = await readFile(file, 'utf8');
    const original = JSON.stringify(caseInput(k));
    const edited = JSON.stringify(`${caseInput(k)} (edit ${round + 1})`);
    if (!before.includes(original)) throw new Error(`watch: case ${k}'s input is not in ${PART}`);
    const started = performance.now();
    await writeFile(file, before.replace(original, edited));
    await watch.waitFor(VERDICT, 1, { after: RERUN });
    const seconds = (performance.now() - started) / 1000;
    const mine = `Question ${k}:`;
    const touches = world.log.map((e) => e.text.includes(mine));
    return { calls: world.log.length, otherCases: touches.filter((t) => !t).length, seconds };
  } finally {
    await watch.stop();
  }
}
