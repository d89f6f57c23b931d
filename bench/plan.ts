/**
 * What a benchmark run measures: the sizes and repetitions of the full run
 * (issue 8) and of the smoke run the unit tests use so the script cannot rot.
 */
import path from 'node:path';
import type { PluginSource } from './fixture.js';

/** Sizes and repetitions of every section. */
export interface Plan {
  mode: 'full' | 'smoke';
  /** Repetitions of every figure (the issue asks for at least 5). */
  runs: number;
  /** Section 1: cases, latency per call, provider limit. */
  latency: { cases: number; latencyMs: number; maxInFlight: number };
  /** Section 2: the same cases at 0 ms. */
  overhead: { cases: number };
  /**
   * Section 3: case counts, cases per file; the largest size is repeated `largestRuns` times (not
   * `runs`: a 100,000-case run is long), and the judge variant and the recording run go up to `judgeUpTo` cases.
   */
  scale: { sizes: number[]; perFile: number; largestRuns: number; judgeUpTo: number };
  /** Section 4: the full-scoring cases, cached. */
  warm: { cases: number };
  /** Section 5: shards of the largest checks-only scale workload, repeated `runs` times. */
  shard: { shards: number; runs: number };
  /**
   * Section 8: the confirmation trials at scale: `cases` of the checks + judge workload, `repeats`
   * first-pass trials, a share of the cases truly worse, each condition repeated `runs` times.
   */
  confirm: { cases: number; repeats: number; dropShare: number; runs: number };
  /** Write a CPU profile of the 0 ms run and summarise it. */
  profile: boolean;
  /** The noise section: seeded runs per condition, case counts, true drops of the detection curve. */
  noise: { seeds: number; sizes: number[]; curve: number[] };
  /** Where the plugin comes from; run.ts sets it (the installed build unless `--src`). */
  source?: PluginSource | undefined;
}

/**
 * The plan of issue 8.
 *
 * @example
 * FULL_PLAN.latency // { cases: 80, latencyMs: 200, maxInFlight: 16 }
 */
export const FULL_PLAN: Plan = {
  mode: 'full',
  runs: 5,
  latency: { cases: 80, latencyMs: 200, maxInFlight: 16 },
  overhead: { cases: 80 },
  scale: { sizes: [1_000, 10_000, 100_000], perFile: 500, largestRuns: 2, judgeUpTo: 10_000 },
  warm: { cases: 80 },
  shard: { shards: 8, runs: 2 },
  confirm: { cases: 10_000, repeats: 3, dropShare: 0.01, runs: 2 },
  profile: true,
  noise: { seeds: 20, sizes: [40, 80], curve: [1, 2, 3, 5, 7, 10, 15] },
};

/**
 * A few cases, one run: checks that every section still runs and reports.
 *
 * @example
 * parseBenchArgs(['--smoke'], 'out.md').plan === SMOKE_PLAN // true
 */
export const SMOKE_PLAN: Plan = {
  mode: 'smoke',
  runs: 1,
  latency: { cases: 4, latencyMs: 20, maxInFlight: 4 },
  overhead: { cases: 4 },
  scale: { sizes: [3, 6], perFile: 3, largestRuns: 1, judgeUpTo: 6 },
  warm: { cases: 3 },
  shard: { shards: 2, runs: 1 },
  confirm: { cases: 20, repeats: 3, dropShare: 0.05, runs: 1 },
  profile: false,
  noise: { seeds: 1, sizes: [8], curve: [10] },
};

/**
 * The sections, by the name `--only` takes.
 *
 * @example
 * tsx bench/run.ts --only latency,tokens
 */
export const SECTIONS = [
  'latency',
  'overhead',
  'scale',
  'warm',
  'shard',
  'tokens',
  'layers',
  'floor',
  'profile',
  'noise',
  'confirm',
] as const;
export type SectionName = (typeof SECTIONS)[number];

/** Command-line options of bench/run.ts. */
export interface BenchArgs {
  plan: Plan;
  only: SectionName[];
  out: string;
}

/**
 * Parse `--smoke`, `--runs N`, `--only a,b`, `--out file`, `--sizes 1000,10000` (the scale
 * section's case counts; the shard section shards the largest), `--src dir` (load the plugin
 * from a folder of its sources inside the repo, src/ or a copy for a before/after
 * pair, instead of building and installing the package).
 *
 * @example
 * parseBenchArgs(['--smoke', '--out', '/tmp/r.md'], 'bench/RESULTS.md').plan.mode // 'smoke'
 */
export function parseBenchArgs(argv: readonly string[], defaultOut: string): BenchArgs {
  let plan: Plan = FULL_PLAN;
  let only: SectionName[] = [...SECTIONS];
  let out = defaultOut;
  let runs: number | undefined;
  let src: string | undefined;
  let sizes: number[] | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg === '--smoke') plan = SMOKE_PLAN;
    else if (arg === '--runs') runs = Number(value());
    else if (arg === '--out') out = value();
    else if (arg === '--src') src = path.resolve(value());
    else if (arg === '--sizes') {
      const text = value();
      sizes = text.split(',').map(Number);
      if (sizes.some((n) => !Number.isInteger(n) || n < 1))
        throw new Error(`--sizes takes whole numbers >= 1 separated by commas, got ${text}`);
    } else if (arg === '--only') {
      const names = value().split(',');
      const unknown = names.filter((n) => !(SECTIONS as readonly string[]).includes(n));
      if (unknown.length > 0)
        throw new Error(`--only: unknown section ${unknown.join(', ')}; use ${SECTIONS.join(', ')}`);
      only = names as SectionName[];
    } else {
      throw new Error(
        `unknown option ${arg}; use --smoke, --runs N, --only ${SECTIONS.join(',')}, --out FILE, --src DIR, --sizes N,N,...`,
      );
    }
  }
  if (runs !== undefined) {
    if (!Number.isInteger(runs) || runs < 1)
      throw new Error(`--runs must be a whole number >= 1, got ${runs}`);
    // `--runs` caps the long figures' own counts too.
    plan = {
      ...plan,
      runs,
      scale: { ...plan.scale, largestRuns: Math.min(plan.scale.largestRuns, runs) },
      shard: { ...plan.shard, runs: Math.min(plan.shard.runs, runs) },
      confirm: { ...plan.confirm, runs: Math.min(plan.confirm.runs, runs) },
    };
  }
  if (src !== undefined) plan = { ...plan, source: { kind: 'src', dir: src } };
  if (sizes !== undefined) plan = { ...plan, scale: { ...plan.scale, sizes } };
  return { plan, only, out };
}
