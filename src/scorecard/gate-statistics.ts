/**
 * The run-level picture of the noise-aware gate (docs/scoring.md "How the gate decides"): what was
 * compared, screened, confirmed and cleared, the paired mean delta, the noise this run measured (the
 * next run's prior), the smallest drop it could detect, the calls it spent, and the flip table.
 */
import { armStats, detectableDrop, pairedInterval } from './statistics.js';
import type { CaseStatus, Flip, GateStatistics, ScorecardCase } from './types.js';
import type { GateSettings } from './verdict.js';

/** The test, as the scorecard names it. */
export const GATE_TEST =
  'one-sided moderated t-test per case (first pass against the stored baseline, then fresh trials of both models, ' +
  'combined by the inverse normal method); Holm across the compared cases';

/**
 * The gate's statistics for a run's judged cases.
 *
 * @example
 * gateStatistics(cases, baseline, { level: 0.05, screening_level: 0.1, rounds: 3, max_rounds: 8 }).confirmed // 2
 */
export function gateStatistics(
  cases: readonly ScorecardCase[],
  baseline: { cases: readonly { id: string; status?: unknown }[] } | null,
  gate: GateSettings,
): GateStatistics {
  const compared = cases.filter((c) => c.delta !== null && c.status !== 'error');
  const stage = (c: ScorecardCase) => c.confirmation?.stage;
  const noise = pooledNoise(cases);
  const firstPassTrials = median(compared.map((c) => c.trials?.n ?? 1));
  const information = 1 / (1 / firstPassTrials + 1 / firstPassTrials) + gate.max_rounds / 2;
  let confirmationCalls = 0;
  let calls = 0;
  for (const c of cases) {
    calls += c.usage.calls;
    confirmationCalls += c.confirmation?.calls ?? 0;
  }
  return {
    test: GATE_TEST,
    level: gate.level,
    screening_level: gate.screening_level,
    rounds: { first: gate.rounds, max: gate.max_rounds },
    compared: compared.length,
    screened: compared.filter((c) => stage(c) === 'cleared' || stage(c) === 'tested').length,
    confirmed: compared.filter((c) => c.confirmed === true).length,
    cleared: compared.filter((c) => stage(c) === 'cleared').length,
    mean_delta: pairedInterval(compared.map((c) => c.delta as number)),
    min_detectable_drop:
      noise.sd === null || compared.length === 0
        ? null
        : round(detectableDrop(noise.sd / Math.sqrt(information), gate.level / compared.length, 0.8)),
    noise,
    calls: { first_pass: calls - confirmationCalls, confirmation: confirmationCalls },
    stored_fallback: cases.filter((c) => c.confirmation?.baseline?.source === 'stored').map((c) => c.id),
    flips: flips(cases, baseline),
  };
}

/**
 * The trial noise of this run: the standard deviation (points) pooled over every set of repeated
 * trials of one model on one case (first-pass trials, both confirmation arms), with its degrees of freedom.
 */
function pooledNoise(cases: readonly ScorecardCase[]): { sd: number | null; df: number } {
  let squares = 0;
  let df = 0;
  const add = (scores: readonly number[]) => {
    const { n, sd } = armStats(scores);
    if (n < 2) return;
    squares += (n - 1) * sd ** 2;
    df += n - 1;
  };
  for (const c of cases) {
    if (c.status === 'error') continue;
    if (c.trials) add(c.trials.scores.map((s) => s * 100));
    if (c.confirmation?.candidate) add(c.confirmation.candidate.scores);
    if (c.confirmation?.baseline?.source === 'model') add(c.confirmation.baseline.scores);
  }
  return { sd: df > 0 ? round(Math.sqrt(squares / df)) : null, df };
}

/** Cases that went from passing to failing, or back, against the baseline's own statuses. */
function flips(
  cases: readonly ScorecardCase[],
  baseline: { cases: readonly { id: string; status?: unknown }[] } | null,
): Flip[] {
  const before = new Map<string, CaseStatus>();
  for (const c of baseline?.cases ?? []) {
    if (isStatus(c.status)) before.set(c.id, c.status);
  }
  const out: Flip[] = [];
  for (const c of cases) {
    const from = before.get(c.id);
    if (from === undefined) continue;
    if (passing(from) !== passing(c.status) && from !== 'error' && c.status !== 'error') {
      out.push({ id: c.id, from, to: c.status });
    }
  }
  return out;
}

function passing(status: CaseStatus): boolean {
  return status === 'pass' || status === 'new' || status === 'allowlisted';
}

function isStatus(value: unknown): value is CaseStatus {
  return (
    value === 'pass' || value === 'new' || value === 'allowlisted' || value === 'fail' || value === 'error'
  );
}

function median(values: readonly number[]): number {
  if (values.length === 0) return 1;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
