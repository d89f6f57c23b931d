/**
 * Confirm before you fail (docs/scoring.md "How the gate decides"): a case's first-pass drop
 * against the baseline's stored statistics is screened; a drop its noise cannot explain is re-run in
 * the same run, the candidate and the baseline model side by side, and one one-sided p-value per case
 * says how surprising the drop is. The correction across the run's cases is the reporter's (Holm).
 */
import { ProviderError } from '../providers/errors.js';
import {
  armStats,
  dropTest,
  normalCdf,
  normalQuantile,
  type ArmStats,
  type NoisePrior,
} from '../scorecard/statistics.js';
import type { Confirmation, ConfirmationArm } from '../scorecard/types.js';

/** The gate's settings and what the baseline knows, as the worker reads them (`RuntimeContext.gate`). */
export interface GateContext {
  level: number;
  screening_level: number;
  rounds: number;
  max_rounds: number;
  /**
   * Cases in scope with a baseline entry. A p-value at or below `level / compared` is rejected by
   * Holm whatever the other cases show, so the worker's test can fail on it at once.
   */
  compared: number;
  /** The model that made the baseline, called again to confirm a drop; `null` with no baseline. */
  baselineModel: string | null;
  /** The baseline run's pooled trial noise: the prior of every case's test. */
  prior: NoisePrior;
  /** Per case, the baseline's trial count and standard deviation (points). */
  trials: Record<string, { n: number; sd: number }>;
  /** `false` in replay and rescore runs: recorded outputs are not fresh trials, so none are drawn. */
  fresh: boolean;
}

/** What confirming one case needs: its first pass, the baseline's entry, and a trial of each model. */
export interface ConfirmInputs {
  /** The first-pass trial scores of the candidate, in points. */
  first: readonly number[];
  /** The baseline's points for the case, with its trial count and spread. */
  baseline: { points: number; n: number; sd: number };
  gate: GateContext;
  candidateModel: string;
  /** One more trial of the candidate (round `i`, from 0), in points. */
  candidateTrial(round: number): Promise<number>;
  /** One trial of the baseline model on the same case with the same judge, in points. */
  baselineTrial(round: number): Promise<number>;
}

/** Below this, a difference in points is floating-point noise, not a drop. */
const EPSILON = 1e-6;

/**
 * Screens and, when needed, confirms one case's drop. Throws what a trial throws, except that a
 * baseline model the provider no longer serves (404) falls back on the baseline's stored statistics.
 *
 * @example
 * const confirmation = await confirmCase({ first: [78], baseline: { points: 90, n: 3, sd: 2 }, gate,
 *   candidateModel: 'openai:gpt-5.1', candidateTrial, baselineTrial })
 * confirmation.stage // 'tested', 'cleared', 'not-screened', ...
 */
export async function confirmCase(inputs: ConfirmInputs): Promise<Confirmation> {
  const { gate } = inputs;
  const first = armStats(inputs.first);
  const stored: ArmStats = { n: inputs.baseline.n, mean: inputs.baseline.points, sd: inputs.baseline.sd };
  const screen = dropTest(stored, first, gate.prior);
  const screened = {
    drop: round(screen.drop),
    se: roundOrNull(screen.se),
    p: screen.se === null ? null : round(screen.p),
  };
  const noEstimate = screen.se === null;
  const settle = (
    stage: Confirmation['stage'],
    p: number,
    rest: Partial<Pick<Confirmation, 'candidate' | 'baseline' | 'drop' | 'interval' | 'calls'>> = {},
  ): Confirmation => ({
    screen: screened,
    candidate: rest.candidate ?? null,
    baseline: rest.baseline ?? null,
    drop: rest.drop ?? screened.drop,
    interval: rest.interval ?? roundPair(screen.interval),
    p: round(p),
    stage,
    calls: rest.calls ?? 0,
  });

  if (screen.drop <= EPSILON) return settle('not-screened', 1);
  if (!gate.fresh) return noEstimate ? settle('no-noise-estimate', 0) : settle('replay', screen.p);
  if (!noEstimate && screen.p > gate.screening_level) return settle('not-screened', 1);

  const candidate: number[] = [];
  const baseline: number[] = [];
  let gone: string | undefined;
  const draw = async (from: number, to: number): Promise<void> => {
    const rounds = Array.from({ length: to - from }, (_, k) => from + k);
    const [fresh, old] = await Promise.all([
      Promise.all(rounds.map((r) => inputs.candidateTrial(r))),
      gone === undefined
        ? Promise.allSettled(rounds.map((r) => inputs.baselineTrial(r)))
        : Promise.resolve([]),
    ]);
    candidate.push(...fresh);
    for (const outcome of old) {
      if (outcome.status === 'fulfilled') baseline.push(outcome.value);
      else if (isGone(outcome.reason)) gone ??= firstLineOf(outcome.reason);
      else throw outcome.reason;
    }
  };
  const test = () => {
    const old = gone === undefined ? armStats(baseline) : stored;
    return { old, result: dropTest(old, armStats(candidate), gate.prior) };
  };
  const arms = (old: ArmStats): Pick<Confirmation, 'candidate' | 'baseline'> => ({
    candidate: arm(inputs.candidateModel, candidate),
    baseline:
      gone === undefined
        ? { ...arm(gate.baselineModel ?? '', baseline), source: 'model' }
        : {
            model: gate.baselineModel ?? '',
            n: old.n,
            mean: round(old.mean),
            sd: round(old.sd),
            scores: [],
            source: 'stored',
            note: `the baseline model could not be called (${gone}): compared with the baseline's stored trials, which this run cannot re-measure`,
          },
  });

  await draw(0, Math.min(gate.rounds, gate.max_rounds));
  let { old, result } = test();
  if (result.drop <= EPSILON) {
    return settle('cleared', 1, {
      ...arms(old),
      drop: round(result.drop),
      interval: roundPair(result.interval),
    });
  }
  // Neither model's trials vary at all: the drop is what every trial shows, and more rounds cannot change it.
  const settled = result.se === 0 && old.sd === 0;
  if (gate.max_rounds > gate.rounds && !settled) {
    await draw(gate.rounds, gate.max_rounds);
    ({ old, result } = test());
  }
  const p =
    result.se === null
      ? result.drop > EPSILON
        ? 0
        : 1
      : noEstimate || gone !== undefined
        ? result.p
        : combine(screen.p, result.p, informationOf(first.n, stored.n), gate.max_rounds / 2);
  return settle('tested', p, {
    ...arms(old),
    drop: round(result.drop),
    interval: roundPair(result.interval),
  });
}

/**
 * The inverse-normal combination of the first pass's p-value and the confirmation's, with weights
 * fixed before either is seen (the information each stage was planned to carry). The two rest on
 * separate trials, so under "no drop" the combination is uniform; a case not screened in, or cleared
 * at the early look, only ever loses rejections.
 *
 * @example
 * combine(0.05, 0.01, 1.5, 4) // about 0.002
 */
export function combine(p1: number, p2: number, info1: number, info2: number): number {
  const w1 = Math.sqrt(info1 / (info1 + info2));
  const w2 = Math.sqrt(info2 / (info1 + info2));
  const z = w1 * normalQuantile(1 - clamp(p1)) + w2 * normalQuantile(1 - clamp(p2));
  return 1 - normalCdf(z);
}

/** The information a difference of two means carries per unit variance: 1 / (1/n1 + 1/n2). */
function informationOf(n1: number, n2: number): number {
  return 1 / (1 / n1 + 1 / n2);
}

/** A provider that answers 404 for the model: it is no longer served (or never was under that name). */
function isGone(error: unknown): boolean {
  return error instanceof ProviderError && error.status === 404;
}

function arm(model: string, scores: readonly number[]): ConfirmationArm {
  const stats = armStats(scores);
  return { model, n: stats.n, mean: round(stats.mean), sd: round(stats.sd), scores: scores.map(round) };
}

function firstLineOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}

function clamp(p: number): number {
  return Math.min(1 - 1e-15, Math.max(1e-15, p));
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

function roundOrNull(value: number | null): number | null {
  return value === null ? null : round(value);
}

function roundPair(pair: [number, number] | null): [number, number] | null {
  return pair === null ? null : [round(pair[0]), round(pair[1])];
}
