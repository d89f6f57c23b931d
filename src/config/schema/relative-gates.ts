import { z } from 'zod';

/**
 * The measured quantities a relative gate can hold to a budget against the baseline
 * (docs/scoring.md "Relative gates"), in the order the scorecard lists them.
 *
 * @example
 * RELATIVE_GATE_NAMES.includes('latency_p95') // true
 */
export const RELATIVE_GATE_NAMES = [
  'cost_per_case',
  'cost_total',
  'latency_p50',
  'latency_p95',
  'ttft_p50',
  'ttft_p95',
  'output_tokens',
  'reasoning_tokens',
] as const;
export type RelativeGateName = (typeof RELATIVE_GATE_NAMES)[number];

/**
 * One relative gate after parsing: the largest tolerated increase as a fraction (0.2 for "20%"),
 * and what an increase beyond it does to the verdict.
 *
 * @example
 * const setting: RelativeGateSetting = { max_increase: 0.2, on_exceed: 'fail' }
 */
export interface RelativeGateSetting {
  max_increase: number;
  on_exceed: 'fail' | 'review';
}

/** `relative_gates:` after parsing: the gates it names; an absent key is no gate. */
export type RelativeGateSettings = { [K in RelativeGateName]?: RelativeGateSetting | undefined };

const PERCENT = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/;

/**
 * A budget as written: `"20%"`, or a number of percent (`20`). A number between 0 and 1 is refused:
 * `0.2` reads as a fifth of a percent, which is seldom what was meant.
 */
const Budget = z
  .union([z.string().meta({ pattern: '^\\s*\\d+(\\.\\d+)?\\s*%\\s*$' }), z.number().meta({ minimum: 0 })])
  .transform((value, ctx) => {
    const found = typeof value === 'string' ? JSON.stringify(value) : String(value);
    if (typeof value === 'number') {
      if (!Number.isFinite(value) || value < 0) {
        ctx.addIssue({
          code: 'custom',
          message: `must be a percentage of at least 0, like "20%"; found ${found}`,
        });
        return z.NEVER;
      }
      if (value > 0 && value < 1) {
        ctx.addIssue({
          code: 'custom',
          message: `reads as ${value} %; write "${round(value * 100)}%" for ${round(value * 100)} percent, or "${value}%" if ${value} % is meant; found ${found}`,
        });
        return z.NEVER;
      }
      return value / 100;
    }
    const match = PERCENT.exec(value);
    if (!match) {
      ctx.addIssue({
        code: 'custom',
        message: `must be a percentage like "20%" (or a number of percent, 20); found ${found}`,
      });
      return z.NEVER;
    }
    return Number(match[1]) / 100;
  })
  .meta({
    description:
      'Largest tolerated increase over the baseline: a percentage ("20%") or a number of percent (20).',
  });

const GateSchema = z.strictObject({
  max_increase: Budget,
  on_exceed: z.enum(['fail', 'review']).default('fail').meta({
    description:
      'What a confirmed increase beyond the budget does: fail the run (default) or ask for review.',
  }),
});

const DESCRIPTIONS: Record<RelativeGateName, string> = {
  cost_per_case: "Mean agent cost per case over the cases compared with the baseline (today's price table).",
  cost_total: "Total agent cost of the cases compared with the baseline (today's price table).",
  latency_p50: "Median of the cases' agent latency (the agent's wall time per trial, live calls only).",
  latency_p95: "95th percentile of the cases' agent latency.",
  ttft_p50: "Median of the cases' time to first token (the agent's first streamed call).",
  ttft_p95: "95th percentile of the cases' time to first token.",
  output_tokens: 'Mean agent output tokens per case.',
  reasoning_tokens: 'Mean agent reasoning tokens per case, where the provider reports them.',
};

/**
 * `relative_gates:` in rubric.yaml or a subject: budgets on cost, latency, time to first token and
 * tokens against the baseline, case by case on the cases both scored. Off unless written.
 *
 * @example
 * RelativeGatesSchema.parse({ cost_per_case: { max_increase: '20%' } }) // { cost_per_case: { max_increase: 0.2, on_exceed: 'fail' } }
 */
export const RelativeGatesSchema = z
  .strictObject(
    Object.fromEntries(
      RELATIVE_GATE_NAMES.map((name) => [
        name,
        GateSchema.optional().meta({ description: DESCRIPTIONS[name] }),
      ]),
    ) as Record<RelativeGateName, z.ZodOptional<typeof GateSchema>>,
  )
  .meta({
    description:
      'Budgets on cost, latency, time to first token and tokens against the baseline (docs/scoring.md "Relative gates"). Off unless set; a subject\'s own entries override these.',
  });

/**
 * A subject's gates: the rubric's, with the subject's own entries in their place.
 *
 * @example
 * mergeRelativeGates({ cost_total: a }, { cost_total: b, latency_p50: c }) // { cost_total: b, latency_p50: c }
 */
export function mergeRelativeGates(
  base: RelativeGateSettings | undefined,
  own: RelativeGateSettings | undefined,
): RelativeGateSettings | undefined {
  if (base === undefined && own === undefined) return undefined;
  const out: RelativeGateSettings = {};
  for (const name of RELATIVE_GATE_NAMES) {
    const setting = own?.[name] ?? base?.[name];
    if (setting) out[name] = setting;
  }
  return out;
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
