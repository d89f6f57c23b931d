/**
 * The agent's own calls of a case, metered apart from the judge's (docs/scoring.md "Relative gates"):
 * tokens by model, and per trial the agent's wall time and its first streamed call's time to first
 * token, kept only for a trial whose calls all went to a provider (a cassette answer has no latency).
 */
import type { ChatResponse, EmbedResponse, ModelClient } from '../providers/types.js';
import type { AgentModelTokens, AgentUsage } from '../scorecard/relative-gate-types.js';

/** What one trial's agent called. */
export interface TrialAgentCalls {
  calls: number;
  cached_calls: number;
  models: Record<string, AgentModelTokens>;
  /** Time to first token of the first streamed chat call. */
  ttftMs: number | undefined;
}

/**
 * A view of `inner` that counts the calls made through it (the agent's, in one trial).
 *
 * @example
 * const { client, calls } = meterAgentCalls(runner.client)
 */
export function meterAgentCalls(inner: ModelClient): { client: ModelClient; calls: TrialAgentCalls } {
  const calls: TrialAgentCalls = { calls: 0, cached_calls: 0, models: {}, ttftMs: undefined };
  const count = <R extends ChatResponse | EmbedResponse>(model: string, response: R): R => {
    const usage = response.usage;
    calls.calls += 1;
    if (usage.cached) calls.cached_calls += 1;
    const tokens = (calls.models[model] ??= { input_tokens: 0, output_tokens: 0 });
    tokens.input_tokens += usage.inputTokens;
    tokens.output_tokens += usage.outputTokens;
    if (usage.reasoningTokens !== undefined) {
      tokens.reasoning_tokens = (tokens.reasoning_tokens ?? 0) + usage.reasoningTokens;
    }
    if (calls.ttftMs === undefined && usage.timeToFirstTokenMs !== undefined)
      calls.ttftMs = usage.timeToFirstTokenMs;
    return response;
  };
  return {
    calls,
    client: {
      chat: async (request) => count(request.model, await inner.chat(request)),
      embed: async (request) => count(request.model, await inner.embed(request)),
      usage: () => inner.usage(),
      flush: () => inner.flush(),
    },
  };
}

/**
 * A case's agent usage from its first-pass trials: token sums by model, and the latency and time to
 * first token of the trials whose calls were all live (rounded to the millisecond).
 *
 * @example
 * foldAgentUsage([{ calls, latencyMs: 812.4 }]).latency_ms // [812]
 */
export function foldAgentUsage(trials: readonly { calls: TrialAgentCalls; latencyMs: number }[]): AgentUsage {
  const usage: AgentUsage = {
    trials: trials.length,
    calls: 0,
    cached_calls: 0,
    models: {},
    latency_ms: [],
    ttft_ms: [],
  };
  for (const { calls, latencyMs } of trials) {
    usage.calls += calls.calls;
    usage.cached_calls += calls.cached_calls;
    for (const [model, tokens] of Object.entries(calls.models)) {
      const into = (usage.models[model] ??= { input_tokens: 0, output_tokens: 0 });
      into.input_tokens += tokens.input_tokens;
      into.output_tokens += tokens.output_tokens;
      if (tokens.reasoning_tokens !== undefined) {
        into.reasoning_tokens = (into.reasoning_tokens ?? 0) + tokens.reasoning_tokens;
      }
    }
    if (calls.calls > 0 && calls.cached_calls === 0) {
      usage.latency_ms.push(Math.round(latencyMs));
      if (calls.ttftMs !== undefined) usage.ttft_ms.push(Math.round(calls.ttftMs));
    }
  }
  return usage;
}
