/**
 * What the relative gates read and write (docs/scoring.md "Relative gates"): each case's agent
 * usage, and one gate's outcome in the scorecard.
 */
import type { RelativeGateName } from '../config/schema/relative-gates.js';

export type { RelativeGateName };

/** Tokens one model spent on a case's agent calls, summed over the case's first-pass trials. */
export interface AgentModelTokens {
  input_tokens: number;
  output_tokens: number;
  /** Where the provider reports them (OpenAI `completion_tokens_details.reasoning_tokens`); part of `output_tokens`. */
  reasoning_tokens?: number | undefined;
}

/**
 * The agent's own calls of a case (not the judge's, not the confirmation trials'): tokens by model
 * summed over its first-pass trials, and the timings of the trials whose calls were all live.
 */
export interface AgentUsage {
  /** First-pass trials measured: divide the token sums by it for a trial's. */
  trials: number;
  calls: number;
  /** Agent calls answered from cassettes: the trials that had one carry no latency. */
  cached_calls: number;
  /** By `provider:model`, in the order first called. */
  models: Record<string, AgentModelTokens>;
  /** Wall time of the agent in each trial whose calls all went to a provider, in milliseconds. */
  latency_ms: number[];
  /** Time to first token of the agent's first streamed call, per live trial that streamed one. */
  ttft_ms: number[];
}

/** A relative gate's outcome: `not_applicable` neither passes nor fails, and says why in `note`. */
export type RelativeGateStatus = 'pass' | 'review' | 'fail' | 'not_applicable';

/**
 * One relative gate of one subject: the baseline's and this run's value over the compared cases,
 * the increase (0.25 = +25 %) with its 90 % bootstrap interval, the budget, and the outcome.
 */
export interface RelativeGate {
  name: RelativeGateName;
  subject: string;
  /** `usd` for cost, `ms` for latency and time to first token, `tokens` for tokens. */
  unit: 'usd' | 'ms' | 'tokens';
  baseline: number | null;
  candidate: number | null;
  /** candidate / baseline - 1; `null` when not applicable. */
  increase: number | null;
  /** The largest tolerated increase (0.2 = 20 %). */
  budget: number;
  /** 5th and 95th percentiles of the paired bootstrap's increase; the lower one is held to the budget. */
  interval: [number, number] | null;
  status: RelativeGateStatus;
  on_exceed: 'fail' | 'review';
  /** Cases compared: present, scored and not errored on both sides, with the quantity measured on both. */
  cases: number;
  /** One line a reviewer reads. */
  note: string;
}
