import { buildScorecard } from '../../src/scorecard/build.js';
import type { CaseResult, Scorecard, Thresholds } from '../../src/scorecard/types.js';
import { computeVerdict } from '../../src/scorecard/verdict.js';

const MODEL = 'anthropic:claude-opus-4-7';
const THRESHOLDS: Thresholds = {
  rubric_min_score: 0.82,
  ragas: { faithfulness: 0.78, answer_relevancy: 0.78 },
  max_per_case_regression: 3,
};

/** A case result; `score` in [0, 1] or `null` with an error. */
export function caseResult(id: string, score: number | null, extra: Partial<CaseResult> = {}): CaseResult {
  return {
    id,
    subject: 'agent',
    tags: [],
    score,
    min_score: 0.82,
    faithfulness: null,
    answer_relevancy: null,
    nan_metrics: [],
    criteria: [],
    checks: [],
    trials: null,
    error: null,
    usage: { calls: 1, input_tokens: 10, output_tokens: 5, cost_usd: 0.001, cached_calls: 0 },
    latency_ms: 1,
    ...extra,
  };
}

/**
 * A real scorecard from the real verdict: `results` against a baseline where
 * every case scored `baselinePoints`.
 *
 * @example
 * renderMarkdown(scorecardOf([caseResult('a', 0.9)]))
 */
export function scorecardOf(results: CaseResult[], baselinePoints = 90): Scorecard {
  const verdict = computeVerdict({
    results,
    baseline: { cases: results.map((r) => ({ id: r.id, points: baselinePoints })) },
    allowlist: [],
    thresholds: { default: THRESHOLDS },
    model: MODEL,
    today: '2026-11-27',
  });
  return buildScorecard(verdict, {
    model: MODEL,
    judge: 'openai:gpt-5',
    embeddings: 'openai:text-embedding-3-small',
    thresholds: THRESHOLDS,
    baseline: { schema: 'vitest-qualify/scorecard@1', model: 'anthropic:claude-sonnet-4-6', cases: [] },
    baselineSource: { kind: 'git', ref: 'origin/main', path: 'eval/baseline.json' },
    branch: 'model/anthropic-claude-opus-4-7',
    commit: 'abc1234',
    createdAt: new Date('2026-11-27T12:00:00Z'),
    durationMs: 12_345,
  });
}
