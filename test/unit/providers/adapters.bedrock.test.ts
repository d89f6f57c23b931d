/**
 * The Bedrock adapter through the real `@aws-sdk/client-bedrock-runtime` against the fake provider:
 * what goes on the wire (Converse bodies, SigV4 headers) and what comes back, plain and streamed over
 * the AWS event stream. Faults and errors: adapters.bedrock-faults.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { createAdapter } from '../../../src/providers/adapters.js';
import { ProviderResponseError } from '../../../src/providers/errors.js';
import { ATTEMPT, envFor, onlyRequest, rejectionOf, useFakeProvider } from './adapters-fixture.js';
import { CLAUDE, GRADE_SCHEMA, MISTRAL, WEATHER_TOOL, bedrockChat, ref } from './bedrock-fixture.js';

const fake = useFakeProvider();
const chat = (request: Parameters<typeof bedrockChat>[1], model?: string) =>
  bedrockChat(fake(), request, model);

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

  it('sends temperature to a model that takes it (Mistral), and no maxTokens unless asked: its own default', async () => {
    fake().on({ api: 'bedrock.converse' }, { text: 'ok' });
    await chat({ messages: [{ role: 'user', content: 'Hi' }], temperature: 0.3 }, MISTRAL);
    expect(onlyRequest(fake()).body['inferenceConfig']).toEqual({ temperature: 0.3 });
  });

  it('sends no inferenceConfig at all to a non-Anthropic model given neither', async () => {
    fake().on({ api: 'bedrock.converse' }, { text: 'ok' });
    await chat({ messages: [{ role: 'user', content: 'Hi' }] }, 'meta.llama3-3-70b-instruct-v1:0');
    expect(onlyRequest(fake()).body).toEqual({ messages: [{ role: 'user', content: [{ text: 'Hi' }] }] });
  });

  it('sends maxTokens 4096 and no temperature to an Anthropic model (an ARN of a profile counts)', async () => {
    fake().on({ api: 'bedrock.converse' }, { text: 'ok' });
    const arn =
      'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-6-v1:0';
    await chat({ messages: [{ role: 'user', content: 'Hi' }], temperature: 0.3 }, arn);
    expect(onlyRequest(fake()).body['inferenceConfig']).toEqual({ maxTokens: 4096 });
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
