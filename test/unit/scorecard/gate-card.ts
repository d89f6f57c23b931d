import { buildScorecard } from '../../../src/scorecard/build.js';
import type { AllowEntry } from '../../../src/scorecard/status.js';
import type {
  CaseResult,
  Confirmation,
  ConfirmationArm,
  Scorecard,
  Thresholds,
  TrialSpread,
} from '../../../src/scorecard/types.js';
import { computeVerdict } from '../../../src/scorecard/verdict.js';

/**
 * A scorecard from the real verdict with the noise-aware gate's fields: a confirmed drop, a drop
 * cleared as noise, an allowlisted drop compared with the baseline's stored trials (the baseline
 * model gone), a case failing its minimum with a drop within noise, and a fail-to-pass flip.
 */

export const MODEL = 'anthropic:claude-opus-4-7';
export const BASELINE_MODEL = 'anthropic:claude-sonnet-4-6';

const thresholds: Thresholds = {
  rubric_min_score: 0.8,
  ragas: { faithfulness: 0.78, answer_relevancy: 0.78 },
  max_per_case_regression: 3,
};

/** Trials of one case, scores on 0-1. */
export function trials(scores: number[]): TrialSpread {
  const n = scores.length;
  const mean = scores.reduce((a, b) => a + b, 0) / n;
  const std = Math.sqrt(scores.reduce((a, s) => a + (s - mean) ** 2, 0) / (n - 1));
  return { n, scores, min: Math.min(...scores), max: Math.max(...scores), std, se: std / Math.sqrt(n) };
}

export function arm(model: string, scores: number[]): ConfirmationArm {
  const n = scores.length;
  const mean = scores.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(scores.reduce((a, s) => a + (s - mean) ** 2, 0) / (n - 1));
  return { model, n, mean, sd, scores };
}

export function result(id: string, score: number, extra: Partial<CaseResult> = {}): CaseResult {
  return {
    id,
    subject: 'drafter',
    tags: [],
    score,
    min_score: 0.8,
    faithfulness: null,
    answer_relevancy: null,
    nan_metrics: [],
    criteria: [],
    checks: [],
    trials: null,
    error: null,
    usage: { calls: 6, input_tokens: 100, output_tokens: 20, cost_usd: 0.001, cached_calls: 0 },
    latency_ms: 5,
    ...extra,
  };
}

const notScreened = (drop: number, p: number | null): Confirmation => ({
  screen: { drop, se: p === null ? null : 1.5, p },
  candidate: null,
  baseline: null,
  drop,
  interval: null,
  p: 1,
  stage: 'not-screened',
  calls: 0,
});

export const RESULTS: CaseResult[] = [
  result('refund-window', 0.82, {
    trials: trials([0.8, 0.82, 0.84]),
    outputs: [{ output: 'Refunds are possible within 14 days.', score: 0.8 }],
    usage: { calls: 38, input_tokens: 100, output_tokens: 20, cost_usd: 0.001, cached_calls: 0 },
    confirmation: {
      screen: { drop: 8, se: 1.8, p: 0.004 },
      candidate: arm(MODEL, [80, 82, 84, 81, 83, 82, 80, 84]),
      baseline: { ...arm(BASELINE_MODEL, [90, 89, 91, 90, 88, 92, 90, 90]), source: 'model' },
      drop: 8,
      interval: [6.2, 9.8],
      p: 0.0004,
      stage: 'tested',
      calls: 32,
    },
  }),
  result('privacy-other-customer', 0.86, {
    trials: trials([0.85, 0.86, 0.87]),
    outputs: [{ output: 'I cannot share another customer’s order.', score: 0.85 }],
    usage: { calls: 18, input_tokens: 100, output_tokens: 20, cost_usd: 0.001, cached_calls: 0 },
    confirmation: {
      screen: { drop: 2, se: 1.2, p: 0.06 },
      candidate: arm(MODEL, [88, 87, 89]),
      baseline: { ...arm(BASELINE_MODEL, [87, 88, 88]), source: 'model' },
      drop: -0.333333,
      interval: [-2.1, 1.4],
      p: 1,
      stage: 'cleared',
      calls: 12,
    },
  }),
  result('escalation-tone', 0.82, {
    trials: trials([0.81, 0.82, 0.83]),
    outputs: [{ output: 'Let me pass this to a specialist.', score: 0.81 }],
    usage: { calls: 22, input_tokens: 100, output_tokens: 20, cost_usd: 0.001, cached_calls: 0 },
    confirmation: {
      screen: { drop: 3, se: 1.1, p: 0.01 },
      candidate: arm(MODEL, [82, 83, 82, 82, 83, 82, 83, 82]),
      baseline: {
        model: BASELINE_MODEL,
        n: 3,
        mean: 85,
        sd: 1,
        scores: [],
        source: 'stored',
        note: "the baseline model could not be called (404 model not found): compared with the baseline's stored trials, which this run cannot re-measure",
      },
      drop: 2.625,
      interval: [1.3, 3.9],
      p: 0.002,
      stage: 'tested',
      calls: 16,
    },
  }),
  result('billing-dispute', 0.78, {
    trials: trials([0.77, 0.78, 0.79]),
    outputs: [{ output: 'Disputes take 5 days.', score: 0.77 }],
    confirmation: notScreened(2, 0.3),
  }),
  result('greeting', 0.9, {
    trials: trials([0.89, 0.9, 0.91]),
    outputs: [{ output: 'Hello!', score: 0.9 }],
    confirmation: notScreened(-20, 1),
  }),
];

export const BASELINE = {
  schema: 'vitest-qualify/scorecard@1',
  model: BASELINE_MODEL,
  cases: [
    {
      id: 'refund-window',
      points: 90,
      status: 'pass',
      outputs: [{ output: 'Refunds within 30 days.', score: 0.9 }],
    },
    {
      id: 'privacy-other-customer',
      points: 88,
      status: 'pass',
      outputs: [{ output: 'I cannot share that.', score: 0.88 }],
    },
    {
      id: 'escalation-tone',
      points: 85,
      status: 'pass',
      outputs: [{ output: 'A specialist will call.', score: 0.85 }],
    },
    {
      id: 'billing-dispute',
      points: 80,
      status: 'pass',
      outputs: [{ output: 'Disputes take 3 days.', score: 0.8 }],
    },
    { id: 'greeting', points: 70, status: 'fail', outputs: [{ output: 'Hi.', score: 0.7 }] },
  ],
};

export const ALLOW: AllowEntry[] = [
  {
    case: 'escalation-tone',
    model: MODEL,
    reason: 'softer tone on purpose',
    author: 'ana',
    date: '2026-11-20',
  },
];

/** The card: `results` against `baseline` with the real verdict and gate statistics. */
export function gateCard(results: CaseResult[] = RESULTS, baseline = BASELINE): Scorecard {
  const verdict = computeVerdict({
    results,
    baseline,
    allowlist: ALLOW,
    thresholds: { default: thresholds },
    model: MODEL,
    today: '2026-11-27',
  });
  return buildScorecard(verdict, {
    model: MODEL,
    judge: 'openai:gpt-4.1',
    embeddings: null,
    thresholds,
    baseline: { schema: 'vitest-qualify/scorecard@1', model: BASELINE_MODEL, cases: baseline.cases },
    baselineSource: { kind: 'git', ref: 'origin/main', path: 'eval/baseline.json' },
    branch: 'model/anthropic-claude-opus-4-7',
    commit: 'abc123',
    createdAt: new Date('2026-11-27T10:00:00Z'),
    durationMs: 12_345,
  });
}

/** The same card as a scorecard written before the gate was noise-aware: none of the gate's fields. */
export function oldCard(): Scorecard {
  const card = gateCard();
  delete card.statistics;
  for (const c of card.cases) {
    delete c.confirmed;
    delete c.baseline_output;
    delete c.outputs;
    delete c.confirmation;
    if (c.trials) delete c.trials.se;
  }
  return card;
}
