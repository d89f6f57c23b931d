import { addCounts, zeroCounts } from '../providers/usage.js';
import type { Baseline } from './baseline.js';
import {
  SCORECARD_SCHEMA,
  type BaselineSource,
  type CaseResult,
  type SecondPassSummary,
  type DriftCheck,
  type Scorecard,
  type ScoringChange,
  type ScoringIdentity,
  type Thresholds,
  type UsageSummary,
} from './types.js';
import type { VerdictOutput } from './verdict.js';

export interface ScorecardMeta {
  model: string;
  judge: string;
  embeddings: string | null;
  thresholds: Thresholds;
  baseline: Baseline | null;
  baselineSource: BaselineSource;
  branch: string | null;
  commit: string | null;
  createdAt: Date;
  durationMs: number;
  /** `rescore` when outputs came from a previous run's recordings. */
  rescore?: boolean | undefined;
  /** `demo` when every answer came from the `qualify demo` server, not a model. */
  demo?: boolean | undefined;
  /** What this run's scores depend on (docs/scoring.md "When the judge changes"). */
  scoring?: ScoringIdentity | undefined;
  /** How that differs from the baseline's, and which cases' baseline outputs were judged again. */
  rejudge?: ScoringChange | undefined;
  /** The drift probe's finding (`driftCheck`): a judge that drifted makes the verdict `error`. */
  drift?: DriftCheck | undefined;
}

/**
 * Assemble the scorecard (docs/architecture.md 2.7) from a verdict and the run's metadata.
 *
 * @example
 * const card = buildScorecard(computeVerdict(input), meta)
 */
export function buildScorecard(verdict: VerdictOutput, meta: ScorecardMeta): Scorecard {
  const usage: UsageSummary = zeroCounts();
  const unpriced = new Set<string>();
  for (const c of verdict.cases) {
    for (const model of c.usage.unpriced ?? []) unpriced.add(model);
    addCounts(usage, c.usage);
  }
  usage.unpriced = [...unpriced].sort();
  usage.cost_usd = Math.round(usage.cost_usd * 1e6) / 1e6;
  const mode = meta.demo
    ? 'demo'
    : meta.rescore
      ? 'rescore'
      : usage.calls > 0 && usage.cached_calls === usage.calls
        ? 'replay'
        : usage.cached_calls > 0
          ? 'mixed'
          : 'live';
  const card: Scorecard = {
    schema: SCORECARD_SCHEMA,
    // A judge that drifted says nothing the baseline can be compared with: like an outage, an error.
    verdict: meta.drift?.drifted ? 'error' : verdict.verdict,
    model: meta.model,
    baseline_model: meta.baseline?.model ?? null,
    judge: meta.judge,
    embeddings: meta.embeddings,
    branch: meta.branch,
    commit: meta.commit,
    created_at: meta.createdAt.toISOString(),
    thresholds: meta.thresholds,
    aggregate: verdict.aggregate,
    gates: verdict.gates,
    subjects: verdict.subjects,
    cases: verdict.cases,
    usage,
    duration_ms: Math.round(meta.durationMs),
    baseline: meta.baselineSource,
    cases_removed: verdict.cases_removed,
    cases_added: verdict.cases_added,
    allowlist: verdict.allowlist,
    source: { mode, hand_written: verdict.cases.some((c) => (c.usage.hand_written_calls ?? 0) > 0) },
    statistics: verdict.statistics,
  };
  const secondPass = secondPassCounts(verdict.cases);
  if (secondPass.errored > 0) card.second_pass = secondPass;
  if (meta.scoring) card.scoring = meta.scoring;
  if (meta.rejudge) card.rejudge = meta.rejudge;
  if (meta.drift) card.drift = meta.drift;
  if (verdict.relative_gates) card.relative_gates = verdict.relative_gates;
  if (verdict.tool_changes) card.tool_changes = verdict.tool_changes;
  return card;
}

/**
 * The cases that errored transiently on their first pass and ran again, and how many of them the
 * second pass recovered (docs/guarantees.md).
 *
 * @example
 * secondPassCounts(cases) // { errored: 3, recovered: 2, cases: ['refund-3', 'refund-7', 'ship-1'] }
 */
export function secondPassCounts(cases: readonly CaseResult[]): SecondPassSummary {
  const again = cases.filter((c) => c.second_pass !== undefined);
  return {
    errored: again.length,
    recovered: again.filter((c) => c.second_pass!.recovered).length,
    cases: again.map((c) => c.id),
  };
}
