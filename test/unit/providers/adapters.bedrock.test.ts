/**
 * The Bedrock adapter through the real `@aws-sdk/client-bedrock-runtime` (and
 * `@aws-sdk/client-bedrock` for the model list) against the fake provider:
 * what goes on the wire (Converse bodies, SigV4 headers) and what comes back,
 * plain and streamed over the AWS event stream; AWS errors by name.
 */
import { describe, expect, it } from 'vitest';
import { createAdapter, type Env } from '../../../src/providers/adapters.js';
import { providerEndpoint } from '../../../src/providers/provider-env.js';
import {
  ProviderAuthError,
  ProviderBadRequestError,
  ProviderRateLimitError,
  ProviderResponseError,
  ProviderServerError,
  ProviderTimeoutError,
  type ProviderError,
} from '../../../src/providers/errors.js';
import type { ChatRequest, ProviderSettings } from '../../../src/providers/types.js';
import {
  ATTEMPT,
  adapterFor,
  envFor,
  onlyRequest,
  refOf,
  rejectionOf,
  useFakeProvider,
} from './adapters-fixture.js';

const fake = useFakeProvider();
type ErrorClass = abstract new (...args: never[]) => ProviderError;
const CLAUDE = 'us.anthropic.claude-sonnet-4-6-v1:0';
const MISTRAL = 'mistral.mistral-large-2407-v1:0';
const ref = refOf('bedrock', CLAUDE);

const WEATHER_TOOL = {
  name: 'get_weather',
  description: 'Current weather in a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};
const GRADE_SCHEMA = { name: 'grade', schema: { type: 'object', properties: { score: { type: 'number' } } } };

/** A clock that advances 5 ms per reading: request start at 0, first token at 5. */
function steppingClock(): () => number {
  let now = -5;
  return () => (now += 5);
}

function chat(request: Omit<ChatRequest, 'model'>, model = CLAUDE) {
  const target = refOf('bedrock', model);
  return adapterFor(fake(), 'bedrock', {}, steppingClock()).chat(
    target,
    { model: target.id, ...request },
    ATTEMPT,
  );
}

describe('bedrock chat request', () => {
  it('sends system, toolUse and merged toolResult turns, toolConfig and maxTokens to /model/{id}/converse', async () => {
    fake().on({ api: 'bedrock.converse' }, { text: 'ok' });
    await chat({
      system: 'Be brief.',
      messages: [
        { role: 'user', content: 'Weather in Paris and Oslo?' },
        {
          role: 'assistant',
          content: 'Checking.',
          toolCalls: [
            {
              id: 'call_1',
              name: 'get_weather',
              arguments: { city: 'Paris' },
              rawArguments: '{"city":"Paris"}',
            },
            { id: 'call_2', name: 'get_weather', arguments: undefined, rawArguments: '{"city":"Oslo"}' },
          ],
        },
        { role: 'tool', content: '21', toolCallId: 'call_1' },
        { role: 'tool', content: '15', toolCallId: 'call_2' },
        { role: 'user', content: 'Thanks. Tomorrow?' },
      ],
      tools: [WEATHER_TOOL],
      toolChoice: { name: 'get_weather' },
      temperature: 0.2,
      maxTokens: 256,
      logprobs: { top: 3 },
    });
    const request = onlyRequest(fake());
    expect(request.path).toBe('/model/us.anthropic.claude-sonnet-4-6-v1%3A0/converse');
    expect(request.model).toBe(CLAUDE);
    expect(request.body).toEqual({
      system: [{ text: 'Be brief.' }],
      messages: [
        { role: 'user', content: [{ text: 'Weather in Paris and Oslo?' }] },
        {
          role: 'assistant',
          content: [
            { text: 'Checking.' },
            { toolUse: { toolUseId: 'call_1', name: 'get_weather', input: { city: 'Paris' } } },
            { toolUse: { toolUseId: 'call_2', name: 'get_weather', input: { city: 'Oslo' } } },
          ],
        },
        {
          role: 'user',
          content: [
            { toolResult: { toolUseId: 'call_1', content: [{ text: '21' }] } },
            { toolResult: { toolUseId: 'call_2', content: [{ text: '15' }] } },
            { text: 'Thanks. Tomorrow?' },
          ],
        },
      ],
      // No temperature: Anthropic models take no sampling parameters (capabilities.ts).
      inferenceConfig: { maxTokens: 256 },
      toolConfig: {
        tools: [
          {
            toolSpec: {
              name: 'get_weather',
              description: 'Current weather in a city',
              inputSchema: { json: WEATHER_TOOL.parameters },
            },
          },
        ],
        toolChoice: { tool: { name: 'get_weather' } },
      },
    });
  });

  it('signs with SigV4 for the region, from the keys in the injected environment', async () => {
    fake().on({ api: 'bedrock.converse' }, { text: 'ok' });
    await chat({ messages: [{ role: 'user', content: 'Hi' }] });
    const { headers } = onlyRequest(fake());
    expect(headers['authorization']).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDTESTBEDROCK\/\d{8}\/us-east-1\/bedrock\/aws4_request, SignedHeaders=\S+, Signature=[0-9a-f]{64}$/,
    );
    expect(headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
    expect(headers['amz-sdk-request']).toBe('attempt=1; max=1');
  });

  it('sends the session token of temporary credentials', async () => {
    fake().on({ api: 'bedrock.converse' }, { text: 'ok' });
    const env = { ...envFor(fake(), 'bedrock'), AWS_SESSION_TOKEN: 'session-token-1' };
    await createAdapter('bedrock', {}, env).chat(
      ref,
      { model: ref.id, messages: [{ role: 'user', content: 'Hi' }] },
      ATTEMPT,
    );
    expect(onlyRequest(fake()).headers['x-amz-security-token']).toBe('session-token-1');
  });

  it('sends temperature and maxTokens 4096 to a model that takes them (Mistral)', async () => {
    fake().on({ api: 'bedrock.converse' }, { text: 'ok' });
    await chat({ messages: [{ role: 'user', content: 'Hi' }], temperature: 0.3 }, MISTRAL);
    expect(onlyRequest(fake()).body['inferenceConfig']).toEqual({ maxTokens: 4096, temperature: 0.3 });
  });

  it.each([
    ['auto', {}],
    ['required', { toolChoice: { any: {} } }],
  ] as const)('sends toolChoice %s as %j', async (choice, wire) => {
    fake().on({ api: 'bedrock.converse' }, { text: 'ok' });
    await chat({ messages: [{ role: 'user', content: 'Hi' }], tools: [WEATHER_TOOL], toolChoice: choice });
    const config = onlyRequest(fake()).body['toolConfig'] as Record<string, unknown>;
    expect(Object.keys(config).sort()).toEqual(['tools', ...Object.keys(wire)].sort());
    expect(config['toolChoice']).toEqual((wire as { toolChoice?: unknown }).toolChoice);
  });

  it('leaves the tools out for toolChoice none (Converse has no none)', async () => {
    fake().on({ api: 'bedrock.converse' }, { text: 'ok' });
    await chat({ messages: [{ role: 'user', content: 'Hi' }], tools: [WEATHER_TOOL], toolChoice: 'none' });
    expect(onlyRequest(fake()).body['toolConfig']).toBeUndefined();
  });

  it('keeps the tools for toolChoice none when the history holds tool calls, which Converse requires them for', async () => {
    fake().on({ api: 'bedrock.converse' }, { text: 'ok' });
    await chat({
      messages: [
        { role: 'user', content: 'Weather?' },
        {
          role: 'assistant',
          content: '',
          toolCalls: [{ id: 'c1', name: 'get_weather', arguments: {}, rawArguments: '{}' }],
        },
        { role: 'tool', content: '21', toolCallId: 'c1' },
      ],
      tools: [WEATHER_TOOL],
      toolChoice: 'none',
    });
    const config = onlyRequest(fake()).body['toolConfig'] as Record<string, unknown>;
    expect(Object.keys(config)).toEqual(['tools']);
  });

  it('sends responseSchema as a forced tool next to the other tools', async () => {
    fake().on({ api: 'bedrock.converse' }, { json: { score: 0.9 } });
    await chat({
      messages: [{ role: 'user', content: 'Grade' }],
      tools: [WEATHER_TOOL],
      responseSchema: GRADE_SCHEMA,
    });
    expect(onlyRequest(fake()).body['toolConfig']).toEqual({
      tools: [
        {
          toolSpec: {
            name: 'get_weather',
            description: 'Current weather in a city',
            inputSchema: { json: WEATHER_TOOL.parameters },
          },
        },
        { toolSpec: { name: 'grade', inputSchema: { json: GRADE_SCHEMA.schema } } },
      ],
      toolChoice: { tool: { name: 'grade' } },
    });
  });
});

describe.each([false, true])('bedrock chat reply (stream: %s)', (stream) => {
  it('returns the text, usage and request id', async () => {
    fake().on(
      { api: 'bedrock.converse' },
      { text: 'Hello from a fake Claude on Bedrock.', usage: { input: 11, output: 7 } },
    );
    const result = await chat({ messages: [{ role: 'user', content: 'Hi' }], stream });
    const request = onlyRequest(fake());
    expect(request.path).toBe(
      `/model/us.anthropic.claude-sonnet-4-6-v1%3A0/${stream ? 'converse-stream' : 'converse'}`,
    );
    expect(result).toEqual({
      model: CLAUDE,
      choices: [{ text: 'Hello from a fake Claude on Bedrock.', toolCalls: [], finishReason: 'stop' }],
      inputTokens: 11,
      outputTokens: 7,
      requestId: request.id,
      timeToFirstTokenMs: stream ? 5 : undefined,
    });
  });

  it('returns toolUse blocks as tool calls', async () => {
    const args = { city: 'Reykjavik', note: 'long enough to be streamed in more than one JSON delta' };
    fake().on(
      { api: 'bedrock.converse' },
      { text: 'Let me check.', toolCalls: [{ name: 'get_weather', arguments: args }] },
    );
    const result = await chat({
      messages: [{ role: 'user', content: 'Weather?' }],
      tools: [WEATHER_TOOL],
      stream,
    });
    expect(result.choices).toEqual([
      {
        text: 'Let me check.',
        finishReason: 'tool_calls',
        toolCalls: [
          {
            id: 'tooluse_fake_1_0',
            name: 'get_weather',
            arguments: args,
            rawArguments: JSON.stringify(args),
          },
        ],
      },
    ]);
  });

  it('returns the forced structured-output tool as text and parsed, not as a tool call', async () => {
    const json = { score: 0.75, reasons: ['states the window', 'no guarantee'] };
    fake().on({ api: 'bedrock.converse' }, { json });
    const result = await chat({
      messages: [{ role: 'user', content: 'Grade' }],
      responseSchema: GRADE_SCHEMA,
      stream,
    });
    expect(result.choices).toEqual([
      { text: JSON.stringify(json), parsed: json, finishReason: 'stop', toolCalls: [] },
    ]);
  });

  it.each([
    ['length', 'length'],
    ['malformed_model_output', 'other'],
  ])('maps the stop reason of %s to %s', async (scripted, finishReason) => {
    fake().on({ api: 'bedrock.converse' }, { text: 'cut', finishReason: scripted });
    const result = await chat({ messages: [{ role: 'user', content: 'Hi' }], stream });
    expect(result.choices[0]).toEqual({ text: 'cut', toolCalls: [], finishReason });
  });

  it.each(['content_filter', 'guardrail_intervened'])(
    'a reply stopped by %s is a refusal quoting its text',
    async (scripted) => {
      fake().on(
        { api: 'bedrock.converse' },
        { text: 'Sorry, the guardrail blocked this.', finishReason: scripted },
      );
      const result = await chat({ messages: [{ role: 'user', content: 'Hi' }], stream });
      expect(result.choices[0]).toEqual({
        text: 'Sorry, the guardrail blocked this.',
        toolCalls: [],
        finishReason: 'content_filter',
        refusal: 'Sorry, the guardrail blocked this.',
      });
    },
  );

  it('reports a reply with no content as unusable, retryable', async () => {
    fake().on({ api: 'bedrock.converse' }, { fault: { kind: 'empty-choices' } });
    const error = await rejectionOf(chat({ messages: [{ role: 'user', content: 'Hi' }], stream }));
    expect(error).toBeInstanceOf(ProviderResponseError);
    expect(error).toMatchObject({ retryable: true, provider: 'bedrock', model: CLAUDE });
  });
});

describe('bedrock stream faults', () => {
  it('reports a stream cut before messageStop as unusable, with the request id', async () => {
    fake().on({ api: 'bedrock.converse' }, { fault: { kind: 'truncated-stream' } });
    const error = await rejectionOf(chat({ messages: [{ role: 'user', content: 'Hi' }], stream: true }));
    expect(error).toBeInstanceOf(ProviderResponseError);
    expect(error).toMatchObject({ retryable: true, requestId: onlyRequest(fake()).id });
    expect((error as Error).message).toContain('stream ended early, without messageStop');
  });

  it('reports an event that is not JSON as unusable, retryable', async () => {
    fake().on({ api: 'bedrock.converse' }, { fault: { kind: 'malformed' } });
    const error = await rejectionOf(chat({ messages: [{ role: 'user', content: 'Hi' }], stream: true }));
    expect(error).toBeInstanceOf(ProviderResponseError);
    expect((error as ProviderError).retryable).toBe(true);
  });

  it.each<[string, ErrorClass, boolean]>([
    ['throttlingException', ProviderRateLimitError, true],
    ['modelStreamErrorException', ProviderServerError, true],
    ['serviceUnavailableException', ProviderServerError, true],
    ['validationException', ProviderBadRequestError, false],
  ])('an exception event %s mid-stream -> %o, retryable %s', async (errorType, errorClass, retryable) => {
    fake().on(
      { api: 'bedrock.converse' },
      { fault: { kind: 'stream-exception', errorType, message: 'mid-stream' } },
    );
    const error = await rejectionOf(chat({ messages: [{ role: 'user', content: 'Hi' }], stream: true }));
    expect(error).toBeInstanceOf(errorClass);
    expect(error).toMatchObject({
      retryable,
      provider: 'bedrock',
      model: CLAUDE,
      requestId: onlyRequest(fake()).id,
    });
    expect((error as Error).message).toMatch(
      new RegExp(
        `^bedrock:${CLAUDE} reported ${errorType.replace(/^./, (c) => c.toUpperCase())} mid-stream: mid-stream; \\S`,
      ),
    );
  });

  it('times out a reply that never comes, as a retryable timeout', async () => {
    fake().on({ api: 'bedrock.converse' }, { fault: { kind: 'hang' } });
    const adapter = adapterFor(fake(), 'bedrock');
    const error = await rejectionOf(
      adapter.chat(
        ref,
        { model: ref.id, messages: [{ role: 'user', content: 'Hi' }], stream: true },
        { timeoutMs: 200 },
      ),
    );
    expect(error).toBeInstanceOf(ProviderTimeoutError);
    expect((error as Error).message).toBe(
      `bedrock:${CLAUDE} did not answer within 200 ms; retry later or raise providers.bedrock.timeout_s in rubric.yaml`,
    );
  });
});

describe('bedrock errors, by AWS error name', () => {
  it.each<[number, string, ErrorClass, boolean]>([
    [429, 'ThrottlingException', ProviderRateLimitError, true],
    [400, 'ServiceQuotaExceededException', ProviderRateLimitError, true],
    [429, 'ModelNotReadyException', ProviderServerError, true],
    [503, 'ServiceUnavailableException', ProviderServerError, true],
    [500, 'InternalServerException', ProviderServerError, true],
    [400, 'ValidationException', ProviderBadRequestError, false],
    [403, 'AccessDeniedException', ProviderAuthError, false],
    [403, 'UnrecognizedClientException', ProviderAuthError, false],
    [403, 'ExpiredTokenException', ProviderAuthError, false],
    [404, 'ResourceNotFoundException', ProviderBadRequestError, false],
    [502, 'SomethingNewException', ProviderServerError, true],
  ])('%i %s -> %o, retryable %s', async (status, errorType, errorClass, retryable) => {
    fake().on(
      { api: 'bedrock.converse' },
      { fault: { kind: 'status', status, errorType, message: 'said by AWS' } },
    );
    const error = await rejectionOf(chat({ messages: [{ role: 'user', content: 'Hi' }] }));
    expect(error).toBeInstanceOf(errorClass);
    expect(error).toMatchObject({
      status,
      retryable,
      requestId: onlyRequest(fake()).id,
      provider: 'bedrock',
    });
    expect((error as Error).message).toMatch(
      new RegExp(`^bedrock:${CLAUDE} answered ${status} ${errorType}: said by AWS; \\S`),
    );
  });

  it('sends a 429 ThrottlingException by default for a status fault, as real Bedrock does', async () => {
    fake().on({ api: 'bedrock.converse' }, { fault: { kind: 'status', status: 429 } });
    const error = await rejectionOf(chat({ messages: [{ role: 'user', content: 'Hi' }], stream: true }));
    expect(error).toBeInstanceOf(ProviderRateLimitError);
    expect((error as Error).message).toContain('429 ThrottlingException');
  });

  it('refuses the call before the network when credentials or region are missing', async () => {
    const adapter = createAdapter(
      'bedrock',
      {},
      { AWS_ENDPOINT_URL_BEDROCK_RUNTIME: fake().bedrockEndpoint },
    );
    expect(adapter.hasCredentials).toBe(false);
    const error = await rejectionOf(
      adapter.chat(ref, { model: ref.id, messages: [{ role: 'user', content: 'Hi' }] }, ATTEMPT),
    );
    expect(error).toBeInstanceOf(ProviderAuthError);
    expect((error as Error).message).toBe(
      `bedrock:${CLAUDE} has no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY ` +
        '(or AWS_PROFILE, or AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE for OIDC); ' +
        'set AWS_REGION (or providers.bedrock.region in rubric.yaml)',
    );
    expect(fake().requests).toHaveLength(0);
  });

  it('the fake refuses a request that is not SigV4-signed, as Bedrock does', async () => {
    const response = await fetch(`${fake().bedrockEndpoint}/model/${encodeURIComponent(CLAUDE)}/converse`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [] }),
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
  });
});

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
