/**
 * Chat mapping of the OpenAI-family adapters (openai, azure, openai-compatible),
 * through the real `openai` SDK against the fake provider: what goes on the wire
 * and what comes back.
 */
import { describe, expect, it } from 'vitest';
import type { ChatRequest, SupportedProvider } from '../../../src/providers/types.js';
import { ATTEMPT, adapterFor, onlyRequest, refOf, useFakeProvider } from './adapters-fixture.js';

const fake = useFakeProvider();

const WEATHER_TOOL = {
  name: 'get_weather',
  description: 'Current weather in a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

const GRADE_SCHEMA = {
  name: 'grade',
  schema: {
    type: 'object',
    properties: { score: { type: 'number' } },
    required: ['score'],
    additionalProperties: false,
  },
};

describe.each<SupportedProvider>(['openai', 'azure', 'openai-compatible'])('%s chat', (provider) => {
  const ref = refOf(provider, 'gpt-test');
  const chat = (request: Omit<ChatRequest, 'model'>) =>
    adapterFor(fake(), provider).chat(ref, { model: ref.id, ...request }, ATTEMPT);

  it('sends system, messages with tool calls and results, tools, choice, temperature, max tokens, n, logprobs', async () => {
    fake().on({ api: 'openai.chat' }, { text: 'It is 21 degrees.' });
    await chat({
      system: 'Be brief.',
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        {
          role: 'assistant',
          content: '',
          toolCalls: [
            {
              id: 'call_1',
              name: 'get_weather',
              arguments: { city: 'Paris' },
              rawArguments: '{"city":"Paris"}',
            },
          ],
        },
        { role: 'tool', content: '{"temp":21}', toolCallId: 'call_1' },
        { role: 'assistant', content: 'It is 21 degrees.' },
        { role: 'user', content: 'And tomorrow?' },
      ],
      tools: [WEATHER_TOOL],
      toolChoice: { name: 'get_weather' },
      temperature: 0,
      maxTokens: 256,
      n: 2,
      logprobs: { top: 2 },
    });
    const maxTokens = provider === 'openai-compatible' ? { max_tokens: 256 } : { max_completion_tokens: 256 };
    expect(onlyRequest(fake()).body).toEqual({
      model: 'gpt-test',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Weather in Paris?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
            },
          ],
        },
        { role: 'tool', content: '{"temp":21}', tool_call_id: 'call_1' },
        { role: 'assistant', content: 'It is 21 degrees.' },
        { role: 'user', content: 'And tomorrow?' },
      ],
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            description: 'Current weather in a city',
            parameters: WEATHER_TOOL.parameters,
          },
        },
      ],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      temperature: 0,
      ...maxTokens,
      n: 2,
      logprobs: true,
      top_logprobs: 2,
      stream: false,
    });
  });

  it.each([
    ['auto', 'auto'],
    ['required', 'required'],
    ['none', 'none'],
  ] as const)('sends toolChoice %s as tool_choice %s', async (choice, wire) => {
    fake().on({ api: 'openai.chat' }, { text: 'ok' });
    await chat({ messages: [{ role: 'user', content: 'Hi' }], tools: [WEATHER_TOOL], toolChoice: choice });
    expect(onlyRequest(fake()).body['tool_choice']).toBe(wire);
  });

  it('returns the text, usage (reasoning tokens too), request id and finish reason', async () => {
    fake().on(
      { api: 'openai.chat' },
      { text: 'Hello there.', usage: { input: 12, output: 3, reasoning: 2 } },
    );
    const result = await chat({ messages: [{ role: 'user', content: 'Hi' }] });
    expect(result).toEqual({
      model: 'gpt-test',
      choices: [{ text: 'Hello there.', toolCalls: [], finishReason: 'stop' }],
      inputTokens: 12,
      outputTokens: 3,
      reasoningTokens: 2,
      requestId: onlyRequest(fake()).id,
    });
  });

  it('returns tool calls with parsed arguments, and undefined arguments when they are not JSON', async () => {
    fake().on(
      { api: 'openai.chat' },
      {
        toolCalls: [
          { name: 'get_weather', arguments: { city: 'Oslo' } },
          { name: 'get_weather', arguments: '{"city": "Ber' },
        ],
      },
    );
    const result = await chat({ messages: [{ role: 'user', content: 'Weather?' }], tools: [WEATHER_TOOL] });
    expect(result.choices).toEqual([
      {
        text: '',
        finishReason: 'tool_calls',
        toolCalls: [
          {
            id: 'call_fake_1_0_0',
            name: 'get_weather',
            arguments: { city: 'Oslo' },
            rawArguments: '{"city":"Oslo"}',
          },
          { id: 'call_fake_1_0_1', name: 'get_weather', arguments: undefined, rawArguments: '{"city": "Ber' },
        ],
      },
    ]);
  });

  it('sends responseSchema as a strict json_schema response_format and parses the reply', async () => {
    fake().on({ api: 'openai.chat' }, { json: { score: 0.9 } });
    const result = await chat({
      messages: [{ role: 'user', content: 'Grade it' }],
      responseSchema: GRADE_SCHEMA,
    });
    expect(onlyRequest(fake()).body['response_format']).toEqual({
      type: 'json_schema',
      json_schema: { name: 'grade', schema: GRADE_SCHEMA.schema, strict: true },
    });
    expect(result.choices).toEqual([
      { text: '{"score":0.9}', parsed: { score: 0.9 }, toolCalls: [], finishReason: 'stop' },
    ]);
  });

  it('returns parsed undefined, not an error, when a structured reply is not JSON', async () => {
    fake().on({ api: 'openai.chat' }, { text: 'Sure! {"score": 0.9' });
    const result = await chat({
      messages: [{ role: 'user', content: 'Grade it' }],
      responseSchema: GRADE_SCHEMA,
    });
    expect(result.choices).toEqual([
      { text: 'Sure! {"score": 0.9', parsed: undefined, toolCalls: [], finishReason: 'stop' },
    ]);
    expect('parsed' in (result.choices[0] ?? {})).toBe(true);
  });

  it('returns n choices in order', async () => {
    fake().on(
      { api: 'openai.chat' },
      { choices: [{ text: 'first' }, { text: 'second', finishReason: 'length' }] },
    );
    const result = await chat({ messages: [{ role: 'user', content: 'Hi' }], n: 2 });
    expect(result.choices).toEqual([
      { text: 'first', toolCalls: [], finishReason: 'stop' },
      { text: 'second', toolCalls: [], finishReason: 'length' },
    ]);
  });

  it('maps token logprobs with their top alternatives', async () => {
    const logprobs = [
      {
        token: 'Yes',
        logprob: -0.1,
        top: [
          { token: 'Yes', logprob: -0.1 },
          { token: 'No', logprob: -2.4 },
        ],
      },
      {
        token: '.',
        logprob: -0.01,
        top: [
          { token: '.', logprob: -0.01 },
          { token: '!', logprob: -4.6 },
        ],
      },
    ];
    fake().on({ api: 'openai.chat' }, { text: 'Yes.', logprobs });
    const result = await chat({ messages: [{ role: 'user', content: 'Is it?' }], logprobs: { top: 2 } });
    expect(result.choices[0]?.logprobs).toEqual(logprobs);
  });

  it('returns a refusal as a choice with finishReason refusal', async () => {
    fake().on({ api: 'openai.chat' }, { refusal: 'I cannot help with that.' });
    const result = await chat({ messages: [{ role: 'user', content: 'Something bad' }] });
    expect(result.choices).toEqual([
      { text: '', toolCalls: [], finishReason: 'refusal', refusal: 'I cannot help with that.' },
    ]);
  });

  it.each([
    ['stop', 'stop'],
    ['length', 'length'],
    ['tool_calls', 'tool_calls'],
    ['content_filter', 'content_filter'],
    ['function_call', 'tool_calls'],
    ['something_new', 'other'],
  ] as const)('maps finish_reason %s to %s', async (wire, neutral) => {
    fake().on({ api: 'openai.chat' }, { text: 'x', finishReason: wire });
    const result = await chat({ messages: [{ role: 'user', content: 'Hi' }] });
    expect(result.choices[0]?.finishReason).toBe(neutral);
  });
});
