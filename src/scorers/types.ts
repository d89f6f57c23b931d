/**
 * The shapes the scorers consume and produce. Inputs are structural: a case from
 * the config loader fits `ScoringCase` as long as it has these fields.
 */
import type { ModelClient, ToolCall } from '../providers/types.js';
import type { Check } from '../config/schema/checks.js';
import type { CheckDeps } from './checks.js';
import type { NoncommittalGate } from './math.js';

/** A normalised check, as the config loader produces it. */
export type { Check } from '../config/schema/checks.js';

/**
 * What the agent under test returned for one case.
 *
 * @example
 * const out: AgentOutput = { output: 'No: 30 days.', context: ['Returns within 30 days.'] }
 */
export interface AgentOutput {
  output: string;
  /** The contexts it retrieved, when it reports them; they enable faithfulness. */
  context?: string[] | undefined;
  toolCalls?: ToolCall[] | undefined;
}

/**
 * One turn of a case given as `messages`.
 *
 * @example
 * const turn: CaseMessage = { role: 'user', content: 'Can I return shoes?' }
 */
export interface CaseMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/**
 * One thing the judge scores, 0..1, weighted in the case's rubric score.
 *
 * @example
 * const c: Criterion = { id: 'states-window', text: 'States the 30-day window', weight: 2 }
 */
export interface Criterion {
  id: string;
  text: string;
  weight: number;
}

/**
 * A case as the scorers need it. `criteria` is the case's own plus the rubric-wide ones;
 * `input` or `messages` says what the user asked. A config `Case` fits it.
 *
 * @example
 * const c: ScoringCase = { id: 'refund', input: 'Return after 40 days?', context: ['Returns within 30 days.'] }
 */
export interface ScoringCase {
  id: string;
  input?: string | undefined;
  messages?: readonly CaseMessage[] | undefined;
  context?: readonly string[] | undefined;
  reference?: string | undefined;
  criteria?: readonly Criterion[] | undefined;
  checks?: readonly Check[] | undefined;
}

/**
 * The outcome of one deterministic check. `detail` says why it failed, or briefly confirms the pass.
 *
 * @example
 * const r: CheckResult = { name: 'no guarantees', pass: false, detail: 'found "guarantee" at char 42' }
 */
export interface CheckResult {
  name: string;
  pass: boolean;
  detail: string;
}

/**
 * One criterion as scored by the judge.
 *
 * @example
 * const r: CriterionResult = { id: 'states-window', score: 0.85, raw: 8, weighted: 8.5, reason: 'Says 30 days.' }
 */
export interface CriterionResult {
  id: string;
  /** In [0, 1]: `weighted / 10` where logprobs gave one, else `raw / 10`. */
  score: number;
  /** The judge's integer 0..10, or the mean of the integers over samples. */
  raw: number;
  /** The G-Eval probability-weighted score on the 0..10 scale (mean over samples), where logprobs exist. */
  weighted?: number | undefined;
  /** The judge's reason (of the first sample). */
  reason: string;
}

/**
 * How the judge was asked, for the scorecard.
 *
 * @example
 * const j: JudgeInfo = { model: 'openai:gpt-5', samples: 1, used_logprobs: true }
 */
export interface JudgeInfo {
  model: string;
  samples: number;
  used_logprobs: boolean;
}

/**
 * Everything a trial needs from the rubric, plus the client all model calls go through.
 *
 * @example
 * const config: ScoringConfig = { client, judge: 'openai:gpt-5', embeddings: 'openai:text-embedding-3-small',
 *   judgeSamples: 1, relevancy: { strictness: 3, noncommittal_gate: 'all' } }
 */
export interface ScoringConfig {
  client: ModelClient;
  /** `provider:model` of the judge (also used for faithfulness and answer_relevancy). */
  judge: string;
  /** `provider:model` of the embeddings (answer_relevancy). */
  embeddings: string;
  /** Judge samples per case (`n`), averaged; default 1. Logprob weighting applies to each sample where available. */
  judgeSamples?: number | undefined;
  /** Temperature of the judge's requests; default 0 for one sample, 1 for several. Faithfulness and relevancy keep theirs. */
  judgeTemperature?: number | undefined;
  relevancy?:
    { strictness?: number | undefined; noncommittal_gate?: NoncommittalGate | undefined } | undefined;
  /** Rubric-wide criteria, scored for every case after the case's own. */
  criteria?: readonly Criterion[] | undefined;
  /** For `javascript` checks: the module loader and the repository root. */
  checks?: CheckDeps | undefined;
  /** Cancels the scorers' model calls (a test timeout). */
  signal?: AbortSignal | undefined;
}

/**
 * The result of scoring one trial (one agent run) of one case.
 *
 * @example
 * const { score, failed_checks, criteria } = await scoreTrial(config, c, out)
 */
export interface TrialResult {
  /** In [0, 1]. 0 when a check failed; the weighted mean of criteria otherwise; 1 with no criteria. */
  score: number;
  checks: CheckResult[];
  /** Names of the checks that failed (and zeroed the score). */
  failed_checks: string[];
  /** The case's rubric score from the judge alone (before checks), `null` with no criteria. */
  rubric: number | null;
  criteria: CriterionResult[];
  /** `null` when not computed (no contexts); NaN when ragas says undefined (no statements). */
  faithfulness: number | null;
  /** `null` when not computed (no contexts). */
  answer_relevancy: number | null;
  /** `null` when no judge call was made (no criteria). */
  judge: JudgeInfo | null;
  /** Standard error of `rubric` over the judge's samples, when it took several (`judgeSpread`). */
  judge_se?: number | undefined;
}
