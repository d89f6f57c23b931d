/**
 * The factory: which environment variables and settings each provider reads,
 * what reaches the wire (paths, auth headers, api-version), and the message of a
 * call without credentials. `process.env` is never read.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAdapter } from '../../../src/providers/adapters.js';
import { ProviderAuthError } from '../../../src/providers/errors.js';
import type { SupportedProvider } from '../../../src/providers/types.js';
import {
  ATTEMPT,
  AZURE_API_VERSION,
  envFor,
  onlyRequest,
  refOf,
  rejectionOf,
  useFakeProvider,
} from './adapters-fixture.js';

const fake = useFakeProvider();
/** Nothing listens on the discard port: a request sent there fails at once. */
const DEAD_URL = 'http://127.0.0.1:9';
const hi = { messages: [{ role: 'user' as const, content: 'Hi' }] };

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('createAdapter without credentials', () => {
  it.each<[SupportedProvider, string, string]>([
    [
      'openai',
      'OPENAI_API_KEY',
      'openai:m1 has no credentials: set OPENAI_API_KEY (or name another variable with providers.openai.api_key_env in rubric.yaml)',
    ],
    [
      'anthropic',
      'ANTHROPIC_API_KEY',
      'anthropic:m1 has no credentials: set ANTHROPIC_API_KEY (or name another variable with providers.anthropic.api_key_env in rubric.yaml)',
    ],
    [
      'azure',
      'AZURE_OPENAI_API_KEY',
      'azure:m1 has no credentials: set AZURE_OPENAI_API_KEY, AZURE_OPENAI_ENDPOINT and OPENAI_API_VERSION (or set providers.azure.api_key_env, base_url, api_version in rubric.yaml)',
    ],
    [
      'openai-compatible',
      'OPENAI_COMPATIBLE_BASE_URL',
      "openai-compatible:m1 has no credentials: set OPENAI_COMPATIBLE_BASE_URL to the server's base URL, e.g. http://127.0.0.1:8000/v1 (or set providers.openai-compatible.base_url in rubric.yaml)",
    ],
  ])(
    '%s: hasCredentials false, hint %s, and a call throws ProviderAuthError',
    async (provider, hint, message) => {
      // Set in process.env on purpose: the adapters read only the env they are given.
      for (const [name, value] of Object.entries(envFor(fake(), provider))) vi.stubEnv(name, value);
      const adapter = createAdapter(provider, {}, {});
      expect(adapter.hasCredentials).toBe(false);
      expect(adapter.credentialsHint).toBe(hint);
      const error = await rejectionOf(
        adapter.chat(refOf(provider, 'm1'), { model: `${provider}:m1`, ...hi }, ATTEMPT),
      );
      expect(error).toBeInstanceOf(ProviderAuthError);
      expect(error).toMatchObject({ code: 'E_PROVIDER_AUTH', message, provider, model: 'm1' });
      expect(fake().requests).toHaveLength(0);
    },
  );

  it('names only the Azure variables still missing', async () => {
    const adapter = createAdapter(
      'azure',
      {},
      { AZURE_OPENAI_API_KEY: 'k', AZURE_OPENAI_ENDPOINT: 'http://x' },
    );
    const error = await rejectionOf(
      adapter.embed(refOf('azure', 'd'), { model: 'azure:d', input: ['a'] }, ATTEMPT),
    );
    expect(error).toMatchObject({
      message:
        'azure:d has no credentials: set OPENAI_API_VERSION (or set providers.azure.api_key_env, base_url, api_version in rubric.yaml)',
    });
  });

  it('treats an empty variable as unset', () => {
    expect(createAdapter('openai', {}, { OPENAI_API_KEY: '' }).hasCredentials).toBe(false);
  });

  it('reports supportsN per provider', () => {
    const env = { OPENAI_API_KEY: 'k', ANTHROPIC_API_KEY: 'k' };
    expect(createAdapter('openai', {}, env).supportsN).toBe(true);
    expect(createAdapter('azure', {}, env).supportsN).toBe(true);
    expect(createAdapter('openai-compatible', {}, env).supportsN).toBe(true);
    expect(createAdapter('anthropic', {}, env).supportsN).toBe(false);
  });
});

describe('openai', () => {
  it('sends the key as a bearer token to OPENAI_BASE_URL', async () => {
    fake().on({}, { text: 'ok' });
    await createAdapter('openai', {}, envFor(fake(), 'openai')).chat(
      refOf('openai', 'm'),
      { model: 'openai:m', ...hi },
      ATTEMPT,
    );
    const request = onlyRequest(fake());
    expect([request.path, request.headers['authorization']]).toEqual([
      '/v1/chat/completions',
      'Bearer sk-test-openai',
    ]);
  });

  it('lets settings.base_url and settings.api_key_env override the defaults', async () => {
    fake().on({}, { text: 'ok' });
    const env = { OPENAI_API_KEY: 'default-key', OPENAI_BASE_URL: DEAD_URL, TEAM_KEY: 'team-key' };
    const adapter = createAdapter('openai', { base_url: fake().openaiBaseURL, api_key_env: 'TEAM_KEY' }, env);
    await adapter.chat(refOf('openai', 'm'), { model: 'openai:m', ...hi }, ATTEMPT);
    expect(onlyRequest(fake()).headers['authorization']).toBe('Bearer team-key');
    expect(
      createAdapter('openai', { api_key_env: 'TEAM_KEY' }, { OPENAI_API_KEY: 'k' }).credentialsHint,
    ).toBe('TEAM_KEY');
  });

  it('reads the base URL from the variable settings.base_url_env names', async () => {
    fake().on({}, { text: 'ok' });
    const env = { OPENAI_API_KEY: 'k', OPENAI_BASE_URL: DEAD_URL, GATEWAY_URL: fake().openaiBaseURL };
    await createAdapter('openai', { base_url_env: 'GATEWAY_URL' }, env).chat(
      refOf('openai', 'm'),
      { model: 'openai:m', ...hi },
      ATTEMPT,
    );
    expect(fake().requests).toHaveLength(1);
  });
});

describe('azure', () => {
  it('calls the deployment with api-version and the api-key header, never OPENAI_BASE_URL', async () => {
    vi.stubEnv('OPENAI_BASE_URL', DEAD_URL);
    fake().on({}, { text: 'ok' });
    const adapter = createAdapter('azure', {}, envFor(fake(), 'azure'));
    await adapter.chat(refOf('azure', 'prod-gpt'), { model: 'azure:prod-gpt', ...hi }, ATTEMPT);
    const request = onlyRequest(fake());
    expect(request.path).toBe('/openai/deployments/prod-gpt/chat/completions');
    expect(request.query).toEqual({ 'api-version': AZURE_API_VERSION });
    expect(request.model).toBe('prod-gpt');
    expect(request.headers['api-key']).toBe('azure-test-key');
    expect(request.headers['authorization']).toBeUndefined();
  });

  it('takes settings.api_version and settings.base_url (the endpoint) over the environment', async () => {
    fake().on({}, { embeddings: [[1, 2]] });
    const env = {
      AZURE_OPENAI_API_KEY: 'k',
      AZURE_OPENAI_ENDPOINT: DEAD_URL,
      OPENAI_API_VERSION: '2020-01-01',
    };
    const settings = { api_version: '2025-04-01-preview', base_url: fake().azureEndpoint };
    await createAdapter('azure', settings, env).embed(
      refOf('azure', 'emb'),
      { model: 'azure:emb', input: ['a'] },
      ATTEMPT,
    );
    const request = onlyRequest(fake());
    expect([request.path, request.query['api-version']]).toEqual([
      '/openai/deployments/emb/embeddings',
      '2025-04-01-preview',
    ]);
  });
});

describe('openai-compatible', () => {
  it('needs only a base URL, and then sends no Authorization header', async () => {
    fake().on({}, { text: 'ok' });
    const adapter = createAdapter(
      'openai-compatible',
      {},
      { OPENAI_COMPATIBLE_BASE_URL: fake().openaiBaseURL },
    );
    expect(adapter.hasCredentials).toBe(true);
    await adapter.chat(
      refOf('openai-compatible', 'llama'),
      { model: 'openai-compatible:llama', ...hi },
      ATTEMPT,
    );
    expect(onlyRequest(fake()).headers['authorization']).toBeUndefined();
  });

  it('sends the key from settings.api_key_env, to the URL settings.base_url_env names', async () => {
    fake().on({}, { text: 'ok' });
    const env = { VLLM_URL: fake().openaiBaseURL, VLLM_KEY: 'vllm-key' };
    const adapter = createAdapter(
      'openai-compatible',
      { base_url_env: 'VLLM_URL', api_key_env: 'VLLM_KEY' },
      env,
    );
    expect(adapter.credentialsHint).toBe('VLLM_URL');
    await adapter.chat(
      refOf('openai-compatible', 'llama'),
      { model: 'openai-compatible:llama', ...hi },
      ATTEMPT,
    );
    expect(onlyRequest(fake()).headers['authorization']).toBe('Bearer vllm-key');
  });

  it('takes settings.base_url over the environment', async () => {
    fake().on({}, { text: 'ok' });
    const adapter = createAdapter(
      'openai-compatible',
      { base_url: fake().openaiBaseURL },
      { OPENAI_COMPATIBLE_BASE_URL: DEAD_URL },
    );
    await adapter.chat(
      refOf('openai-compatible', 'llama'),
      { model: 'openai-compatible:llama', ...hi },
      ATTEMPT,
    );
    expect(fake().requests).toHaveLength(1);
  });
});

describe('anthropic', () => {
  it('sends the key (as a bearer token, as SDK 1.x does) to ANTHROPIC_BASE_URL, or to settings.base_url with settings.api_key_env', async () => {
    fake().on({}, { text: 'ok' });
    await createAdapter('anthropic', {}, envFor(fake(), 'anthropic')).chat(
      refOf('anthropic', 'claude'),
      { model: 'anthropic:claude', ...hi },
      ATTEMPT,
    );
    const env = { ANTHROPIC_API_KEY: 'default', ANTHROPIC_BASE_URL: DEAD_URL, TEAM_KEY: 'team' };
    await createAdapter(
      'anthropic',
      { base_url: fake().anthropicBaseURL, api_key_env: 'TEAM_KEY' },
      env,
    ).chat(refOf('anthropic', 'claude'), { model: 'anthropic:claude', ...hi }, ATTEMPT);
    expect(fake().requests.map((request) => [request.path, request.headers['authorization']])).toEqual([
      ['/v1/messages', 'Bearer sk-ant-test'],
      ['/v1/messages', 'Bearer team'],
    ]);
  });
});
