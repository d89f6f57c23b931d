import { DEFAULT_ENV } from '../../providers/adapters.js';
import { parseModelRef } from '../../providers/model-ref.js';
import type { SupportedProvider } from '../../providers/types.js';
import type { SeedModels } from './rubric.js';

/** The embedding model the seed rubric pins unless `--embeddings` names another. */
export const SEED_EMBEDDINGS = 'openai:text-embedding-3-small';

/**
 * The providers the seed models name (primary, fallback, judge, embeddings), each once, in that order:
 * the providers rubric.yaml gets a block for and the workflow passes secrets to. Pure.
 *
 * @example
 * seedProviders({ model: 'anthropic:claude-sonnet-4-6', judge: 'openai:gpt-5' }) // ['anthropic', 'openai']
 */
export function seedProviders(models: SeedModels): SupportedProvider[] {
  const named = [models.model, models.fallback, models.judge, models.embeddings ?? SEED_EMBEDDINGS];
  return [...new Set(named.filter((m) => m !== undefined).map((m) => parseModelRef(m).provider))];
}

/**
 * The environment variables a provider's client reads by default (src/providers/adapters.ts), in
 * the order the workflow sets them from secrets: the key first, then where the API is. Bedrock has
 * none: the workflow gets short-lived AWS credentials by OIDC instead (workflow.ts).
 *
 * @example
 * providerVariables('openai-compatible') // ['OPENAI_COMPATIBLE_API_KEY', 'OPENAI_COMPATIBLE_BASE_URL']
 */
export function providerVariables(provider: SupportedProvider): string[] {
  if (provider === 'bedrock') return [];
  if (provider === 'openai') return [DEFAULT_ENV.openai.key];
  if (provider === 'anthropic') return [DEFAULT_ENV.anthropic.key];
  if (provider === 'azure') return Object.values(DEFAULT_ENV.azure);
  // Vertex: the project; credentials come from workload identity federation (google-github-actions/auth), not a secret.
  if (provider === 'vertex') return [DEFAULT_ENV.vertex.project, DEFAULT_ENV.vertex.location];
  return [DEFAULT_ENV['openai-compatible'].key, DEFAULT_ENV['openai-compatible'].baseURL];
}
