/**
 * One factory from a provider prefix to its adapter. Credentials and base URLs
 * are read here, from `settings` (rubric.yaml `providers:`) and the injected
 * environment, never from `process.env`.
 */
import type { ProviderAdapter } from './adapter.js';
import { AnthropicAdapter } from './anthropic.js';
import { OpenAIAdapter } from './openai.js';
import type { ProviderSettings, SupportedProvider } from './types.js';

/** The environment the adapters read: `process.env` in production, a plain object in tests. */
export type Env = Record<string, string | undefined>;

/** Extra knobs, for tests. */
export interface AdapterOptions {
  /** Clock for `timeToFirstTokenMs`, in milliseconds; `performance.now` by default. */
  now?: (() => number) | undefined;
}

/**
 * Where each provider's credentials come from, by default (`settings.api_key_env`
 * and `settings.base_url_env` name others).
 *
 * @example
 * DEFAULT_ENV.anthropic.key // 'ANTHROPIC_API_KEY'
 */
export const DEFAULT_ENV = {
  openai: { key: 'OPENAI_API_KEY', baseURL: 'OPENAI_BASE_URL' },
  azure: { key: 'AZURE_OPENAI_API_KEY', endpoint: 'AZURE_OPENAI_ENDPOINT', apiVersion: 'OPENAI_API_VERSION' },
  'openai-compatible': { key: 'OPENAI_COMPATIBLE_API_KEY', baseURL: 'OPENAI_COMPATIBLE_BASE_URL' },
  anthropic: { key: 'ANTHROPIC_API_KEY', baseURL: 'ANTHROPIC_BASE_URL' },
} as const;

const OPENAI_URL = 'https://api.openai.com/v1';
const ANTHROPIC_URL = 'https://api.anthropic.com';

type Builder = (settings: ProviderSettings, env: Env, options: AdapterOptions) => ProviderAdapter;

const BUILDERS: Record<SupportedProvider, Builder> = {
  openai: (settings, env, { now }) => {
    const read = reader(env);
    const keyVar = settings.api_key_env ?? DEFAULT_ENV.openai.key;
    const apiKey = read(keyVar);
    return new OpenAIAdapter({
      flavour: 'openai',
      apiKey,
      baseURL:
        settings.base_url ?? read(settings.base_url_env) ?? read(DEFAULT_ENV.openai.baseURL) ?? OPENAI_URL,
      missing:
        apiKey === undefined
          ? setVariables(
              [keyVar],
              'or name another variable with providers.openai.api_key_env in rubric.yaml',
            )
          : undefined,
      credentialsHint: keyVar,
      now,
    });
  },
  azure: (settings, env, { now }) => {
    const read = reader(env);
    const keyVar = settings.api_key_env ?? DEFAULT_ENV.azure.key;
    const endpointVar = settings.base_url_env ?? DEFAULT_ENV.azure.endpoint;
    const apiKey = read(keyVar);
    const endpoint = settings.base_url ?? read(endpointVar);
    const apiVersion = settings.api_version ?? read(DEFAULT_ENV.azure.apiVersion);
    const unset = [
      apiKey === undefined ? keyVar : undefined,
      endpoint === undefined ? endpointVar : undefined,
      apiVersion === undefined ? DEFAULT_ENV.azure.apiVersion : undefined,
    ].filter((name) => name !== undefined);
    return new OpenAIAdapter({
      flavour: 'azure',
      apiKey,
      endpoint,
      apiVersion,
      missing:
        unset.length > 0
          ? setVariables(unset, 'or set providers.azure.api_key_env, base_url, api_version in rubric.yaml')
          : undefined,
      credentialsHint: keyVar,
      now,
    });
  },
  'openai-compatible': (settings, env, { now }) => {
    const read = reader(env);
    const urlVar = settings.base_url_env ?? DEFAULT_ENV['openai-compatible'].baseURL;
    const baseURL = settings.base_url ?? read(urlVar);
    return new OpenAIAdapter({
      flavour: 'openai-compatible',
      apiKey: read(settings.api_key_env ?? DEFAULT_ENV['openai-compatible'].key),
      baseURL,
      missing:
        baseURL === undefined
          ? `set ${urlVar} to the server's base URL, e.g. http://127.0.0.1:8000/v1 ` +
            `(or set providers.openai-compatible.base_url in rubric.yaml)`
          : undefined,
      credentialsHint: urlVar,
      now,
    });
  },
  anthropic: (settings, env, { now }) => {
    const read = reader(env);
    const keyVar = settings.api_key_env ?? DEFAULT_ENV.anthropic.key;
    const apiKey = read(keyVar);
    return new AnthropicAdapter({
      apiKey,
      baseURL:
        settings.base_url ??
        read(settings.base_url_env) ??
        read(DEFAULT_ENV.anthropic.baseURL) ??
        ANTHROPIC_URL,
      missing:
        apiKey === undefined
          ? setVariables(
              [keyVar],
              'or name another variable with providers.anthropic.api_key_env in rubric.yaml',
            )
          : undefined,
      credentialsHint: keyVar,
      now,
    });
  },
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
  return BUILDERS[provider](settings, env, options);
}

/** Reads a variable by name; empty values count as unset. */
function reader(env: Env): (name: string | undefined) => string | undefined {
  return (name) => {
    if (name === undefined) return undefined;
    const value = env[name];
    return value === undefined || value === '' ? undefined : value;
  };
}

function setVariables(names: string[], alternative: string): string {
  const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names.join('');
  return `set ${list} (${alternative})`;
}
