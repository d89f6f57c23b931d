import { QualifyError } from '../errors.js';
import { nearest } from '../internal/did-you-mean.js';
import { PROVIDERS, SUPPORTED_PROVIDERS, type ModelRef, type SupportedProvider } from './types.js';

const EXAMPLE = 'write provider:model, e.g. openai:gpt-5';
const PREFIXES = SUPPORTED_PROVIDERS.join(', ');

/**
 * Parse a `provider:model` string. The provider is everything before the first
 * colon; the model is the rest and may itself hold colons and slashes.
 *
 * Throws a `QualifyError` with code `E_MODEL_STRING` for a malformed string or an
 * unknown provider (naming the nearest one), and `E_PROVIDER_UNSUPPORTED` for a
 * provider that is recognised but has no adapter yet (none today).
 *
 * @example
 * parseModelRef('openai-compatible:meta-llama/Llama-3:8b')
 * // { id: 'openai-compatible:meta-llama/Llama-3:8b', provider: 'openai-compatible', model: 'meta-llama/Llama-3:8b' }
 * parseModelRef('bedrock:us.anthropic.claude-sonnet-4-6-v1:0') // model: an inference profile (or an ARN), passed as modelId
 */
export function parseModelRef(id: string): ModelRef {
  const colon = id.indexOf(':');
  if (colon === -1) {
    throw new QualifyError(
      'E_MODEL_STRING',
      `${JSON.stringify(id)} has no provider prefix: ${EXAMPLE} (providers: ${PREFIXES})`,
    );
  }
  const provider = id.slice(0, colon);
  const model = id.slice(colon + 1);
  if (provider === '') {
    throw new QualifyError(
      'E_MODEL_STRING',
      `${JSON.stringify(id)} has no provider before the colon: ${EXAMPLE}`,
    );
  }
  if (model.trim() === '') {
    throw new QualifyError(
      'E_MODEL_STRING',
      `${JSON.stringify(id)} has no model after the colon: ${EXAMPLE}`,
    );
  }
  if (model !== model.trim()) {
    throw new QualifyError(
      'E_MODEL_STRING',
      `${JSON.stringify(id)} has spaces around the model name: write ${provider}:${model.trim()}`,
    );
  }
  if (isSupported(provider)) return { id, provider, model };
  if ((PROVIDERS as readonly string[]).includes(provider)) {
    throw new QualifyError(
      'E_PROVIDER_UNSUPPORTED',
      `${provider} is not supported yet: use openai-compatible with a gateway, ` +
        `e.g. openai-compatible:${model} with providers.openai-compatible.base_url set in rubric.yaml ` +
        `(got ${JSON.stringify(id)})`,
    );
  }
  const guess = nearest(provider, SUPPORTED_PROVIDERS);
  throw new QualifyError(
    'E_MODEL_STRING',
    `${JSON.stringify(id)} names an unknown provider ${JSON.stringify(provider)}: use one of ${PREFIXES}` +
      (guess === undefined ? '' : `; did you mean ${guess}:${model}?`),
  );
}

function isSupported(provider: string): provider is SupportedProvider {
  return (SUPPORTED_PROVIDERS as readonly string[]).includes(provider);
}
