import { ANTHROPIC_ON_BEDROCK } from './bedrock/wire.js';
import type { ModelRef } from './types.js';

/** What a model's chat API accepts, where it differs between models of one provider. */
export interface ModelCapabilities {
  /** Token log-probabilities (`logprobs`, `top_logprobs`). */
  logprobs: boolean;
  /** A sampling temperature other than the default. */
  temperature: boolean;
}

/**
 * OpenAI reasoning models (o-series, gpt-5 but its `-chat` variants) reject
 * `logprobs` and any temperature but 1; Anthropic's current API version takes
 * no sampling parameters and has no logprobs (on Vertex too). Unknown models of an
 * OpenAI-style provider are assumed to accept both.
 *
 * @example
 * modelCapabilities(parseModelRef('openai:gpt-5')) // { logprobs: false, temperature: false }
 */
export function modelCapabilities(ref: Pick<ModelRef, 'provider' | 'model'>): ModelCapabilities {
  if (ref.provider === 'anthropic') return { logprobs: false, temperature: false };
  // Converse has no logprobs; Anthropic models on it take no sampling parameters, as on Anthropic's API.
  if (ref.provider === 'bedrock')
    return { logprobs: false, temperature: !ANTHROPIC_ON_BEDROCK.test(ref.model) };
  // Claude on Vertex is the Anthropic API; Gemini takes temperature and `responseLogprobs`.
  if (ref.provider === 'vertex' && ref.model.startsWith('claude-'))
    return { logprobs: false, temperature: false };
  if (ref.provider === 'openai' || ref.provider === 'azure') {
    const reasoning = /^(o\d|gpt-5)(?!.*-chat)/i.test(ref.model);
    return { logprobs: !reasoning, temperature: !reasoning };
  }
  return { logprobs: true, temperature: true };
}
