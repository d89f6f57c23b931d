/**
 * A case's agent usage as the relative gates measure it (docs/scoring.md "Relative gates"): per trial,
 * its cost priced with today's table, its output and reasoning tokens, its mean latency and time to
 * first token.
 */
import type { Price } from '../providers/types.js';
import { priceOf } from '../providers/usage.js';
import type { AgentUsage } from './relative-gate-types.js';

/** One case's measured quantities, per trial; `null` where not measured. */
export interface Measures {
  cost: number | null;
  output: number;
  reasoning: number | null;
  latency: number | null;
  ttft: number | null;
}

/** A case's quantities per trial: cost from today's prices, tokens, mean latency and time to first token. */
export function measures(usage: AgentUsage, prices: Record<string, Price>): Measures {
  let cost = 0;
  let output = 0;
  let reasoning: number | null = null;
  for (const [model, tokens] of Object.entries(usage.models)) {
    const price = priceOf(model, prices);
    cost += price
      ? (tokens.input_tokens * price.input_per_mtok + tokens.output_tokens * price.output_per_mtok) / 1e6
      : Number.NaN;
    output += tokens.output_tokens;
    if (tokens.reasoning_tokens !== undefined) reasoning = (reasoning ?? 0) + tokens.reasoning_tokens;
  }
  return {
    cost: Number.isNaN(cost) ? null : cost / usage.trials,
    output: output / usage.trials,
    reasoning: reasoning === null ? null : reasoning / usage.trials,
    latency: meanOf(usage.latency_ms),
    ttft: meanOf(usage.ttft_ms),
  };
}

export function unpricedModels(
  pairs: readonly { baseline: AgentUsage; candidate: AgentUsage }[],
  prices: Record<string, Price>,
): string[] {
  const out = new Set<string>();
  for (const p of pairs) {
    for (const model of [...Object.keys(p.baseline.models), ...Object.keys(p.candidate.models)]) {
      if (!priceOf(model, prices)) out.add(model);
    }
  }
  return [...out].sort();
}

/** A baseline case's `agent_usage`, if it has the shape this version writes. */
export function asAgentUsage(value: unknown): AgentUsage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Partial<AgentUsage>;
  const ok =
    typeof v.trials === 'number' &&
    v.trials > 0 &&
    typeof v.models === 'object' &&
    v.models !== null &&
    Array.isArray(v.latency_ms) &&
    Array.isArray(v.ttft_ms);
  return ok ? (value as AgentUsage) : undefined;
}

function meanOf(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}
