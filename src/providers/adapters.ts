/**
 * One factory from a provider prefix to its adapter. Credentials and base URLs
 * are read by `providerEndpoint` (provider-env.ts), from `settings` (rubric.yaml
 * `providers:`) and the injected environment, never from `process.env`.
 */
import type { ProviderAdapter } from './adapter.js';
import { AnthropicAdapter } from './anthropic/adapter.js';
import { BedrockAdapter } from './bedrock/adapter.js';
import { OpenAIAdapter } from './openai/adapter.js';
import { VertexAdapter } from './vertex/adapter.js';
import {
  providerEndpoint,
  VERTEX_DEFAULT_LOCATION,
  type Env,
  type ProviderEndpoint,
} from './provider-env.js';
import type { ProviderSettings, SupportedProvider } from './types.js';

export { DEFAULT_ENV, type Env } from './provider-env.js';

/** Extra knobs, for tests. */
export interface AdapterOptions {
  /** Clock for `timeToFirstTokenMs`, in milliseconds; `performance.now` by default. */
  now?: (() => number) | undefined;
}

type Builder = (endpoint: ProviderEndpoint, options: AdapterOptions) => ProviderAdapter;

const BUILDERS: Record<SupportedProvider, Builder> = {
  openai: (e, { now }) =>
    new OpenAIAdapter({
      flavour: 'openai',
      apiKey: e.apiKey,
      baseURL: e.url,
      missing: e.missing,
      credentialsHint: e.credentialsHint,
      now,
    }),
  azure: (e, { now }) =>
    new OpenAIAdapter({
      flavour: 'azure',
      apiKey: e.apiKey,
      endpoint: e.url,
      apiVersion: e.apiVersion,
      missing: e.missing,
      credentialsHint: e.credentialsHint,
      now,
    }),
  'openai-compatible': (e, { now }) =>
    new OpenAIAdapter({
      flavour: 'openai-compatible',
      apiKey: e.apiKey,
      baseURL: e.url,
      missing: e.missing,
      credentialsHint: e.credentialsHint,
      now,
    }),
  anthropic: (e, { now }) =>
    new AnthropicAdapter({
      apiKey: e.apiKey,
      baseURL: e.url!, // always set: the public URL when nothing else is
      missing: e.missing,
      credentialsHint: e.credentialsHint,
      now,
    }),
  bedrock: (e, { now }) =>
    new BedrockAdapter({
      access: e.bedrock!, // always set for bedrock (provider-env.ts)
      missing: e.missing,
      credentialsHint: e.credentialsHint,
      now,
    }),
  vertex: (e, { now }) =>
    new VertexAdapter({
      project: e.vertex?.project,
      location: e.vertex?.location ?? VERTEX_DEFAULT_LOCATION,
      baseURL: e.url!, // always set: the location's public endpoint when nothing else is
      credentialsFile: e.vertex?.credentialsFile,
      missing: e.missing,
      credentialsHint: e.credentialsHint,
      now,
    }),
};

/**
 * The adapter for `provider`. Nothing is read from the network or `process.env`;
 * the SDK client is created on the first call. `settings.base_url` and
 * `settings.api_key_env` override the defaults for every provider (for Azure,
 * `base_url` is the resource endpoint).
 *
 * @example
 * const adapter = createAdapter('anthropic', { timeout_s: 60 }, process.env)
 * adapter.hasCredentials // false when ANTHROPIC_API_KEY is unset
 */
export function createAdapter(
  provider: SupportedProvider,
  settings: ProviderSettings,
  env: Env,
  options: AdapterOptions = {},
): ProviderAdapter {
  return BUILDERS[provider](providerEndpoint(provider, settings, env), options);
}
