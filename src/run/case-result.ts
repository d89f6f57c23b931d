import { zeroCounts } from '../providers/usage.js';
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

/**
 * A case whose pass outlived `case_timeout_s`: an error of kind `timeout`, as the reporter records a
 * test Vitest timed out. What the pass spent is not known here; its usage reads zero.
 *
 * @example
 * timedOutResult(c, 300_000).error // { kind: 'timeout', code: 'E_CASE_TIMEOUT', message: 'the case timed out after 300 s (case_timeout_s)...' }
 */
export function timedOutResult(c: CaseIdentity, timeoutMs: number): CaseResult {
  return Object.assign(unscoredResult(c, zeroCounts()), {
    score: null,
    error: {
      kind: 'timeout' as const,
      code: 'E_CASE_TIMEOUT',
      message: `the case timed out after ${timeoutMs / 1000} s (case_timeout_s): raise case_timeout_s in rubric.yaml, or look for a call that hangs`,
    },
    latency_ms: timeoutMs,
  });
}
