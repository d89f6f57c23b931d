/**
 * Mapping of the Anthropic adapter, through the real `@anthropic-ai/sdk` against
 * the fake provider: what goes on the wire and what comes back, plain and streamed.
 */
import { describe, expect, it } from 'vitest';
import { ProviderBadRequestError } from '../../../src/providers/errors.js';
import type { ChatRequest } from '../../../src/providers/types.js';
import { ATTEMPT, adapterFor, onlyRequest, refOf, rejectionOf, useFakeProvider } from './adapters-fixture.js';

const fake = useFakeProvider();
const ref = refOf('anthropic', 'claude-test');

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

function chat(request: Omit<ChatRequest, 'model'>) {
  return adapterFor(fake(), 'anthropic', {}, steppingClock()).chat(
    ref,
    { model: ref.id, ...request },
    ATTEMPT,
  );
}

describe('anthropic chat request', () => {
  it('sends system, tool_use and merged tool_result turns, tools, tool choice and max_tokens; no sampling knobs', async () => {
    fake().on({ api: 'anthropic.messages' }, { text: 'ok' });
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
    expect(onlyRequest(fake()).body).toEqual({
      model: 'claude-test',
      max_tokens: 256,
      system: 'Be brief.',
      messages: [
        { role: 'user', content: 'Weather in Paris and Oslo?' },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Checking.' },
            { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } },
            { type: 'tool_use', id: 'call_2', name: 'get_weather', input: { city: 'Oslo' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'call_1', content: '21' },
            { type: 'tool_result', tool_use_id: 'call_2', content: '15' },
            { type: 'text', text: 'Thanks. Tomorrow?' },
          ],
        },
      ],
      tools: [
        {
          name: 'get_weather',
          description: 'Current weather in a city',
          input_schema: WEATHER_TOOL.parameters,
        },
      ],
      tool_choice: { type: 'tool', name: 'get_weather' },
      stream: false,
    });
  });

  it('sends max_tokens 4096 when the request sets none', async () => {
    fake().on({ api: 'anthropic.messages' }, { text: 'ok' });
    await chat({ messages: [{ role: 'user', content: 'Hi' }] });
    expect(onlyRequest(fake()).body['max_tokens']).toBe(4096);
  });

  it.each([
    ['auto', { type: 'auto' }],
    ['required', { type: 'any' }],
    ['none', { type: 'none' }],
  ] as const)('sends toolChoice %s as %j', async (choice, wire) => {
    fake().on({ api: 'anthropic.messages' }, { text: 'ok' });
    await chat({ messages: [{ role: 'user', content: 'Hi' }], tools: [WEATHER_TOOL], toolChoice: choice });
    expect(onlyRequest(fake()).body['tool_choice']).toEqual(wire);
  });

  it('sends responseSchema as a forced tool next to the other tools', async () => {
    fake().on({ api: 'anthropic.messages' }, { json: { score: 0.9 } });
    await chat({
      messages: [{ role: 'user', content: 'Grade' }],
      tools: [WEATHER_TOOL],
      responseSchema: GRADE_SCHEMA,
    });
    const body = onlyRequest(fake()).body;
    expect(body['tools']).toEqual([
      {
        name: 'get_weather',
        description: 'Current weather in a city',
        input_schema: WEATHER_TOOL.parameters,
      },
      { name: 'grade', input_schema: GRADE_SCHEMA.schema },
    ]);
    expect(body['tool_choice']).toEqual({ type: 'tool', name: 'grade' });
  });
});

describe.each([false, true])('anthropic chat reply (stream: %s)', (stream) => {
  it('returns the text, usage and request id', async () => {
    fake().on(
      { api: 'anthropic.messages' },
      { text: 'Hello from a fake Claude.', usage: { input: 11, output: 7 } },
    );
    const result = await chat({ messages: [{ role: 'user', content: 'Hi' }], stream });
    const request = onlyRequest(fake());
    expect(request.body['stream']).toBe(stream);
    expect(result).toEqual({
      model: 'claude-test',
      choices: [{ text: 'Hello from a fake Claude.', toolCalls: [], finishReason: 'stop' }],
      inputTokens: 11,
      outputTokens: 7,
      requestId: request.id,
      timeToFirstTokenMs: stream ? 5 : undefined,
    });
  });

  it('returns tool_use blocks as tool calls', async () => {
    const args = { city: 'Reykjavik', note: 'long enough to be streamed in more than one JSON delta' };
    fake().on(
      { api: 'anthropic.messages' },
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
          { id: 'toolu_fake_1_0', name: 'get_weather', arguments: args, rawArguments: JSON.stringify(args) },
        ],
      },
    ]);
  });

  it('returns the forced structured-output tool as text and parsed, not as a tool call', async () => {
    const json = { score: 0.75, reasons: ['states the window', 'no guarantee'] };
    fake().on(
      { api: 'anthropic.messages' },
      { json, toolCalls: [{ name: 'get_weather', arguments: { city: 'Rome' } }] },
    );
    const result = await chat({
      messages: [{ role: 'user', content: 'Grade' }],
      tools: [WEATHER_TOOL],
      responseSchema: GRADE_SCHEMA,
      stream,
    });
    expect(result.choices).toEqual([
      {
        text: JSON.stringify(json),
        parsed: json,
        finishReason: 'tool_calls',
        toolCalls: [
          {
            id: 'toolu_fake_1_0',
            name: 'get_weather',
            arguments: { city: 'Rome' },
            rawArguments: '{"city":"Rome"}',
          },
        ],
      },
    ]);
  });

  it('reports finish reason stop when the only tool call was the forced structured output', async () => {
    fake().on({ api: 'anthropic.messages' }, { json: { score: 1 } });
    const result = await chat({
      messages: [{ role: 'user', content: 'Grade' }],
      responseSchema: GRADE_SCHEMA,
      stream,
    });
    expect(result.choices).toEqual([
      { text: '{"score":1}', parsed: { score: 1 }, toolCalls: [], finishReason: 'stop' },
    ]);
  });

  it('returns a refusal as a choice, with the explanation', async () => {
    fake().on({ api: 'anthropic.messages' }, { refusal: 'This request falls under a restricted category.' });
    const result = await chat({ messages: [{ role: 'user', content: 'Something bad' }], stream });
    expect(result.choices).toEqual([
      {
        text: '',
        toolCalls: [],
        finishReason: 'refusal',
        refusal: 'This request falls under a restricted category.',
      },
    ]);
  });

  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'],
    ['tool_use', 'tool_calls'],
    ['pause_turn', 'other'],
  ] as const)('maps stop_reason %s to %s', async (wire, neutral) => {
    fake().on({ api: 'anthropic.messages' }, { text: 'x', finishReason: wire });
    const result = await chat({ messages: [{ role: 'user', content: 'Hi' }], stream });
    expect(result.choices[0]?.finishReason).toBe(neutral);
  });

  it('maps stop_reason refusal with text to a refusal quoting the text', async () => {
    fake().on({ api: 'anthropic.messages' }, { text: 'I cannot do that.', finishReason: 'refusal' });
    const result = await chat({ messages: [{ role: 'user', content: 'Hi' }], stream });
    expect(result.choices).toEqual([
      { text: 'I cannot do that.', toolCalls: [], finishReason: 'refusal', refusal: 'I cannot do that.' },
    ]);
  });
});

describe('anthropic embeddings', () => {
  it('throws ProviderBadRequestError: Anthropic has no embeddings API', async () => {
    const adapter = adapterFor(fake(), 'anthropic');
    const error = await rejectionOf(adapter.embed(ref, { model: ref.id, input: ['a'] }, ATTEMPT));
    expect(error).toBeInstanceOf(ProviderBadRequestError);
    expect(error).toMatchObject({
      code: 'E_PROVIDER_BAD_REQUEST',
      message:
        'anthropic has no embeddings API: set `embeddings:` in rubric.yaml to an openai or openai-compatible model',
      provider: 'anthropic',
      model: 'claude-test',
    });
    expect(fake().requests).toHaveLength(0);
  });
});
