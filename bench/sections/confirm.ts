/**
 * Section 8: the confirmation trials of the noise-aware verdict at scale (issue 16). The checks + judge
 * workload with `repeats` first-pass trials, qualified against a baseline its own model wrote (so every
 * case carries trial statistics and the run has a noise estimate), under seeded judge noise: once with
 * the candidate as good as the baseline, once with a share of its cases truly worse. What the gate
 * screens and confirms, the model calls of the first pass and of the confirmations, and the wall time
 * of the run with drops against the run without.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { GATE_DEFAULTS } from '../../src/config/schema/rubric.js';
import type { Scorecard } from '../../src/scorecard/types.js';
import type { EvalScript } from '../../test/fake-provider/eval-responder.js';
import { benchProject, caseId, caseInput, workloadFiles, type WorkloadSpec } from '../fixture.js';
import { measuredRun, progress, type Measured } from '../measure.js';
import type { Plan } from '../plan.js';
import type { Figure, Section } from '../report.js';
import { summarize } from '../stats.js';
import { startWorld } from '../world.js';

/** The baseline's model (the workload's `model_primary`) and the candidate's. */
const BASELINE_MODEL = 'cand-1';
const CANDIDATE_MODEL = 'cand-2';
/** Judge noise of issue 13: each judge sample one notch (10 points) down with p = 0.1, up with p = 0.1. */
const JUDGE_NOISE = { down: 0.1, up: 0.1 };
/** A truly worse case scores 6 instead of 9: 30 points down, ten times the 3-point budget. */
const WORSE_SCORE = 6;

/**
 * The cases made worse: `count` of `cases` (1-based), spread evenly over the case files.
 *
 * @example
 * droppedCases(10_000, 100)[0] // 1
 */
export function droppedCases(cases: number, count: number): number[] {
  return Array.from({ length: count }, (_, k) => 1 + Math.floor((k * cases) / count));
}

/** The eval world of one run: seeded judge noise, and the candidate's worse answers on `worse`. */
function script(seed: number, worse: readonly number[]): EvalScript {
  const answers = Object.fromEntries(
    worse.map((i) => [caseInput(i), `Answer to ${caseInput(i)} [score=${WORSE_SCORE}]`]),
  );
  return { noise: { seed, judge: JUDGE_NOISE }, byModel: { [CANDIDATE_MODEL]: answers } };
}

/** The gate's figures of one run, from its scorecard. */
interface GateCounts {
  screened: number;
  confirmed: number;
  cleared: number;
  firstPass: number;
  confirmation: number;
  /** Truly worse cases that failed; other cases that failed. */
  worseFailed: number;
  othersFailed: number;
}

function countsOf(card: Scorecard | undefined, worse: ReadonlySet<string>): GateCounts {
  const stats = card?.statistics;
  if (!card || !stats) throw new Error('confirm: the run wrote no scorecard with gate statistics');
  const failed = card.cases.filter((c) => c.status === 'fail');
  return {
    screened: stats.screened,
    confirmed: stats.confirmed,
    cleared: stats.cleared,
    firstPass: stats.calls.first_pass,
    confirmation: stats.calls.confirmation,
    worseFailed: failed.filter((c) => worse.has(c.id)).length,
    othersFailed: failed.filter((c) => !worse.has(c.id)).length,
  };
}

/**
 * Run section 8.
 *
 * @example
 * const section = await confirmSection(FULL_PLAN)
 */
export async function confirmSection(plan: Plan): Promise<Section> {
  const { cases, repeats, dropShare, runs } = plan.confirm;
  const count = Math.max(1, Math.round(cases * dropShare));
  const worse = droppedCases(cases, count);
  const worseIds = new Set(worse.map(caseId));
  const spec: WorkloadSpec = {
    cases,
    perFile: plan.scale.perFile,
    criteria: 1,
    context: false,
    checks: true,
    repeats,
    driftProbe: 0,
  };
  await using world = await startWorld(0);
  await using project = await benchProject(workloadFiles(spec), plan.source);
  progress(`confirm: baseline, ${cases} cases, ${repeats} trials each`);
  world.use(script(1, []));
  const base = await measuredRun(project, world, ['run', '--project', 'eval'], world.env());
  if (!base.card) throw new Error('confirm: the baseline run wrote no scorecard');
  await project.write('eval/baseline.json', JSON.stringify(base.card));
  const candidateEnv = { ...world.env(), QUALIFY_MODEL: `openai:${CANDIDATE_MODEL}` };
  const clean: Measured[] = [];
  const dropped: Measured[] = [];
  for (let i = 0; i < runs; i++) {
    // The same noise seed for both conditions of a repetition: the runs differ by the drops alone.
    const seed = 100 + i;
    for (const [label, into, worseCases] of [
      ['no drops', clean, []],
      [`${count} cases worse`, dropped, worse],
    ] as const) {
      progress(`confirm: ${label}, run ${i + 1}/${runs}`);
      await rm(path.join(project.dir, 'eval/out'), { recursive: true, force: true });
      world.use(script(seed, worseCases));
      // A confirmed drop fails the run (exit code 1); a false fail of the clean run is counted, not thrown.
      into.push(
        await measuredRun(project, world, ['run', '--project', 'eval'], candidateEnv, { expectCode: [0, 1] }),
      );
    }
  }
  const cleanCounts = clean.map((m) => countsOf(m.card, worseIds));
  const dropCounts = dropped.map((m) => countsOf(m.card, worseIds));
  const n = cases.toLocaleString('en-US');
  const wall = (m: Measured) => m.cost.wallMs / 1000;
  const figures: Figure[] = [
    {
      name: 'no drops: cases screened in',
      unit: '',
      values: cleanCounts.map((c) => c.screened),
      digits: 0,
    },
    { name: 'no drops: cases confirmed', unit: '', values: cleanCounts.map((c) => c.confirmed), digits: 0 },
    {
      name: 'no drops: cases cleared by their fresh trials',
      unit: '',
      values: cleanCounts.map((c) => c.cleared),
      digits: 0,
    },
    { name: 'no drops: cases failed', unit: '', values: cleanCounts.map((c) => c.othersFailed), digits: 0 },
    {
      name: 'no drops: model calls, first pass',
      unit: '',
      values: cleanCounts.map((c) => c.firstPass),
      digits: 0,
    },
    {
      name: 'no drops: model calls, confirmation',
      unit: '',
      values: cleanCounts.map((c) => c.confirmation),
      digits: 0,
    },
    { name: 'no drops: whole `vitest run` process', unit: 's', values: clean.map(wall) },
    {
      name: `${count} cases worse: cases screened in`,
      unit: '',
      values: dropCounts.map((c) => c.screened),
      digits: 0,
    },
    {
      name: `${count} cases worse: cases confirmed`,
      unit: '',
      values: dropCounts.map((c) => c.confirmed),
      digits: 0,
    },
    {
      name: `${count} cases worse: cases cleared by their fresh trials`,
      unit: '',
      values: dropCounts.map((c) => c.cleared),
      digits: 0,
    },
    {
      name: `${count} cases worse: worse cases failed`,
      unit: '',
      values: dropCounts.map((c) => c.worseFailed),
      digits: 0,
      target: { op: '=', value: count },
    },
    {
      name: `${count} cases worse: other cases failed`,
      unit: '',
      values: dropCounts.map((c) => c.othersFailed),
      digits: 0,
      target: { op: '=', value: 0 },
    },
    {
      name: `${count} cases worse: model calls, first pass`,
      unit: '',
      values: dropCounts.map((c) => c.firstPass),
      digits: 0,
    },
    {
      name: `${count} cases worse: model calls, confirmation`,
      unit: '',
      values: dropCounts.map((c) => c.confirmation),
      digits: 0,
    },
    {
      name: `${count} cases worse: confirmation calls per screened case`,
      unit: '',
      values: dropCounts.map((c) => (c.screened > 0 ? c.confirmation / c.screened : Number.NaN)),
      digits: 1,
    },
    {
      name: `${count} cases worse: confirmation calls, share of all calls`,
      unit: '%',
      values: dropCounts.map((c) => (100 * c.confirmation) / (c.firstPass + c.confirmation)),
      digits: 1,
    },
    { name: `${count} cases worse: whole \`vitest run\` process`, unit: 's', values: dropped.map(wall) },
    {
      name: `${count} cases worse: wall time against the run with no drops`,
      unit: 'x',
      values: dropped.map((m, i) => m.cost.wallMs / clean[i]!.cost.wallMs),
    },
  ];
  const baseStats = base.card.statistics;
  return {
    title: '8. Confirmation trials at scale',
    setup:
      `${n} cases of the checks + judge workload of section 3 (the agent, two checks, a one-criterion judge; ` +
      `${plan.scale.perFile} cases per file) with \`repeats: ${repeats}\` and \`drift_probe: 0\`, at 0 ms, under seeded judge noise ` +
      `(each judge sample one notch, 10 points, down with p = ${JUDGE_NOISE.down} and up with p = ${JUDGE_NOISE.up}). ` +
      `The baseline is the scorecard of openai:${BASELINE_MODEL}'s own run of the same cases, so every case carries its trial ` +
      'statistics and the run a noise estimate; the candidate openai:' +
      `${CANDIDATE_MODEL} is then qualified against it ${runs} time(s) in each condition, with the same noise seed for both: ` +
      `"no drops" answers as the baseline model does; "${count} cases worse" (${(dropShare * 100).toFixed(0)} %, spread evenly over the ` +
      `files) scores ${WORSE_SCORE} instead of 9 on those cases, 30 points down. Gate defaults: screening at one-sided ` +
      `p <= ${GATE_DEFAULTS.screening_level}, ${GATE_DEFAULTS.rounds} confirmation rounds then up to ${GATE_DEFAULTS.max_rounds}, ` +
      `each round one trial of the candidate and one of the baseline model, level ${GATE_DEFAULTS.level} with Holm. ` +
      'Where the work happens: a screened case is confirmed inside its own test, in the Vitest worker that ran its first ' +
      'pass (`runCase` -> `confirmCase`, src/run/confirm.ts), so in a sharded run each shard confirms its own cases ' +
      "with that shard's provider limits and no second pass over the case set; the worker computes one one-sided p-value " +
      'per case, and fails the test at once only when p <= level / compared (a p-value Holm rejects whatever the other ' +
      'cases show; `compared` counts every case of the project with a baseline entry, the same in every shard). The ' +
      "correction across the run's cases, Holm's step-down over every compared case (src/scorecard/verdict.ts), is the " +
      "reporter's: in a sharded run the merge job's `--merge-reports`, which makes no model calls. Model calls are the " +
      "scorecard's `statistics.calls`.",
    figures,
    notes: [
      `The baseline run (openai:${BASELINE_MODEL}, ${repeats} trials per case): ${(base.cost.wallMs / 1000).toFixed(1)} s, ` +
        `${base.log.length.toLocaleString('en-US')} model calls; its pooled trial noise: sd ${baseStats?.noise.sd?.toFixed(2) ?? 'n/a'} points ` +
        `on ${baseStats?.noise.df ?? 0} degrees of freedom. Median confirmation calls with drops: ` +
        `${summarize(dropCounts.map((c) => c.confirmation)).median.toFixed(0)}, without: ` +
        `${summarize(cleanCounts.map((c) => c.confirmation)).median.toFixed(0)}.`,
    ],
  };
}
