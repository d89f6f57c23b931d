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
import { linearFit, summarize } from '../stats.js';
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

/** Targets by size (checks workload): whole process (s) and peak RSS of the tree (MB), with promptfoo's figure. */
const TARGETS: Record<number, { wall: number; rss: number; promptfoo?: { wall: string; rss: string } }> = {
  // Issue 8 (wall), issue 16 (memory: half of promptfoo's 635 MB on the same workload).
  10_000: { wall: 15, rss: 400, promptfoo: { wall: '46 s', rss: '669 MB' } },
  // Issue 16: a day of traffic on one 2-core runner.
  100_000: { wall: 60, rss: 1024 },
};

/** Kilobytes (KiB), as the memory slope is stated. */
const KB = 1024;

/** The memory slope target of issue 16: peak RSS per extra case. */
const MEMORY_SLOPE_KB = 5;

interface Row {
  size: number;
  runs: Measured[];
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
  const { perFile, judgeUpTo } = plan.scale;
  const top = Math.max(...plan.scale.sizes);
  // The shard section alone needs only the largest checks-only run.
  const sizes = options.largestOnly ? [top] : [...plan.scale.sizes].sort((a, b) => a - b);
  const judgeSizes = sizes.filter((n) => n <= judgeUpTo);
  const variants = options.largestOnly ? (['checks'] as const) : (['checks', 'judge'] as const);
  const repeatsAt = (size: number) =>
    size === top ? Math.min(plan.runs, plan.scale.largestRuns) : plan.runs;
  await using world = await startWorld(0);
  const figures: Figure[] = [];
  const perSize: string[] = [];
  let largest: BenchProject | undefined;
  let largestRuns: Measured[] = [];
  for (const variant of variants) {
    const rows: Row[] = [];
    for (const size of variant === 'checks' ? sizes : judgeSizes) {
      const project = await benchProject(workloadFiles(scaleSpec(variant, size, perFile)), plan.source);
      const runs: Measured[] = [];
      const repeats = repeatsAt(size);
      for (let i = 0; i < repeats; i++) {
        progress(`scale: ${variant}, ${size} cases, run ${i + 1}/${repeats}`);
        runs.push(await measuredRun(project, world, ['run', '--project', 'eval'], world.env()));
      }
      rows.push({ size, runs });
      if (variant === 'checks' && size === top) {
        largest = project;
        largestRuns = runs;
      } else await project[Symbol.asyncDispose]();
    }
    if (rows.length === 0) continue;
    figures.push(...variantFigures(variant, rows), ...slopeFigures(variant, rows));
    perSize.push(perSizeTable(variant, rows));
  }
  const judgeTop = judgeSizes.at(-1);
  if (!options.largestOnly && judgeTop !== undefined)
    figures.push(...(await recordingFigures(plan, world, judgeTop)));
  const n = (x: number) => x.toLocaleString('en-US');
  const fewer =
    sizes.length > 1 && repeatsAt(top) < plan.runs
      ? ` Every size is run ${plan.runs} times but the largest, ${n(top)} cases, which is run ${repeatsAt(top)} times (a long run; the machine is shared).`
      : '';
  const section: Section = {
    title: '3. Scale',
    setup:
      `${sizes.map(n).join(', ')} cases at 0 ms, ${perFile} cases per case file ` +
      '(as `qualify import` writes them). "checks": the agent call and two deterministic checks per case' +
      (judgeTop === undefined || options.largestOnly
        ? ` (the judge variant and the recording run go up to ${n(judgeUpTo)} cases: not run at these sizes).`
        : `; "judge": the same plus a one-criterion judge call, up to ${n(judgeTop)} cases; "recording": the ${n(judgeTop)}-case ` +
          'checks workload with `QUALIFY_CACHE=record`, which writes every response to the cassettes as the first run ' +
          'in the default `auto` mode does (the other runs use `off`).') +
      `${fewer} Memory is the largest sum of resident memory over the whole ` +
      '`vitest run --project eval` process tree (main process and worker), sampled every 50 ms from /proc. ' +
      'Slopes are computed from the per-size medians: between each size and the next (the extra wall time and ' +
      'peak RSS per extra case, which leave the fixed start-up cost out), and by least squares over every size.',
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

/** The figures at the sizes with targets and at the variant's largest size. */
function variantFigures(variant: Variant, rows: readonly Row[]): Figure[] {
  const top = rows.at(-1)!.size;
  const checks = variant === 'checks';
  const out: Figure[] = [];
  for (const { size, runs: at } of rows) {
    const target = checks ? TARGETS[size] : undefined;
    if (size !== top && !target) continue;
    const n = size.toLocaleString('en-US');
    out.push(
      {
        name: `${variant}, ${n} cases: whole \`vitest run\` process`,
        unit: 's',
        values: at.map((r) => r.cost.wallMs / 1000),
        target: target ? { op: '<=', value: target.wall } : undefined,
        promptfoo: target?.promptfoo?.wall,
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
        target: target ? { op: '<=', value: target.rss } : undefined,
        promptfoo: target?.promptfoo?.rss,
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
        target: { op: '=', value: size },
      },
    );
  }
  return out;
}

/** Per-size medians of the whole process's wall time (ms) and the tree's peak RSS (bytes). */
function medians(rows: readonly Row[]): { size: number; wallMs: number; rssBytes: number }[] {
  return rows.map(({ size, runs }) => ({
    size,
    wallMs: summarize(runs.map((r) => r.cost.wallMs)).median,
    rssBytes: summarize(runs.map((r) => r.cost.peakRssBytes)).median,
  }));
}

/**
 * Growth: wall ms and peak-RSS KB per extra case from each size to the next, and the least-squares
 * slope over every size; the memory slopes of the checks workload have issue 16's target.
 */
function slopeFigures(variant: Variant, rows: readonly Row[]): Figure[] {
  const points = medians(rows);
  if (points.length < 2) return [];
  const memoryTarget = variant === 'checks' ? ({ op: '<=', value: MEMORY_SLOPE_KB } as const) : undefined;
  const n = (x: number) => x.toLocaleString('en-US');
  const out: Figure[] = [];
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    const span = `${n(a.size)} -> ${n(b.size)} cases`;
    out.push(
      {
        name: `${variant}, ${span}: wall time per extra case (slope of the medians)`,
        unit: 'ms',
        values: [(b.wallMs - a.wallMs) / (b.size - a.size)],
        digits: 3,
      },
      {
        name: `${variant}, ${span}: peak RSS per extra case (slope of the medians)`,
        unit: 'KB',
        values: [(b.rssBytes - a.rssBytes) / KB / (b.size - a.size)],
        target: memoryTarget,
      },
    );
  }
  const sizes = points.map((p) => p.size);
  const wall = linearFit(
    sizes,
    points.map((p) => p.wallMs),
  );
  const rss = linearFit(
    sizes,
    points.map((p) => p.rssBytes / KB),
  );
  const all = `${n(sizes[0]!)} to ${n(sizes.at(-1)!)} cases`;
  out.push(
    {
      name: `${variant}, ${all}: wall time per case (least-squares slope; fixed cost ${(wall.intercept / 1000).toFixed(2)} s)`,
      unit: 'ms',
      values: [wall.slope],
      digits: 3,
    },
    {
      name: `${variant}, ${all}: peak RSS per case (least-squares slope; fixed cost ${(rss.intercept / KB).toFixed(0)} MB)`,
      unit: 'KB',
      values: [rss.slope],
      target: memoryTarget,
    },
  );
  return out;
}

function perSizeTable(variant: Variant, rows: readonly Row[]): string {
  const lines = [
    `${variant}:`,
    '',
    '| cases | runs | process (s) | test run (s) | test run per case (ms) | marginal per case (ms) | CPU per case (ms) | peak RSS (MB) | peak RSS per case (KB) |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  let previous: { size: number; run: number } | undefined;
  for (const { size, runs } of rows) {
    const wall = summarize(runs.map((r) => r.cost.wallMs)).median;
    const run = summarize(runs.map((r) => r.card?.duration_ms ?? Number.NaN)).median;
    const cpu = summarize(runs.map((r) => r.cost.cpuMs)).median;
    const rss = summarize(runs.map((r) => r.cost.peakRssBytes)).median;
    const marginal = previous ? ((run - previous.run) / (size - previous.size)).toFixed(2) : '';
    lines.push(
      `| ${size.toLocaleString('en-US')} | ${runs.length} | ${(wall / 1000).toFixed(2)} | ${(run / 1000).toFixed(2)} | ${(run / size).toFixed(2)} | ${marginal} | ${(cpu / size).toFixed(2)} | ${(rss / MB).toFixed(0)} | ${(rss / KB / size).toFixed(1)} |`,
    );
    previous = { size, run };
  }
  return lines.join('\n');
}
