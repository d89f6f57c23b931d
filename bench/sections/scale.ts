/**
 * Section 3: scale. Many cases at 0 ms (the agent call and two deterministic
 * checks; then again with a one-criterion judge), spread over case files of
 * `perFile` cases as `qualify import` writes them: wall time and peak memory
 * of the whole Vitest process tree, and the cost per case at each size.
 */
import { benchProject, workloadFiles, type BenchProject, type WorkloadSpec } from '../fixture.js';
import { MB, measuredRun, progress, type Measured } from '../measure.js';
import type { Plan } from '../plan.js';
import type { Figure, Section } from '../report.js';
import { summarize } from '../stats.js';
import { startWorld, type World } from '../world.js';

export type Variant = 'checks' | 'judge';

/**
 * The scale workload: the agent and two checks, plus a one-criterion judge for `judge`.
 *
 * @example
 * workloadFiles(scaleSpec('checks', 10_000, 500))
 */
export function scaleSpec(variant: Variant, cases: number, perFile: number): WorkloadSpec {
  return { cases, perFile, criteria: variant === 'judge' ? 1 : 0, context: false, checks: true };
}

/** The scorecard of the largest checks-only run, for the shard section to compare with. */
export interface ScaleResult {
  section: Section;
  /** Kept on disk (the shard section reuses it); dispose when done. */
  largest: BenchProject;
  largestRuns: Measured[];
}

/**
 * Run section 3.
 *
 * @example
 * const { section, largest } = await scaleSection(FULL_PLAN)
 */
export async function scaleSection(
  plan: Plan,
  options: { largestOnly?: boolean } = {},
): Promise<ScaleResult> {
  const { perFile } = plan.scale;
  const top = Math.max(...plan.scale.sizes);
  // The shard section alone needs only the largest checks-only run.
  const sizes = options.largestOnly ? [top] : plan.scale.sizes;
  const variants = options.largestOnly ? (['checks'] as const) : (['checks', 'judge'] as const);
  await using world = await startWorld(0);
  const figures: Figure[] = [];
  const perSize: string[] = [];
  let largest: BenchProject | undefined;
  let largestRuns: Measured[] = [];
  for (const variant of variants) {
    const rows: { size: number; runs: Measured[] }[] = [];
    for (const size of sizes) {
      const project = await benchProject(workloadFiles(scaleSpec(variant, size, perFile)), plan.source);
      const runs: Measured[] = [];
      for (let i = 0; i < plan.runs; i++) {
        progress(`scale: ${variant}, ${size} cases, run ${i + 1}/${plan.runs}`);
        runs.push(await measuredRun(project, world, ['run', '--project', 'eval'], world.env()));
      }
      rows.push({ size, runs });
      if (variant === 'checks' && size === top) {
        largest = project;
        largestRuns = runs;
      } else await project[Symbol.asyncDispose]();
    }
    figures.push(...variantFigures(variant, rows, top));
    perSize.push(perSizeTable(variant, rows));
  }
  if (!options.largestOnly) figures.push(...(await recordingFigures(plan, world, top)));
  const section: Section = {
    title: '3. Scale',
    setup:
      `${sizes.map((n) => n.toLocaleString('en-US')).join(', ')} cases at 0 ms, ${perFile} cases per case file ` +
      '(as `qualify import` writes them). "checks": the agent call and two deterministic checks per case; "judge": ' +
      'the same plus a one-criterion judge call; "recording": the checks workload with `QUALIFY_CACHE=record`, ' +
      'which writes every response to the cassettes as the first run in the default `auto` mode does (the other ' +
      'runs use `off`). Memory is the largest sum of resident memory over the whole ' +
      '`vitest run --project eval` process tree (main process and worker), sampled every 50 ms from /proc.',
    figures,
    notes: [
      'Cost per case at each size (medians; "marginal" is the extra wall time per extra case from the size before, ' +
        'which stays flat when growth is linear):',
      ...perSize,
    ],
  };
  return { section, largest: largest!, largestRuns };
}

/**
 * The largest checks-only run again with `QUALIFY_CACHE=record`: what the first
 * run in the default `auto` mode pays to write every response to the cassettes.
 */
async function recordingFigures(plan: Plan, world: World, cases: number): Promise<Figure[]> {
  await using project = await benchProject(
    workloadFiles(scaleSpec('checks', cases, plan.scale.perFile)),
    plan.source,
  );
  const runs: Measured[] = [];
  for (let i = 0; i < plan.runs; i++) {
    progress(`scale: checks, ${cases} cases, recording, run ${i + 1}/${plan.runs}`);
    runs.push(await measuredRun(project, world, ['run', '--project', 'eval'], world.env('record')));
  }
  const n = cases.toLocaleString('en-US');
  return [
    {
      name: `checks, ${n} cases, recording (QUALIFY_CACHE=record): whole process`,
      unit: 's',
      values: runs.map((r) => r.cost.wallMs / 1000),
    },
    {
      name: `checks, ${n} cases, recording: peak RSS of the process tree`,
      unit: 'MB',
      values: runs.map((r) => r.cost.peakRssBytes / MB),
      digits: 0,
    },
    {
      name: `checks, ${n} cases, recording: CPU of the process tree`,
      unit: 's',
      values: runs.map((r) => r.cost.cpuMs / 1000),
    },
  ];
}

function variantFigures(variant: Variant, rows: { size: number; runs: Measured[] }[], top: number): Figure[] {
  const at = rows.find((r) => r.size === top)!.runs;
  const checks = variant === 'checks';
  const n = top.toLocaleString('en-US');
  return [
    {
      name: `${variant}, ${n} cases: whole \`vitest run\` process`,
      unit: 's',
      values: at.map((r) => r.cost.wallMs / 1000),
      target: checks ? { op: '<=', value: 15 } : undefined,
      promptfoo: checks ? '46 s' : undefined,
    },
    {
      name: `${variant}, ${n} cases: test run (reporter)`,
      unit: 's',
      values: at.map((r) => (r.card?.duration_ms ?? Number.NaN) / 1000),
    },
    {
      name: `${variant}, ${n} cases: peak RSS of the process tree`,
      unit: 'MB',
      values: at.map((r) => r.cost.peakRssBytes / MB),
      digits: 0,
      target: checks ? { op: '<=', value: 400 } : undefined,
      promptfoo: checks ? '669 MB' : undefined,
    },
    {
      name: `${variant}, ${n} cases: CPU of the process tree`,
      unit: 's',
      values: at.map((r) => r.cost.cpuMs / 1000),
    },
    {
      name: `${variant}, ${n} cases: cases in the scorecard`,
      unit: '',
      values: at.map((r) => r.card?.cases.length ?? 0),
      digits: 0,
      target: { op: '=', value: top },
    },
  ];
}

function perSizeTable(variant: Variant, rows: { size: number; runs: Measured[] }[]): string {
  const lines = [
    `${variant}:`,
    '',
    '| cases | process (s) | test run (s) | test run per case (ms) | marginal per case (ms) | CPU per case (ms) | peak RSS (MB) |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  let previous: { size: number; run: number } | undefined;
  for (const { size, runs } of rows) {
    const wall = summarize(runs.map((r) => r.cost.wallMs)).median;
    const run = summarize(runs.map((r) => r.card?.duration_ms ?? Number.NaN)).median;
    const cpu = summarize(runs.map((r) => r.cost.cpuMs)).median;
    const rss = summarize(runs.map((r) => r.cost.peakRssBytes)).median;
    const marginal = previous ? ((run - previous.run) / (size - previous.size)).toFixed(2) : '';
    lines.push(
      `| ${size.toLocaleString('en-US')} | ${(wall / 1000).toFixed(2)} | ${(run / 1000).toFixed(2)} | ${(run / size).toFixed(2)} | ${marginal} | ${(cpu / size).toFixed(2)} | ${(rss / MB).toFixed(0)} |`,
    );
    previous = { size, run };
  }
  return lines.join('\n');
}
