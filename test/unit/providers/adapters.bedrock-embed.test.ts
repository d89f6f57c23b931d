/**
 * Bedrock embeddings (InvokeModel: Titan, Cohere), the model list (ListFoundationModels), and where
 * region, credentials and endpoint come from, through the real AWS SDK against the fake.
 */
import { describe, expect, it } from 'vitest';
import { createAdapter, type Env } from '../../../src/providers/adapters.js';
import {
  ProviderAuthError,
  ProviderBadRequestError,
  ProviderRateLimitError,
} from '../../../src/providers/errors.js';
import { providerEndpoint } from '../../../src/providers/provider-env.js';
import type { ProviderSettings } from '../../../src/providers/types.js';
import { ATTEMPT, adapterFor, onlyRequest, refOf, rejectionOf, useFakeProvider } from './adapters-fixture.js';
import { MISTRAL, ref } from './bedrock-fixture.js';

const fake = useFakeProvider();

describe('bedrock embeddings', () => {
  it('sends one InvokeModel per text to Titan and keeps the order and token counts', async () => {
    fake().on({ api: 'bedrock.embeddings' }, { embeddings: (text) => [text.length, 1] });
    const titan = refOf('bedrock', 'amazon.titan-embed-text-v2:0');
    const result = await adapterFor(fake(), 'bedrock').embed(
      titan,
      { model: titan.id, input: ['refund window', 'a'] },
      ATTEMPT,
    );
    expect(result).toMatchObject({
      model: 'amazon.titan-embed-text-v2:0',
      vectors: [
        [13, 1],
        [1, 1],
      ],
      inputTokens: 5,
    });
    expect(fake().requests.map((request) => [request.path, request.body])).toEqual([
      ['/model/amazon.titan-embed-text-v2%3A0/invoke', { inputText: 'refund window', normalize: true }],
      ['/model/amazon.titan-embed-text-v2%3A0/invoke', { inputText: 'a', normalize: true }],
    ]);
  });

  it('sends the texts to Cohere in one call and reads its token count from the response header', async () => {
    fake().on({ api: 'bedrock.embeddings' }, { embeddings: (text) => [text.length, 0] });
    const cohere = refOf('bedrock', 'cohere.embed-english-v3');
    const result = await adapterFor(fake(), 'bedrock').embed(
      cohere,
      { model: cohere.id, input: ['abcd', 'ab'] },
      ATTEMPT,
    );
    expect(result).toMatchObject({
      vectors: [
        [4, 0],
        [2, 0],
      ],
      inputTokens: 2,
    });
    expect(onlyRequest(fake()).body).toEqual({ texts: ['abcd', 'ab'], input_type: 'search_document' });
  });

  it('refuses a model that is not Titan or Cohere embeddings, naming the ones it speaks', async () => {
    const other = refOf('bedrock', MISTRAL);
    const error = await rejectionOf(
      adapterFor(fake(), 'bedrock').embed(other, { model: other.id, input: ['a'] }, ATTEMPT),
    );
    expect(error).toBeInstanceOf(ProviderBadRequestError);
    expect((error as Error).message).toContain('use amazon.titan-embed-text-v2:0 or a cohere.embed-* model');
  });

  it('maps a throttled embeddings call to a retryable rate limit', async () => {
    fake().on({ api: 'bedrock.embeddings' }, { fault: { kind: 'status', status: 429 } });
    const titan = refOf('bedrock', 'amazon.titan-embed-text-v2:0');
    const error = await rejectionOf(
      adapterFor(fake(), 'bedrock').embed(titan, { model: titan.id, input: ['a'] }, ATTEMPT),
    );
    expect(error).toBeInstanceOf(ProviderRateLimitError);
  });
});

describe('bedrock listModels', () => {
  it('lists the foundation model ids through ListFoundationModels, signed', async () => {
    fake().on(
      { api: 'bedrock.models' },
      { models: ['anthropic.claude-sonnet-4-6-v1:0', 'amazon.titan-embed-text-v2:0'] },
    );
    const models = await adapterFor(fake(), 'bedrock').listModels?.(ATTEMPT);
    expect(models).toEqual([
      { id: 'anthropic.claude-sonnet-4-6-v1:0' },
      { id: 'amazon.titan-embed-text-v2:0' },
    ]);
    const request = onlyRequest(fake());
    expect(request.path).toBe('/foundation-models');
    expect(request.headers['authorization']).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDTESTBEDROCK\//);
  });

  it('maps AccessDenied on the list to an auth error', async () => {
    fake().on({ api: 'bedrock.models' }, { fault: { kind: 'status', status: 403 } });
    const error = await rejectionOf(adapterFor(fake(), 'bedrock').listModels!(ATTEMPT));
    expect(error).toBeInstanceOf(ProviderAuthError);
    expect((error as Error).message).toContain('403 AccessDeniedException');
  });
});

describe('bedrock region, credentials and endpoint, from settings and the injected environment', () => {
  const KEYS = { AWS_ACCESS_KEY_ID: 'AKID', AWS_SECRET_ACCESS_KEY: 'secret' };

  it.each<[string, ProviderSettings, Env, string | undefined]>([
    [
      'providers.bedrock.region first',
      { region: 'eu-west-1' },
      { AWS_REGION: 'us-west-2', AWS_DEFAULT_REGION: 'ap-south-1' },
      'eu-west-1',
    ],
    ['then AWS_REGION', {}, { AWS_REGION: 'us-west-2', AWS_DEFAULT_REGION: 'ap-south-1' }, 'us-west-2'],
    ['then AWS_DEFAULT_REGION', {}, { AWS_DEFAULT_REGION: 'ap-south-1' }, 'ap-south-1'],
    [
      'an empty AWS_REGION counts as unset',
      {},
      { AWS_REGION: '', AWS_DEFAULT_REGION: 'ap-south-1' },
      'ap-south-1',
    ],
    ['none', {}, {}, undefined],
  ])('region: %s', (_name, settings, env, region) => {
    const endpoint = providerEndpoint('bedrock', settings, { ...KEYS, ...env });
    expect(endpoint.bedrock?.region).toBe(region);
    expect(endpoint.url).toBe(
      region === undefined ? undefined : `https://bedrock-runtime.${region}.amazonaws.com`,
    );
  });

  it.each<[string, Env, string | undefined]>([
    ['explicit keys', KEYS, 'keys'],
    ['a key id without its secret is not enough', { AWS_ACCESS_KEY_ID: 'AKID' }, undefined],
    ['a profile', { AWS_PROFILE: 'eval' }, 'profile'],
    [
      'an OIDC web identity',
      { AWS_ROLE_ARN: 'arn:aws:iam::1:role/r', AWS_WEB_IDENTITY_TOKEN_FILE: '/t' },
      'web identity',
    ],
    ['a role without its token file is not enough', { AWS_ROLE_ARN: 'arn:aws:iam::1:role/r' }, undefined],
    ['container credentials', { AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/x' }, 'container'],
  ])('credentials: %s', (_name, env, from) => {
    const endpoint = providerEndpoint('bedrock', { region: 'us-east-1' }, env);
    expect(endpoint.bedrock?.credentialsFrom).toBe(from);
    expect(createAdapter('bedrock', { region: 'us-east-1' }, env).hasCredentials).toBe(from !== undefined);
  });

  it.each<[string, Env, string]>([
    ['no credentials', { AWS_REGION: 'us-east-1' }, 'AWS_ACCESS_KEY_ID'],
    ['credentials, no region', { AWS_PROFILE: 'eval' }, 'AWS_REGION'],
    ['nothing', {}, 'AWS_ACCESS_KEY_ID'],
  ])('the variable a cache miss names: %s -> %s', (_name, env, hint) => {
    expect(createAdapter('bedrock', {}, env).credentialsHint).toBe(hint);
  });

  it('providers.bedrock.base_url overrides both endpoints; the default endpoint is not an override', () => {
    const settings = { region: 'us-east-1', base_url: 'http://127.0.0.1:4566' };
    expect(providerEndpoint('bedrock', settings, KEYS).bedrock).toMatchObject({
      url: 'http://127.0.0.1:4566',
      urlFrom: 'providers.bedrock.base_url in rubric.yaml',
      override: true,
      controlURL: 'http://127.0.0.1:4566',
    });
    expect(providerEndpoint('bedrock', { region: 'us-east-1' }, KEYS).bedrock).toMatchObject({
      urlFrom: 'the default',
      override: false,
      controlURL: undefined,
    });
  });

  it('providers.bedrock.base_url reaches the SDK: the call goes to the fake', async () => {
    fake().on({ api: 'bedrock.converse' }, { text: 'via base_url' });
    const adapter = createAdapter('bedrock', { region: 'eu-west-1', base_url: fake().bedrockEndpoint }, KEYS);
    const result = await adapter.chat(
      ref,
      { model: ref.id, messages: [{ role: 'user', content: 'Hi' }] },
      ATTEMPT,
    );
    expect(result.choices[0]?.text).toBe('via base_url');
    expect(onlyRequest(fake()).headers['authorization']).toContain('/eu-west-1/bedrock/aws4_request');
  });
});
