/**
 * Judging the baseline's stored outputs again (docs/scoring.md "When the judge changes"): with
 * today's judge and criteria, scored as a trial is (`scoreTrial`, same checks), without calling the
 * agent. For the comparison when what the baseline was judged with changed, and as the drift probe.
 */
import { toPoints } from '../scorecard/status.js';
import type { CaseResult, DriftProbe, Rejudged, StoredOutput } from '../scorecard/types.js';
import type { AgentOutput, TrialResult } from '../scorers/types.js';
import type { RejudgePlan } from './context.js';

/** Scores one stored output as trial `trial` (its judge calls carry the number in their cache key). */
export type ScoreOutput = (output: AgentOutput, trial: number) => Promise<TrialResult>;

/** Trial numbers of re-judged baseline outputs: after any a case's own trials and confirmation use. */
export const REJUDGE_TRIAL = 1_000_000;

/**
 * What the run's plan asks of one case: its baseline judged again for the comparison, or its stored
 * outputs as the drift probe; `{}` for neither.
 *
 * @example
 * const { rejudged, probe } = await judgeBaselineAgain(ctx.rejudge, c.id, ctx.baseline[c.id], score)
 */
export async function judgeBaselineAgain(
  plan: RejudgePlan | undefined,
  id: string,
  storedPoints: number | null | undefined,
  score: ScoreOutput,
): Promise<Pick<CaseResult, 'rejudged' | 'probe'>> {
  const compare = plan?.compare[id];
  if (compare && compare.length > 0 && typeof storedPoints === 'number') {
    return { rejudged: await rejudgeBaseline(compare, storedPoints, score) };
  }
  const probe = plan?.probe[id];
  if (probe && probe.length > 0) return { probe: await probeBaseline(probe, plan.probeTrial, score) };
  return {};
}

/**
 * The baseline of one case judged again: its stored outputs' scores today, their mean and spread.
 *
 * @example
 * const rejudged = await rejudgeBaseline(outputs, 90, score)
 * rejudged.mean // the baseline's points for this run's comparison
 */
export async function rejudgeBaseline(
  outputs: readonly StoredOutput[],
  storedPoints: number,
  score: ScoreOutput,
): Promise<Rejudged> {
  const results = await Promise.all(outputs.map((o, i) => score(agentOutput(o), REJUDGE_TRIAL + i)));
  const scores = results.map((r) => toPoints(r.score));
  const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
  const sd =
    scores.length < 2 ? 0 : Math.sqrt(scores.reduce((a, b) => a + (b - mean) ** 2, 0) / (scores.length - 1));
  return { scores, mean: round(mean), sd: round(sd), stored: storedPoints };
}

/**
 * The drift probe of one case: its stored outputs judged again (trials `firstTrial`, ...), beside
 * the scores stored for them. An output that fails a check today scores 0 whatever the judge says,
 * so it tells nothing about the judge and is left out.
 *
 * @example
 * const probe = await probeBaseline(outputs, ctx.rejudge.probeTrial, score)
 */
export async function probeBaseline(
  outputs: readonly StoredOutput[],
  firstTrial: number,
  score: ScoreOutput,
): Promise<DriftProbe> {
  const results = await Promise.all(outputs.map((o, i) => score(agentOutput(o), firstTrial + i)));
  const probe: DriftProbe = { stored: [], rejudged: [], se: [] };
  results.forEach((result, i) => {
    const stored = outputs[i];
    if (!stored || result.failed_checks.length > 0) return;
    probe.stored.push(stored.score);
    probe.rejudged.push(result.score);
    probe.se.push({ stored: stored.judge_se ?? null, rejudged: result.judge_se ?? null });
  });
  return probe;
}

/**
 * The trial number of the day's drift probe: the same all day, another tomorrow, so a recorded
 * judge answer stands in for today's judge for a day at most.
 *
 * @example
 * probeTrial('2026-12-01') // 2_000_000 + 20788 * 1000
 */
export function probeTrial(today: string): number {
  const day = Math.floor(Date.parse(`${today}T00:00:00Z`) / 86_400_000);
  return 2_000_000 + (Number.isFinite(day) ? day : 0) * 1000;
}

function agentOutput(stored: StoredOutput): AgentOutput {
  const output: AgentOutput = { output: stored.output };
  if (stored.context && stored.context.length > 0) output.context = [...stored.context];
  if (stored.tool_calls && stored.tool_calls.length > 0) {
    output.toolCalls = stored.tool_calls.map((call, i) => ({
      id: `stored_${i}`,
      name: call.name,
      arguments: parseOrUndefined(call.arguments),
      rawArguments: call.arguments,
    }));
  }
  return output;
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
