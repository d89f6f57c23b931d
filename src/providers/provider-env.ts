/**
 * Where a provider's key and address come from: rubric.yaml `providers:` first,
 * then the environment, then the provider's public URL. Pure, and free of the
 * SDKs, so the plugin can check a run's providers in Vitest's main process
 * (preflight-setup.ts) with the same reading the adapters call with.
 */
import { BEDROCK_ENV, bedrockAccess, type BedrockAccess } from './bedrock/endpoint.js';
import type { ProviderSettings, SupportedProvider } from './types.js';

/** The environment read: `process.env` in production, a plain object in tests. */
export type Env = Record<string, string | undefined>;

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
  bedrock: { key: BEDROCK_ENV.accessKeyId, baseURL: BEDROCK_ENV.baseURL, region: BEDROCK_ENV.region },
  vertex: {
    credentials: 'GOOGLE_APPLICATION_CREDENTIALS',
    project: 'GOOGLE_CLOUD_PROJECT',
    location: 'GOOGLE_CLOUD_LOCATION',
    baseURL: 'GOOGLE_VERTEX_BASE_URL',
  },
} as const;

/** The Vertex location when neither `providers.vertex.location` nor `GOOGLE_CLOUD_LOCATION` is set. */
export const VERTEX_DEFAULT_LOCATION = 'global';

const PUBLIC_URL = { openai: 'https://api.openai.com/v1', anthropic: 'https://api.anthropic.com' } as const;

/** A provider's key and address as read from its settings and the environment. */
export interface ProviderEndpoint {
  provider: SupportedProvider;
  /** `undefined` when unset (empty counts as unset); OpenAI-compatible servers may need none. */
  apiKey: string | undefined;
  /** The base URL (Azure: the resource endpoint); `undefined` when a provider that needs one has none. */
  url: string | undefined;
  /** Where `url` is set, for messages: `OPENAI_BASE_URL`, `providers.openai.base_url in rubric.yaml`, or `the default`. */
  urlFrom: string;
  /** Azure's `api-version`. */
  apiVersion: string | undefined;
  /** What to set before a call can be made (`set OPENAI_API_KEY (or ...)`); `undefined` when complete. */
  missing: string | undefined;
  /** The variable named in messages about credentials. */
  credentialsHint: string;
  /** Bedrock: region, AWS credentials and endpoints (bedrock/endpoint.ts). */
  bedrock?: BedrockAccess | undefined;
  /** Vertex: the Google Cloud project, location and credentials file (application default credentials when absent). */
  vertex?: { project: string | undefined; location: string; credentialsFile: string | undefined } | undefined;
}

/**
 * Read a provider's key, base URL and (Azure) API version. Nothing is called.
 *
 * @example
 * providerEndpoint('openai', {}, { OPENAI_BASE_URL: 'http://127.0.0.1:8080/v1' })
 * // { url: 'http://127.0.0.1:8080/v1', urlFrom: 'OPENAI_BASE_URL', apiKey: undefined,
 * //   missing: 'set OPENAI_API_KEY (or name another variable with providers.openai.api_key_env in rubric.yaml)', ... }
 */
export function providerEndpoint(
  provider: SupportedProvider,
  settings: ProviderSettings,
  env: Env,
): ProviderEndpoint {
  const read = reader(env);
  switch (provider) {
    case 'openai':
    case 'anthropic':
      return publicEndpoint(provider, settings, read);
    case 'azure':
      return azureEndpoint(settings, read);
    case 'openai-compatible':
      return compatibleEndpoint(settings, read);
    case 'bedrock':
      return bedrockEndpoint(settings, read);
    case 'vertex':
      return vertexEndpoint(settings, read);
  }
}

type Read = (name: string | undefined) => string | undefined;

/** OpenAI or Anthropic: a key, and the public API unless a base URL is set. */
function publicEndpoint(
  provider: 'openai' | 'anthropic',
  settings: ProviderSettings,
  read: Read,
): ProviderEndpoint {
  const keyVar = settings.api_key_env ?? DEFAULT_ENV[provider].key;
  const apiKey = read(keyVar);
  const [url, urlFrom] = firstSet([
    [settings.base_url, `providers.${provider}.base_url in rubric.yaml`],
    [read(settings.base_url_env), settings.base_url_env],
    [read(DEFAULT_ENV[provider].baseURL), DEFAULT_ENV[provider].baseURL],
    [PUBLIC_URL[provider], 'the default'],
  ]);
  return {
    provider,
    apiKey,
    url,
    urlFrom,
    apiVersion: undefined,
    missing:
      apiKey === undefined
        ? setVariables(
            [keyVar],
            `or name another variable with providers.${provider}.api_key_env in rubric.yaml`,
          )
        : undefined,
    credentialsHint: keyVar,
  };
}

/** Azure OpenAI: a key, the resource endpoint and an API version, all three needed. */
function azureEndpoint(settings: ProviderSettings, read: Read): ProviderEndpoint {
  const provider = 'azure';
  const keyVar = settings.api_key_env ?? DEFAULT_ENV.azure.key;
  const endpointVar = settings.base_url_env ?? DEFAULT_ENV.azure.endpoint;
  const apiKey = read(keyVar);
  const [url, urlFrom] = firstSet([
    [settings.base_url, `providers.${provider}.base_url in rubric.yaml`],
    [read(endpointVar), endpointVar],
  ]);
  const apiVersion = settings.api_version ?? read(DEFAULT_ENV.azure.apiVersion);
  const unset = [
    apiKey === undefined ? keyVar : undefined,
    url === undefined ? endpointVar : undefined,
    apiVersion === undefined ? DEFAULT_ENV.azure.apiVersion : undefined,
  ].filter((name) => name !== undefined);
  return {
    provider,
    apiKey,
    url,
    urlFrom: url === undefined ? endpointVar : urlFrom,
    apiVersion,
    missing:
      unset.length > 0
        ? setVariables(unset, 'or set providers.azure.api_key_env, base_url, api_version in rubric.yaml')
        : undefined,
    credentialsHint: keyVar,
  };
}

/** An OpenAI-compatible server: a base URL; a key only if the server wants one. */
function compatibleEndpoint(settings: ProviderSettings, read: Read): ProviderEndpoint {
  const provider = 'openai-compatible';
  const urlVar = settings.base_url_env ?? DEFAULT_ENV['openai-compatible'].baseURL;
  const [url, urlFrom] = firstSet([
    [settings.base_url, `providers.${provider}.base_url in rubric.yaml`],
    [read(urlVar), urlVar],
  ]);
  return {
    provider,
    apiKey: read(settings.api_key_env ?? DEFAULT_ENV['openai-compatible'].key),
    url,
    urlFrom: url === undefined ? urlVar : urlFrom,
    apiVersion: undefined,
    missing:
      url === undefined
        ? `set ${urlVar} to the server's base URL, e.g. http://127.0.0.1:8000/v1 ` +
          `(or set providers.openai-compatible.base_url in rubric.yaml)`
        : undefined,
    credentialsHint: urlVar,
  };
}

/** Bedrock: AWS credentials (explicit keys or the SDK's chain) and a region. */
function bedrockEndpoint(settings: ProviderSettings, read: Read): ProviderEndpoint {
  const access = bedrockAccess(settings, read);
  return {
    provider: 'bedrock',
    apiKey: access.keys?.accessKeyId,
    url: access.url,
    urlFrom: access.urlFrom,
    apiVersion: undefined,
    missing: access.missing,
    // What a cache-miss message tells the user to set: the region when it alone is missing.
    credentialsHint:
      access.credentialsFrom !== undefined && access.region === undefined
        ? BEDROCK_ENV.region
        : (settings.api_key_env ?? BEDROCK_ENV.accessKeyId),
    bedrock: access,
  };
}

/**
 * Vertex AI: a project and a location; credentials are Google's application default credentials
 * (`GOOGLE_APPLICATION_CREDENTIALS`, gcloud, a metadata server), which cannot be checked without a call.
 * The address is the location's endpoint (`https://{location}-aiplatform.googleapis.com`).
 */
function vertexEndpoint(settings: ProviderSettings, read: Read): ProviderEndpoint {
  const provider = 'vertex';
  const names = DEFAULT_ENV.vertex;
  const project = settings.project ?? read(names.project);
  const location = settings.location ?? read(names.location) ?? VERTEX_DEFAULT_LOCATION;
  const [url, urlFrom] = firstSet([
    [settings.base_url, `providers.${provider}.base_url in rubric.yaml`],
    [read(settings.base_url_env), settings.base_url_env],
    [read(names.baseURL), names.baseURL],
    [vertexPublicURL(location), 'the default'],
  ]);
  return {
    provider,
    apiKey: undefined,
    url,
    urlFrom,
    apiVersion: undefined,
    missing:
      project === undefined
        ? `set ${names.project} to the Google Cloud project id (or set providers.vertex.project in rubric.yaml)`
        : undefined,
    // What a cache miss with no way to call names: the project while it is missing, else the credentials.
    credentialsHint: project === undefined ? names.project : names.credentials,
    vertex: { project, location, credentialsFile: read(names.credentials) },
  };
}

/**
 * The public Vertex AI endpoint of a location, without the API version.
 *
 * @example
 * vertexPublicURL('us-east5') // 'https://us-east5-aiplatform.googleapis.com'
 */
export function vertexPublicURL(location: string): string {
  if (location === 'global') return 'https://aiplatform.googleapis.com';
  if (location === 'us' || location === 'eu') return `https://aiplatform.${location}.rep.googleapis.com`;
  return `https://${location}-aiplatform.googleapis.com`;
}

/** The first value that is set, with where it came from. */
function firstSet(candidates: [string | undefined, string | undefined][]): [string | undefined, string] {
  for (const [value, from] of candidates) if (value !== undefined) return [value, from ?? ''];
  return [undefined, ''];
}

/** Reads a variable by name; empty values count as unset. */
function reader(env: Env): Read {
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
