/**
 * Section 1: the latency-bound run. Full scoring at a fixed latency per call
 * under a provider limit: how close the run gets to the ideal wall time, and
 * whether the harness leaves provider slots idle (in-flight over time, from
 * the provider's log).
 */
import { benchProject, callsPerCase, workloadFiles, type WorkloadSpec } from '../fixture.js';
import { callSpan, measuredRun, medianRun, progress, type Measured } from '../measure.js';
import { occupancy } from '../occupancy.js';
import type { Plan } from '../plan.js';
import type { Section } from '../report.js';
import { runWindow } from '../vitest-run.js';
import { startWorld } from '../world.js';

/**
 * The full-scoring workload: 3 criteria, 2 context passages: 6 calls per case.
 *
 * @example
 * workloadFiles(fullScoring(80, 16))
 */
export function fullScoring(cases: number, maxInFlight?: number): WorkloadSpec {
  return { cases, perFile: cases, criteria: 3, context: true, checks: false, maxInFlight };
}

/** Calls in a row in one case: the agent, then faithfulness' statements, then its verdicts. */
const CRITICAL_PATH_CALLS = 3;

/**
 * Ideal wall time: the longer of one case's critical path and all calls through the limit.
 *
 * @example
 * idealMs(480, 200, 16) // 6000
 */
export function idealMs(calls: number, latencyMs: number, limit: number): number {
  return Math.max(CRITICAL_PATH_CALLS * latencyMs, (calls * latencyMs) / limit);
}

/**
 * Run section 1; the runs are also the token section's input.
 *
 * @example
 * const { section, runs } = await latencySection(FULL_PLAN)
 */
export async function latencySection(plan: Plan): Promise<{ section: Section; runs: Measured[] }> {
  const { cases, latencyMs, maxInFlight } = plan.latency;
  const spec = fullScoring(cases, maxInFlight);
  const calls = cases * callsPerCase(spec);
  const ideal = idealMs(calls, latencyMs, maxInFlight);
  await using world = await startWorld(latencyMs);
  await using project = await benchProject(workloadFiles(spec), plan.source);
  const runs: Measured[] = [];
  for (let i = 0; i < plan.runs; i++) {
    progress(`latency: run ${i + 1}/${plan.runs}`);
    runs.push(await measuredRun(project, world, ['run', '--project', 'eval'], world.env()));
  }
  const per = runs.map((run) => {
    const window = runWindow(run.cost.marks);
    const span = callSpan(run.log);
    const use = occupancy(run.log, span.first, span.last, maxInFlight, 250);
    return {
      run,
      testRunMs: run.card?.duration_ms ?? Number.NaN,
      processMs: run.cost.wallMs,
      spanMs: span.last - span.first,
      startupMs: window ? span.first - window.from : Number.NaN,
      use,
    };
  });
  const median = medianRun(per, (p) => p.testRunMs);
  const s = (ms: number) => ms / 1000;
  const section: Section = {
    title: '1. Latency-bound run',
    setup:
      `${cases} cases, full scoring (the agent, a judge rubric of 3 criteria, faithfulness over 2 context passages, ` +
      `answer relevancy): ${callsPerCase(spec)} calls per case, ${calls} calls, every call ${latencyMs} ms at the fake ` +
      `provider, \`providers: { openai: { max_in_flight: ${maxInFlight} } }\`. The candidate, the judge and the ` +
      `embeddings are all \`openai:\` models, so the ${maxInFlight} slots are shared by every call (limits are per ` +
      `provider). Ideal = max(critical path ${CRITICAL_PATH_CALLS} x ${latencyMs} ms, ${calls} x ${latencyMs} ms / ` +
      `${maxInFlight}) = ${s(ideal).toFixed(2)} s.`,
    figures: [
      {
        name: 'test run (reporter: onTestRunStart to scorecard) / ideal',
        unit: 'x',
        values: per.map((p) => p.testRunMs / ideal),
        target: { op: '<=', value: 1.1 },
        promptfoo: '1.29x (14.2 s)',
      },
      { name: 'test run', unit: 's', values: per.map((p) => s(p.testRunMs)) },
      {
        name: 'whole `vitest run` process (start-up included) / ideal',
        unit: 'x',
        values: per.map((p) => p.processMs / ideal),
        target: { op: '<=', value: 1.1 },
        promptfoo: '1.29x',
      },
      { name: 'whole `vitest run` process', unit: 's', values: per.map((p) => s(p.processMs)) },
      {
        name: 'calls (first request to last answer) / ideal',
        unit: 'x',
        values: per.map((p) => p.spanMs / ideal),
        target: { op: '<=', value: 1.1 },
      },
      {
        name: 'provider slots in use while calls run (mean in flight / limit)',
        unit: '%',
        values: per.map((p) => (p.use.meanInFlight / maxInFlight) * 100),
        digits: 0,
      },
      {
        name: 'peak in flight at the provider',
        unit: '',
        values: per.map((p) => p.use.peakInFlight),
        digits: 0,
      },
      {
        name: 'worker start-up: onTestRunStart to first request',
        unit: 's',
        values: per.map((p) => s(p.startupMs)),
      },
      {
        name: 'model calls',
        unit: '',
        values: runs.map((r) => r.log.length),
        digits: 0,
        target: { op: '=', value: calls },
        promptfoo: `${cases * 11}`,
      },
    ],
    notes: [
      `In flight at the provider per 250 ms of the median run (from the fake's log of arrival and answer times; limit ${maxInFlight}):`,
      '```\n' + wrap(median.use.timeline) + '\n```',
    ],
  };
  return { section, runs };
}

function wrap(values: readonly number[]): string {
  const lines: string[] = [];
  for (let i = 0; i < values.length; i += 20)
    lines.push(
      values
        .slice(i, i + 20)
        .map((v) => v.toFixed(1).padStart(4))
        .join(' '),
    );
  return lines.join('\n');
}
