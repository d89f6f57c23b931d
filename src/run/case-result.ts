import type { CaseResult, CaseUsage } from '../scorecard/types.js';

/** What a result is built from: the case as the project declares it. */
export interface CaseIdentity {
  id: string;
  subject: string;
  node?: string | undefined;
  tags?: string[] | undefined;
  min_score: number;
}

/**
 * A case's result before anything was measured; the one constructor of a
 * `CaseResult`. The caller adds `score`, `error` and `latency_ms` with
 * `Object.assign` (not a spread: bench/FINDINGS.md), so every result has these
 * keys in this order, whether the case ran (`runCase`) or never reported (the reporter).
 *
 * @example
 * Object.assign(unscoredResult(c, zeroCounts()), { score: null, error, latency_ms: 0 })
 */
export function unscoredResult(
  c: CaseIdentity,
  usage: CaseUsage,
): Omit<CaseResult, 'score' | 'error' | 'latency_ms'> {
  return {
    id: c.id,
    subject: c.subject,
    node: c.node,
    tags: c.tags ?? [],
    min_score: c.min_score,
    faithfulness: null,
    answer_relevancy: null,
    nan_metrics: [],
    criteria: [],
    checks: [],
    trials: null,
    usage,
  };
}
