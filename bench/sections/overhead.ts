/**
 * Section 2: the harness's own cost. The latency-bound workload at 0 ms per
 * call: wall time, and CPU time of the Vitest process tree per model call and
 * per case. The fake provider runs in the benchmark's process, so its CPU is
 * not charged to the harness (it is shown beside it).
 */
import { benchProject, callsPerCase, workloadFiles } from '../fixture.js';
import { measuredRun, progress, type Measured } from '../measure.js';
import type { Plan } from '../plan.js';
import type { Section } from '../report.js';
import { runWindow } from '../vitest-run.js';
import { startWorld } from '../world.js';
import { fullScoring } from './latency.js';

/**
 * Run section 2.
 *
 * @example
 * const section = await overheadSection(FULL_PLAN)
 */
export async function overheadSection(plan: Plan): Promise<{ section: Section; runs: Measured[] }> {
  const { cases } = plan.overhead;
  const spec = fullScoring(cases);
  const calls = cases * callsPerCase(spec);
  await using world = await startWorld(0);
  await using project = await benchProject(workloadFiles(spec), plan.source);
  const runs: Measured[] = [];
  for (let i = 0; i < plan.runs; i++) {
    progress(`overhead: run ${i + 1}/${plan.runs}`);
    runs.push(await measuredRun(project, world, ['run', '--project', 'eval'], world.env()));
  }
  const windows = runs.map((run) => {
    const end = run.cost.marks.findLast((m) => m.event === 'end');
    const calling = run.firstCall && end ? end.cpuMs - run.firstCall.cpuMs : undefined;
    return { all: runWindow(run.cost.marks), calling };
  });
  const perCall = (ms: number | undefined) => (ms ?? Number.NaN) / calls;
  const section: Section = {
    title: '2. Overhead at 0 ms latency',
    setup:
      `The workload of section 1 (${cases} cases, ${calls} calls) with the fake provider answering at once and no ` +
      'provider limit. CPU is user + system time of the whole Vitest process tree (main process and worker) from ' +
      "/proc, between the probe reporter's marks; it includes the official SDK, loopback HTTP on the client side, " +
      'scoring, and Vitest itself. "First call to end of run" leaves out the start-up (the worker process, and ' +
      'loading and transforming the modules): the tree is read when the first request reaches the fake provider. ' +
      'The fake provider (this process) is measured apart.',
    figures: [
      {
        name: 'test run (reporter: onTestRunStart to scorecard)',
        unit: 's',
        values: runs.map((r) => (r.card?.duration_ms ?? Number.NaN) / 1000),
        target: { op: '<=', value: 1.5 },
        promptfoo: '3.4 s',
      },
      {
        name: 'whole `vitest run` process (start-up included)',
        unit: 's',
        values: runs.map((r) => r.cost.wallMs / 1000),
        target: { op: '<=', value: 1.5 },
        promptfoo: '3.4 s',
      },
      {
        name: 'harness CPU per call, test run',
        unit: 'ms',
        values: windows.map((w) => perCall(w.all?.cpuMs)),
        target: { op: '<=', value: 1 },
      },
      {
        name: 'harness CPU per call, first call to end of run',
        unit: 'ms',
        values: windows.map((w) => perCall(w.calling)),
        target: { op: '<=', value: 1 },
      },
      {
        name: 'harness CPU per case, test run',
        unit: 'ms',
        values: windows.map((w) => (w.all?.cpuMs ?? Number.NaN) / cases),
      },
      {
        name: 'wall per call, test run',
        unit: 'ms',
        values: runs.map((r) => (r.card?.duration_ms ?? Number.NaN) / calls),
      },
      {
        name: 'harness CPU, whole process tree (start-up included)',
        unit: 's',
        values: runs.map((r) => r.cost.cpuMs / 1000),
      },
      {
        name: 'fake provider CPU per call (not the harness)',
        unit: 'ms',
        values: runs.map((r) => r.providerCpuMs / calls),
      },
    ],
    notes: [],
  };
  return { section, runs };
}
