/**
 * The Vertex adapter through the real `@google/genai` and
 * `@anthropic-ai/vertex-sdk` against the fake provider: what goes on the wire
 * (paths, bodies, the Google bearer token from workload identity federation)
 * and what comes back, plain and streamed, and how failures are classed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAdapter } from '../../../src/providers/adapters.js';
import type { ProviderError } from '../../../src/providers/errors.js';
import {
  ProviderAbortError,
  ProviderAuthError,
  ProviderBadRequestError,
  ProviderConnectionError,
  ProviderRateLimitError,
  ProviderResponseError,
  ProviderServerError,
  ProviderTimeoutError,
} from '../../../src/providers/errors.js';
import type { ChatRequest } from '../../../src/providers/types.js';
import { ACCESS_TOKEN, externalAccountCredentials } from '../../fake-provider/index.js';
import {
  ATTEMPT,
  VERTEX_LOCATION,
  VERTEX_PROJECT,
  adapterFor,
  envFor,
  onlyRequest,
  refOf,
  rejectionOf,
  useFakeProvider,
} from './adapters-fixture.js';

const fake = useFakeProvider();
const gemini = refOf('vertex', 'gemini-test');
const claude = refOf('vertex', 'claude-test@20250101');
const MODELS = `/v1/projects/${VERTEX_PROJECT}/locations/${VERTEX_LOCATION}/publishers`;

const WEATHER_TOOL = {
  name: 'get_weather',
  description: 'Current weather in a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};
const GRADE_SCHEMA = {
  name: 'grade',
  schema: { type: 'object', properties: { score: { type: 'number' } }, required: ['score'] },
};

/** A clock that advances 5 ms per reading: request start at 0, first token at 5. */
function steppingClock(): () => number {
  let now = -5;
  return () => (now += 5);
}

function chat(request: Omit<ChatRequest, 'model'>, ref = gemini) {
  return adapterFor(fake(), 'vertex', {}, steppingClock()).chat(ref, { model: ref.id, ...request }, ATTEMPT);
}

/** A loopback port nothing listens on (one just closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const scratch = mkdtempSync(join(tmpdir(), 'qualify-vertex-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Credentials whose OIDC token the fake STS does not know: the token exchange is refused (401). */
function wrongCredentials(): string {
  const tokenFile = join(scratch, 'wrong-token');
  writeFileSync(tokenFile, 'not-the-oidc-token');
  const file = join(scratch, 'wrong-credentials.json');
  writeFileSync(file, JSON.stringify(externalAccountCredentials(fake().url, tokenFile)));
  return file;
}

describe('vertex gemini chat request', () => {
  it('sends system, model turns with function calls, named function responses, tools and config to generateContent with the bearer token', async () => {
    fake().on({ api: 'vertex.generate' }, { text: 'ok' });
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
      maxTokens: 300,
    });
    const req = onlyRequest(fake());
    expect(req.path).toBe(`${MODELS}/google/models/gemini-test:generateContent`);
    expect(req.model).toBe('gemini-test');
    expect(req.headers['authorization']).toBe(`Bearer ${ACCESS_TOKEN}`);
    expect(req.body).toEqual({
      contents: [
        { role: 'user', parts: [{ text: 'Weather in Paris and Oslo?' }] },
        {
          role: 'model',
          parts: [
            { text: 'Checking.' },
            { functionCall: { name: 'get_weather', args: { city: 'Paris' } } },
            { functionCall: { name: 'get_weather', args: { city: 'Oslo' } } },
          ],
        },
        {
          role: 'user',
          parts: [
            { functionResponse: { name: 'get_weather', response: { output: '21' } } },
            { functionResponse: { name: 'get_weather', response: { output: '15' } } },
            { text: 'Thanks. Tomorrow?' },
          ],
        },
      ],
      systemInstruction: { parts: [{ text: 'Be brief.' }], role: 'user' },
      generationConfig: { temperature: 0.2, maxOutputTokens: 300 },
      tools: [
        {
          functionDeclarations: [
            {
              name: 'get_weather',
              description: 'Current weather in a city',
              parametersJsonSchema: WEATHER_TOOL.parameters,
            },
          ],
        },
      ],
      toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] } },
    });
  });

  it('asks for JSON with the schema titled by its name, candidateCount for n, and logprobs', async () => {
    fake().on({ api: 'vertex.generate' }, { json: { score: 8 } });
    const result = await chat({
      messages: [{ role: 'user', content: 'Grade it.' }],
      responseSchema: GRADE_SCHEMA,
      n: 3,
      logprobs: { top: 2 },
    });
    expect(onlyRequest(fake()).body['generationConfig']).toEqual({
      candidateCount: 3,
      responseLogprobs: true,
      logprobs: 2,
      responseMimeType: 'application/json',
      responseJsonSchema: { ...GRADE_SCHEMA.schema, title: 'grade' },
    });
    expect(result.choices.map((choice) => [choice.text, choice.parsed, choice.finishReason])).toEqual([
      ['{"score":8}', { score: 8 }, 'stop'],
      ['{"score":8}', { score: 8 }, 'stop'],
      ['{"score":8}', { score: 8 }, 'stop'],
    ]);
    const logprobs = result.choices[0]?.logprobs ?? [];
    expect(logprobs.map((l) => l.token).join('')).toBe('{"score":8}');
    expect(logprobs.every((l) => l.top.length === 2 && l.top[0]?.token === l.token)).toBe(true);
  });

  it('takes n on Gemini and not on Claude (the client fans Claude out)', () => {
    const adapter = adapterFor(fake(), 'vertex');
    expect(adapter.supportsNFor?.(gemini)).toBe(true);
    expect(adapter.supportsNFor?.(claude)).toBe(false);
  });
});

describe('vertex gemini chat reply', () => {
  it('reads text, function calls and usage (thoughts are reasoning tokens, counted in the output)', async () => {
    fake().on(
      { api: 'vertex.generate' },
      {
        text: 'Let me look.',
        toolCalls: [{ name: 'get_weather', arguments: { city: 'Oslo' } }],
        usage: { input: 40, output: 12, reasoning: 30 },
      },
    );
    const result = await chat({ messages: [{ role: 'user', content: 'Oslo?' }], tools: [WEATHER_TOOL] });
    expect(result).toEqual({
      model: 'gemini-test',
      choices: [
        {
          text: 'Let me look.',
          toolCalls: [
            {
              id: 'call_0_1',
              name: 'get_weather',
              arguments: { city: 'Oslo' },
              rawArguments: '{"city":"Oslo"}',
            },
          ],
          finishReason: 'tool_calls',
        },
      ],
      inputTokens: 40,
      outputTokens: 42,
      reasoningTokens: 30,
      requestId: 'fake-vertex-1',
      timeToFirstTokenMs: undefined,
    });
  });

  it('sends a function call back with the thought signature it came with; a call it never read goes unsigned', async () => {
    fake().on(
      { api: 'vertex.generate' },
      { toolCalls: [{ name: 'get_weather', arguments: { city: 'Oslo' } }] },
      { times: 1 },
    );
    fake().on({ api: 'vertex.generate' }, { text: 'Cold.' });
    const adapter = adapterFor(fake(), 'vertex');
    const first = await adapter.chat(
      gemini,
      { model: gemini.id, messages: [{ role: 'user', content: 'Oslo?' }] },
      ATTEMPT,
    );
    const call = first.choices[0]!.toolCalls[0]!;
    const history: ChatRequest['messages'] = [
      { role: 'user', content: 'Oslo?' },
      { role: 'assistant', content: '', toolCalls: [call] },
      { role: 'tool', content: '-3', toolCallId: call.id },
    ];
    await adapter.chat(gemini, { model: gemini.id, messages: history }, ATTEMPT);
    await adapterFor(fake(), 'vertex').chat(gemini, { model: gemini.id, messages: history }, ATTEMPT);
    const modelTurn = (index: number) => {
      const contents = fake().requests[index]!.body['contents'] as {
        role: string;
        parts: Record<string, unknown>[];
      }[];
      return contents.find((content) => content.role === 'model')!.parts[0]!;
    };
    const signature = modelTurn(1)['thoughtSignature'] as string;
    expect(Buffer.from(signature, 'base64').toString()).toMatch(/^fake-signature:\d+:0:0$/);
    expect(modelTurn(1)['functionCall']).toEqual({ name: 'get_weather', args: { city: 'Oslo' } });
    expect(modelTurn(2)).toEqual({ functionCall: { name: 'get_weather', args: { city: 'Oslo' } } });
  });

  it('reads MAX_TOKENS as length and a safety stop as a content filter with the finish message as refusal', async () => {
    fake().on({ api: 'vertex.generate' }, { text: 'Cut', finishReason: 'length' }, { times: 1 });
    fake().on({ api: 'vertex.generate' }, { refusal: 'Blocked for safety.' }, { times: 1 });
    const cut = await chat({ messages: [{ role: 'user', content: 'Long?' }] });
    const refused = await chat({ messages: [{ role: 'user', content: 'Bad?' }] });
    expect(cut.choices[0]?.finishReason).toBe('length');
    expect(refused.choices[0]).toEqual({
      text: '',
      toolCalls: [],
      finishReason: 'content_filter',
      refusal: 'Blocked for safety.',
    });
  });

  it('streams from streamGenerateContent?alt=sse, assembled, with the time to the first token', async () => {
    fake().on(
      { api: 'vertex.generate' },
      {
        text: 'Thirty days, with a receipt.',
        toolCalls: [{ name: 'get_weather', arguments: { city: 'Oslo' } }],
        usage: { input: 9, output: 7 },
      },
    );
    const result = await chat({ messages: [{ role: 'user', content: 'Returns?' }], stream: true });
    const req = onlyRequest(fake());
    expect(req.path).toBe(`${MODELS}/google/models/gemini-test:streamGenerateContent`);
    expect(req.query).toEqual({ alt: 'sse' });
    expect(req.headers['authorization']).toBe(`Bearer ${ACCESS_TOKEN}`);
    expect(result.choices).toEqual([
      {
        text: 'Thirty days, with a receipt.',
        toolCalls: [
          {
            id: 'call_0_1',
            name: 'get_weather',
            arguments: { city: 'Oslo' },
            rawArguments: '{"city":"Oslo"}',
          },
        ],
        finishReason: 'tool_calls',
      },
    ]);
    expect([result.inputTokens, result.outputTokens, result.timeToFirstTokenMs]).toEqual([9, 7, 5]);
  });

  it('fails a stream cut before its finishReason as a retryable unusable response', async () => {
    fake().on({ api: 'vertex.generate' }, { fault: { kind: 'truncated-stream' } });
    const error = await rejectionOf(chat({ messages: [{ role: 'user', content: 'Hi' }], stream: true }));
    expect(error).toBeInstanceOf(ProviderResponseError);
    expect((error as ProviderError).retryable).toBe(true);
    expect((error as Error).message).toContain('stream ended early, without a finishReason');
  });

  it('fails a 200 with no candidates as a retryable unusable response', async () => {
    fake().on({ api: 'vertex.generate' }, { fault: { kind: 'empty-choices' } });
    const error = await rejectionOf(chat({ messages: [{ role: 'user', content: 'Hi' }] }));
    expect(error).toBeInstanceOf(ProviderResponseError);
    expect((error as Error).message).toContain('a 200 with no candidates');
  });
});

describe('vertex errors', () => {
  it.each([
    [429, ProviderRateLimitError, true, 'RESOURCE_EXHAUSTED'],
    [503, ProviderServerError, true, 'UNAVAILABLE'],
    [500, ProviderServerError, true, 'INTERNAL'],
    [400, ProviderBadRequestError, false, 'INVALID_ARGUMENT'],
    [401, ProviderAuthError, false, 'UNAUTHENTICATED'],
    [403, ProviderAuthError, false, 'PERMISSION_DENIED'],
    [404, ProviderBadRequestError, false, 'NOT_FOUND'],
  ])('a Google %i is a %o (retryable %s), naming %s', async (status, type, retryable, googleStatus) => {
    fake().on({ api: 'vertex.generate' }, { fault: { kind: 'status', status, message: 'scripted' } });
    const error = await rejectionOf(chat({ messages: [{ role: 'user', content: 'Hi' }] }));
    expect(error).toBeInstanceOf(type);
    expect((error as ProviderError).retryable).toBe(retryable);
    expect((error as ProviderError).status).toBe(status);
    expect((error as Error).message).toContain(
      `vertex:gemini-test answered ${status}: ${googleStatus}: scripted`,
    );
  });

  it('times out a call that hangs, retryably', async () => {
    fake().on({ api: 'vertex.generate' }, { fault: { kind: 'hang' } });
    const adapter = adapterFor(fake(), 'vertex');
    const error = await rejectionOf(
      adapter.chat(
        gemini,
        { model: gemini.id, messages: [{ role: 'user', content: 'Hi' }] },
        { timeoutMs: 300 },
      ),
    );
    expect(error).toBeInstanceOf(ProviderTimeoutError);
    expect((error as ProviderError).retryable).toBe(true);
  });

  it('a base URL that refuses connections is a retryable connection error', async () => {
    const port = await closedPort();
    const adapter = createAdapter(
      'vertex',
      { base_url: `http://127.0.0.1:${port}` },
      envFor(fake(), 'vertex'),
    );
    const error = await rejectionOf(
      adapter.chat(gemini, { model: gemini.id, messages: [{ role: 'user', content: 'Hi' }] }, ATTEMPT),
    );
    expect(error).toBeInstanceOf(ProviderConnectionError);
    expect((error as ProviderError).retryable).toBe(true);
    expect((error as Error).message).toMatch(
      /^vertex:gemini-test: could not reach the API \(.*ECONNREFUSED.*\); check providers.vertex.base_url/,
    );
  });

  it("stops at the caller's abort, not retried", async () => {
    fake().on({ api: 'vertex.generate' }, { fault: { kind: 'hang' } });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = await rejectionOf(
      adapterFor(fake(), 'vertex').chat(
        gemini,
        { model: gemini.id, messages: [{ role: 'user', content: 'Hi' }] },
        { timeoutMs: 10_000, signal: controller.signal },
      ),
    );
    expect(error).toBeInstanceOf(ProviderAbortError);
    expect((error as ProviderError).retryable).toBe(false);
  });

  it('refuses a token exchange (a wrong subject token) as an auth error, not retried, and sends no call', async () => {
    const file = wrongCredentials();
    const adapter = createAdapter(
      'vertex',
      {},
      { ...envFor(fake(), 'vertex'), GOOGLE_APPLICATION_CREDENTIALS: file },
    );
    const error = await rejectionOf(
      adapter.chat(gemini, { model: gemini.id, messages: [{ role: 'user', content: 'Hi' }] }, ATTEMPT),
    );
    expect(error).toBeInstanceOf(ProviderAuthError);
    expect((error as ProviderError).retryable).toBe(false);
    expect((error as Error).message).toMatch(
      /^vertex:gemini-test: could not get a Google access token \(Error code invalid_grant: fake STS: unknown subject token\); set GOOGLE_APPLICATION_CREDENTIALS/,
    );
    expect(fake().requests).toEqual([]);
  });

  it('refuses the token exchange for Claude on Vertex as an auth error too, not a retried connection error', async () => {
    const file = wrongCredentials();
    const adapter = createAdapter(
      'vertex',
      {},
      { ...envFor(fake(), 'vertex'), GOOGLE_APPLICATION_CREDENTIALS: file },
    );
    const error = await rejectionOf(
      adapter.chat(claude, { model: claude.id, messages: [{ role: 'user', content: 'Hi' }] }, ATTEMPT),
    );
    expect(error).toBeInstanceOf(ProviderAuthError);
    expect((error as ProviderError).retryable).toBe(false);
    expect((error as Error).message).toMatch(
      /^vertex:claude-test@20250101: could not get a Google access token \(Error code invalid_grant: fake STS: unknown subject token\); set GOOGLE_APPLICATION_CREDENTIALS/,
    );
    expect(fake().requests).toEqual([]);
  });

  it('has no credentials without a project, and says which variable to set', async () => {
    const { GOOGLE_CLOUD_PROJECT: _unset, ...env } = envFor(fake(), 'vertex');
    const adapter = createAdapter('vertex', {}, env);
    expect(adapter.hasCredentials).toBe(false);
    expect(adapter.credentialsHint).toBe('GOOGLE_CLOUD_PROJECT');
    expect(adapterFor(fake(), 'vertex').credentialsHint).toBe('GOOGLE_APPLICATION_CREDENTIALS');
    const error = await rejectionOf(
      adapter.chat(gemini, { model: gemini.id, messages: [{ role: 'user', content: 'Hi' }] }, ATTEMPT),
    );
    expect(error).toBeInstanceOf(ProviderAuthError);
    expect((error as Error).message).toBe(
      'vertex:gemini-test has no credentials: set GOOGLE_CLOUD_PROJECT to the Google Cloud project id (or set providers.vertex.project in rubric.yaml)',
    );
  });

  it('takes project and location from rubric.yaml over the environment', async () => {
    fake().on({ api: 'vertex.generate' }, { text: 'ok' });
    const adapter = createAdapter(
      'vertex',
      { project: 'rubric-project', location: 'europe-west4' },
      envFor(fake(), 'vertex'),
    );
    await adapter.chat(gemini, { model: gemini.id, messages: [{ role: 'user', content: 'Hi' }] }, ATTEMPT);
    expect(onlyRequest(fake()).path).toBe(
      '/v1/projects/rubric-project/locations/europe-west4/publishers/google/models/gemini-test:generateContent',
    );
  });
});

describe('vertex embeddings and models', () => {
  it('embeds through :predict, one vector per input in order, with the token count', async () => {
    fake().on(
      { api: 'vertex.embeddings' },
      {
        embeddings: [
          [1, 0],
          [0, 1],
        ],
      },
    );
    const embedder = refOf('vertex', 'text-embedding-005');
    const result = await adapterFor(fake(), 'vertex').embed(
      embedder,
      { model: embedder.id, input: ['refund window', 'shipping'] },
      ATTEMPT,
    );
    const req = onlyRequest(fake());
    expect(req.path).toBe(`${MODELS}/google/models/text-embedding-005:predict`);
    expect(req.headers['authorization']).toBe(`Bearer ${ACCESS_TOKEN}`);
    expect(req.body['instances']).toEqual([{ content: 'refund window' }, { content: 'shipping' }]);
    expect(result).toEqual({
      model: 'text-embedding-005',
      vectors: [
        [1, 0],
        [0, 1],
      ],
      inputTokens: 6,
    });
  });

  it('embeds with gemini-embedding-001 one input per request (all the model takes), in order', async () => {
    fake().on({ api: 'vertex.embeddings' }, { embeddings: (text) => (text === 'a' ? [1, 0] : [0, 1]) });
    const embedder = refOf('vertex', 'gemini-embedding-001');
    const result = await adapterFor(fake(), 'vertex').embed(
      embedder,
      { model: embedder.id, input: ['a', 'b'] },
      ATTEMPT,
    );
    // Sent in parallel: the fake may see them in either order.
    const sent = fake().requests.map((req) => JSON.stringify(req.body['instances']));
    expect(sent.sort()).toEqual(['[{"content":"a"}]', '[{"content":"b"}]']);
    expect(result.vectors).toEqual([
      [1, 0],
      [0, 1],
    ]);
  });

  it('lists the publisher models by id', async () => {
    fake().on({ api: 'vertex.models' }, { models: ['gemini-2.5-pro', 'gemini-2.5-flash'] });
    const models = await adapterFor(fake(), 'vertex').listModels!(ATTEMPT);
    expect(models).toEqual([{ id: 'gemini-2.5-pro' }, { id: 'gemini-2.5-flash' }]);
    const req = onlyRequest(fake());
    expect(req.path).toBe('/v1/publishers/google/models');
    expect(req.headers['authorization']).toBe(`Bearer ${ACCESS_TOKEN}`);
  });
});

describe('claude on vertex', () => {
  it('sends the Messages body to rawPredict, without model, with anthropic_version and the bearer token', async () => {
    fake().on(
      { api: 'anthropic.messages', model: 'claude-test@20250101' },
      { text: 'Hello.', usage: { input: 5, output: 2 } },
    );
    const result = await chat({ system: 'Be brief.', messages: [{ role: 'user', content: 'Hi' }] }, claude);
    const req = onlyRequest(fake());
    expect(req.path).toBe(`${MODELS}/anthropic/models/claude-test@20250101:rawPredict`);
    expect(req.headers['authorization']).toBe(`Bearer ${ACCESS_TOKEN}`);
    expect(req.headers['x-api-key']).toBeUndefined();
    expect(req.body['model']).toBeUndefined();
    // Vertex takes the API version from the body: the SDK moves its anthropic-version header there.
    expect(req.body['anthropic_version']).toMatch(/^(vertex-)?\d{4}-\d{2}-\d{2}$/);
    expect(req.headers['anthropic-version']).toBeUndefined();
    expect(req.body['system']).toBe('Be brief.');
    expect(result.choices).toEqual([{ text: 'Hello.', toolCalls: [], finishReason: 'stop' }]);
    expect([result.inputTokens, result.outputTokens]).toEqual([5, 2]);
  });

  it('streams from streamRawPredict, assembled, with the time to the first token', async () => {
    fake().on({ api: 'anthropic.messages' }, { text: 'Thirty days.', usage: { input: 5, output: 4 } });
    const result = await chat({ messages: [{ role: 'user', content: 'Returns?' }], stream: true }, claude);
    const req = onlyRequest(fake());
    expect(req.path).toBe(`${MODELS}/anthropic/models/claude-test@20250101:streamRawPredict`);
    expect(req.stream).toBe(true);
    expect(result.choices[0]?.text).toBe('Thirty days.');
    expect([result.outputTokens, result.timeToFirstTokenMs]).toEqual([4, 5]);
  });

  it('classes an overloaded 529 as retryable', async () => {
    fake().on({ api: 'anthropic.messages' }, { fault: { kind: 'status', status: 529 } });
    const error = await rejectionOf(chat({ messages: [{ role: 'user', content: 'Hi' }] }, claude));
    expect(error).toBeInstanceOf(ProviderServerError);
    expect((error as ProviderError).retryable).toBe(true);
  });
});
