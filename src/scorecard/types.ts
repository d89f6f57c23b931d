/**
 * The scorecard: what a qualification run produces, what `eval/baseline.json`
 * holds, and what the PR comment renders. Field names are the contract of
 * docs/architecture.md 2.7; `schema` versions it.
 */

import type { AgentUsage, RelativeGate } from './relative-gate-types.js';

export type { AgentUsage, RelativeGate };

export const SCORECARD_SCHEMA = 'vitest-qualify/scorecard@1';

/** Status of one case (docs/architecture.md 2.6). */
export type CaseStatus = 'pass' | 'new' | 'allowlisted' | 'fail' | 'error';

/** Verdict of a run: `pass` and `review` exit 0, `fail` and `error` exit non-zero. */
export type Verdict = 'pass' | 'review' | 'fail' | 'error';

/** The thresholds one subject is held to. */
export interface Thresholds {
  rubric_min_score: number;
  ragas: { faithfulness: number; answer_relevancy: number };
  max_per_case_regression: number;
}

export interface CriterionScore {
  id: string;
  /** In [0, 1]: the probability-weighted score where logprobs exist, else the raw one (or the mean of samples). */
  score: number;
  /** The judge's integer (0..10), or the mean of the integers over samples. */
  raw?: number | undefined;
  /** The G-Eval probability-weighted score on the 0..10 scale, where logprobs exist. */
  weighted?: number | undefined;
  reason: string;
}

export interface CheckOutcome {
  name: string;
  pass: boolean;
  detail: string;
}

export interface CaseUsage {
  calls: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  cached_calls: number;
  /** Calls answered from a cassette written by hand (not recorded from a provider). */
  hand_written_calls?: number | undefined;
  /** Retries after provider faults (429, 5xx, timeouts, resets) of the calls that got an answer. */
  retries?: number | undefined;
  /** Models this case called for real that have no price (sorted): `cost_usd` leaves their calls out. */
  unpriced?: string[] | undefined;
}

/** Why a case produced no score: a provider outage, a judge that never answered well, an agent that threw. */
export interface CaseError {
  kind: 'provider' | 'judge' | 'agent' | 'timeout' | 'missing';
  code: string;
  message: string;
  /**
   * An agent that threw: the frames of the user's own code, innermost first, paths relative to the
   * repository root (`at lookUp (lib/kb.ts:10:11)`); vitest-qualify's, Vitest's and Node's frames left out.
   */
  stack?: string[] | undefined;
}

/** The spread of a case's score over its trials (`repeats`). */
export interface TrialSpread {
  n: number;
  scores: number[];
  min: number;
  max: number;
  std: number;
  /** Standard error of the mean (sample standard deviation / sqrt(n)); `null` with one trial. */
  se?: number | null | undefined;
}

/** One agent output a trial scored, kept so a later run can judge it again (docs/scoring.md). */
export interface StoredOutput {
  output: string;
  /** The contexts the agent returned with it (what it retrieved), when it returned some. */
  context?: string[] | undefined;
  /** The trial's score (0..1) as this run judged it. */
  score: number;
  /** Standard error of the judge's score for this output (its samples' spread), when it took several. */
  judge_se?: number | undefined;
  /** The tools the agent called with it (they reach the judge's prompt), when it called some. */
  tool_calls?: { name: string; arguments: string }[] | undefined;
}

/**
 * What a run's scores depend on besides the outputs (docs/scoring.md "When the judge changes"):
 * a baseline made otherwise is re-judged before it is compared.
 */
export interface ScoringIdentity {
  judge: string;
  embeddings: string;
  judge_samples: number;
  /** sha256 of every prompt template that affects a score (the rubric judge's, faithfulness', answer_relevancy's). */
  prompts: string;
}

/**
 * The baseline's stored outputs of a case, judged again in this run with today's judge and
 * criteria, because what its stored points were judged with changed. Points on the 0-100 scale.
 */
export interface Rejudged {
  /** The re-judged scores of the stored outputs, in points, in their order. */
  scores: number[];
  /** Their mean: the baseline's points for this run's comparison. */
  mean: number;
  /** Sample standard deviation (0 with one output). */
  sd: number;
  /** The baseline's stored points, before re-judging. */
  stored: number;
}

/** The drift probe of one case: its stored baseline outputs' scores as stored and as judged again today (0..1). */
export interface DriftProbe {
  stored: number[];
  rejudged: number[];
  /** Per output, the judge's standard errors (stored, today's), when its samples gave one. */
  se: { stored: number | null; rejudged: number | null }[];
}

/** One arm of a confirmation: the trials of one model on one case, in points. */
export interface ConfirmationArm {
  model: string;
  n: number;
  mean: number;
  sd: number;
  scores: number[];
}

/**
 * How a first-pass drop was confirmed or cleared in the same run (docs/scoring.md "How the gate
 * decides"): more trials of the candidate and of the baseline model, same judge, and the one-sided
 * test that decides. Points on the 0-100 scale.
 */
export interface Confirmation {
  /** The first pass against the baseline's stored statistics: drop, its standard error, one-sided p. */
  screen: { drop: number; se: number | null; p: number | null };
  candidate: ConfirmationArm | null;
  /** The baseline model's fresh trials, or the baseline's stored trials when the model is gone. */
  baseline: (ConfirmationArm & { source: 'model' | 'stored'; note?: string | undefined }) | null;
  /** The estimated drop (baseline minus candidate) the budget is held to, and its 95 % interval. */
  drop: number;
  interval: [number, number] | null;
  /** The case's one-sided p-value of "no drop", before the correction across the run's cases. */
  p: number;
  /**
   * `not-screened`: the first-pass drop is within its noise; `cleared`: the fresh trials show no drop
   * (stopped early); `tested`: every round ran; `no-noise-estimate`: nothing measured the noise, so the
   * drop counts as it is; `replay`: outputs replayed from cassettes, the stored statistics decide.
   */
  stage: 'not-screened' | 'cleared' | 'tested' | 'no-noise-estimate' | 'replay';
  /** Model calls the confirmation made (both arms, their judges). */
  calls: number;
}

/**
 * What one test produces for one case, before it is compared with the baseline.
 * Travels from the test worker to the reporter in `task.meta`.
 */
export interface CaseResult {
  id: string;
  subject: string;
  node?: string | undefined;
  tags: string[];
  /** In [0, 1]; `null` when the case errored. */
  score: number | null;
  /** The minimum this case must reach (the case's `min_score` or the subject's `rubric_min_score`). */
  min_score: number;
  /** `null` when not computed (no contexts) or NaN (no statements). */
  faithfulness: number | null;
  answer_relevancy: number | null;
  /** Metrics that were computed but undefined (ragas NaN: faithfulness with no statements); left out of means, counted. */
  nan_metrics: ('faithfulness' | 'answer_relevancy')[];
  criteria: CriterionScore[];
  checks: CheckOutcome[];
  trials: TrialSpread | null;
  error: CaseError | null;
  usage: CaseUsage;
  latency_ms: number;
  /** The outputs the first-pass trials scored (docs/scoring.md "What the baseline keeps"). */
  outputs?: StoredOutput[] | undefined;
  /** The first pass against the baseline, and the confirmation when the drop was screened in. */
  confirmation?: Confirmation | undefined;
  /** sha256 of the criteria, reference and contexts it was judged on (`rubricHash`). */
  rubric_hash?: string | undefined;
  /** The baseline's outputs judged again with today's judge and criteria, when either changed. */
  rejudged?: Rejudged | undefined;
  /** The drift probe's re-judging of the baseline's stored outputs, for a probed case. */
  probe?: DriftProbe | undefined;
  /**
   * The case errored transiently on its first pass and ran a second time (docs/guarantees.md): the
   * first pass's error, and whether the second pass recovered. The result is the second pass's;
   * `usage` adds up both.
   */
  second_pass?: { first_error: CaseError; recovered: boolean } | undefined;
  /** The agent's own calls (tokens by model, latency, time to first token), for the relative gates. */
  agent_usage?: AgentUsage | undefined;
}

/** A case as the scorecard reports it: the result, compared with the baseline. */
export interface ScorecardCase extends CaseResult {
  status: CaseStatus;
  /** score x 100, or `null` when errored. */
  points: number | null;
  baseline_points: number | null;
  /** points - baseline_points; negative is a regression. */
  delta: number | null;
  /** One line a reviewer reads: why this status, and what to do. */
  message: string;
  /**
   * Whether the case's drop is confirmed after the correction across the run's cases (Holm); `null`
   * when nothing was compared (no baseline entry, an error, no drop).
   */
  confirmed?: boolean | null | undefined;
  /** For a case that dropped: the output the baseline scored for it (its first stored trial), to show beside this run's. */
  baseline_output?: string | undefined;
  /** The allowlist entry that tolerated this case's drop. */
  allowlisted_by?:
    { reason: string; author: string; date: string; reviewer?: string | undefined } | undefined;
  /** How this case's tool calls changed from the baseline's (docs/scoring.md "Tool-use changes"); absent when they held. */
  tool_changes?: CaseToolChanges | undefined;
}

/** One difference between the baseline's trajectory of a case and this run's. */
export type ToolChange =
  | { kind: 'missing' | 'extra'; name: string; count: number }
  /** The `call`-th call of `name` (1-based) on both sides, with top-level argument keys added, removed, changed. */
  | { kind: 'arguments'; name: string; call: number; added: string[]; removed: string[]; changed: string[] }
  /** The calls both sides made, in each side's order. */
  | { kind: 'order'; baseline: string[]; candidate: string[] };

/** A case whose tool-call trajectory changed from the baseline's (its modal trajectories compared). */
export interface CaseToolChanges {
  changes: ToolChange[];
  /** The names of the baseline's modal trajectory and of this run's, in order. */
  baseline: string[];
  candidate: string[];
  /** This run's trials whose trajectory differs from the baseline's modal one, of its trials. */
  trials: { differ: number; n: number };
  /** The baseline's trials that differ from its own modal trajectory, of its stored trials. */
  baseline_trials: { differ: number; n: number };
}

/** The run's tool changes: cases compared (stored trials on both sides), changed, and their ids. */
export interface ToolChangeSummary {
  /** rubric.yaml `tool_changes.on_change`: `review` makes a passing run `review`; `ignore` only records. */
  on_change: 'review' | 'ignore';
  compared: number;
  changed: number;
  cases: string[];
  /** Why nothing was compared (a baseline written before stored outputs kept their tool calls). */
  note?: string | undefined;
}

/** An aggregate gate. `pass: null` means not applicable (no scored rows): it neither passes nor fails. */
export interface Gate {
  name: 'rubric' | 'faithfulness' | 'answer_relevancy';
  subject: string;
  value: number | null;
  threshold: number;
  pass: boolean | null;
  /** Rows that entered the mean. */
  rows: number;
  /** Rows left out because their metric was NaN (faithfulness with no statements). */
  nan_rows: number;
}

export interface Aggregate {
  rubric: number | null;
  faithfulness: number | null;
  answer_relevancy: number | null;
}

export interface SubjectSummary {
  verdict: Verdict;
  aggregate: Aggregate;
  gates: Gate[];
  thresholds: Thresholds;
  counts: Record<CaseStatus, number>;
  /** The subject's relative gates against the baseline; absent when rubric.yaml sets none. */
  relative_gates?: RelativeGate[] | undefined;
}

export interface UsageSummary {
  calls: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  cached_calls: number;
  /** The cases' retries added up (absent in scorecards written before it was counted). */
  retries?: number | undefined;
  /**
   * Models called for real that have no price (sorted; absent in scorecards written before it was
   * kept). When it is not empty, `cost_usd` is the cost of the priced calls only: the rest is unknown.
   */
  unpriced?: string[] | undefined;
}

/** Where the baseline came from, so a reviewer can see the PR head did not supply it. */
export interface BaselineSource {
  /** `git` when read from a ref with `git show`, `file` when read from the working tree, `none` when missing. */
  kind: 'git' | 'file' | 'none';
  ref?: string | undefined;
  path: string;
  note?: string | undefined;
}

/** A case whose status changed from the baseline's to this run's (a flip table row). */
export interface Flip {
  id: string;
  from: CaseStatus;
  to: CaseStatus;
}

/**
 * How the gate decided (docs/scoring.md "How the gate decides"): the test, its level, what was
 * screened and confirmed, the run's paired mean delta, and the noise it measured.
 */
export interface GateStatistics {
  /** The test, in words. */
  test: string;
  /** Family-wise level across the run's compared cases (Holm). */
  level: number;
  /** One-sided level at which a first-pass drop is screened in for confirmation. */
  screening_level: number;
  /** Confirmation rounds (one candidate and one baseline-model trial each): before the futility look, and at most. */
  rounds: { first: number; max: number };
  /** Cases compared with a baseline entry; screened in; confirmed; cleared by their fresh trials. */
  compared: number;
  screened: number;
  confirmed: number;
  cleared: number;
  /** Mean of the per-case deltas (points) with its paired 95 % interval; `null` with fewer than two. */
  mean_delta: { mean: number; interval: [number, number]; n: number } | null;
  /** The smallest per-case drop (points) this run detects with 80 % power; `null` with no noise estimate. */
  min_detectable_drop: number | null;
  /** The trial noise this run measured (pooled standard deviation in points): the next run's prior. */
  noise: { sd: number | null; df: number };
  /** Model calls of the first pass and of the confirmations. */
  calls: { first_pass: number; confirmation: number };
  /** Cases whose baseline model could not be called: compared with the baseline's stored trials. */
  stored_fallback: string[];
  flips: Flip[];
}

export interface Scorecard {
  schema: typeof SCORECARD_SCHEMA;
  verdict: Verdict;
  model: string;
  baseline_model: string | null;
  judge: string;
  embeddings: string | null;
  branch: string | null;
  commit: string | null;
  created_at: string;
  thresholds: Thresholds;
  aggregate: Aggregate;
  gates: Gate[];
  subjects: Record<string, SubjectSummary>;
  cases: ScorecardCase[];
  usage: UsageSummary;
  duration_ms: number;
  baseline: BaselineSource;
  /** Case ids with a baseline entry that this run did not have. */
  cases_removed: string[];
  /** Case ids this run had that the baseline did not (status `new`). */
  cases_added: string[];
  allowlist: { unused: string[]; expired: string[] };
  /** How the model outputs were obtained. */
  source: { mode: 'live' | 'replay' | 'mixed' | 'rescore' | 'demo'; hand_written: boolean };
  /** How the gate decided; absent in scorecards written before it was noise-aware. */
  statistics?: GateStatistics | undefined;
  /** What this run's scores depend on; absent in scorecards written before it was recorded. */
  scoring?: ScoringIdentity | undefined;
  /** What differs from the baseline's scoring, and the cases whose baseline outputs were re-judged for it. */
  rejudge?: ScoringChange | undefined;
  /** The drift probe: the judge on stored baseline outputs, today against when the baseline was made. */
  drift?: DriftCheck | undefined;
  /** Cases that errored transiently on the first pass and ran again; absent when none did. */
  second_pass?: SecondPassSummary | undefined;
  /** Every subject's relative gates (cost, latency, tokens against the baseline); absent when none is set. */
  relative_gates?: RelativeGate[] | undefined;
  /** Cases whose tool calls changed from the baseline's; absent with no baseline or nothing compared. */
  tool_changes?: ToolChangeSummary | undefined;
}

/** The second pass of a run (docs/guarantees.md "A bad provider day"). */
export interface SecondPassSummary {
  /** Cases whose first pass errored transiently, so they ran a second time. */
  errored: number;
  /** Of those, the cases the second pass scored. */
  recovered: number;
  /** Their ids, in case order. */
  cases: string[];
}

/** How this run's scoring differs from the baseline's (docs/scoring.md "When the judge changes"). */
export interface ScoringChange {
  /** `judge`, `embeddings`, `prompts`, `criteria` (some cases' criteria, reference or contexts). */
  changed: ('judge' | 'embeddings' | 'prompts' | 'criteria')[];
  /** Cases whose baseline outputs were re-judged with today's judge and criteria. */
  cases: string[];
  /** What could not be compared: a baseline without a `scoring` block. */
  note?: string | undefined;
}

/**
 * The drift probe (docs/scoring.md "When the judge changes"): stored baseline outputs judged again,
 * their mean score shift (points, today minus stored) against the judge's own noise.
 */
export interface DriftCheck {
  /** Stored outputs judged again (of the probed cases). */
  checked: number;
  mean_shift: number | null;
  se: number | null;
  drifted: boolean;
  message: string;
}
