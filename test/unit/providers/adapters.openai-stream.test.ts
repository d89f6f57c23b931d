/**
 * Streaming and embeddings of the OpenAI-family adapters (openai, azure,
 * openai-compatible), through the real `openai` SDK against the fake provider.
 */
import { describe, expect, it } from 'vitest';
import type { ChatRequest, SupportedProvider } from '../../../src/providers/types.js';
import { hashEmbedding } from '../../fake-provider/index.js';
import { ATTEMPT, adapterFor, onlyRequest, refOf, useFakeProvider } from './adapters-fixture.js';

const fake = useFakeProvider();

/** A clock that advances 5 ms per reading: request start at 0, first token at 5. */
function steppingClock(): () => number {
  let now = -5;
  return () => (now += 5);
}

describe.each<SupportedProvider>(['openai', 'azure', 'openai-compatible'])('%s streaming', (provider) => {
  const ref = refOf(provider, 'gpt-test');
  const chat = (request: Omit<ChatRequest, 'model'>) =>
    adapterFor(fake(), provider, {}, steppingClock()).chat(ref, { model: ref.id, ...request }, ATTEMPT);

  it('asks for a stream with usage and assembles text, usage and time to first token', async () => {
    const text = 'Streaming replies arrive in many small pieces, then a finish reason.';
    fake().on({ api: 'openai.chat' }, { text, usage: { input: 20, output: 14 } });
    const result = await chat({ messages: [{ role: 'user', content: 'Hi' }], stream: true });
    const request = onlyRequest(fake());
    expect(request.body['stream']).toBe(true);
    expect(request.body['stream_options']).toEqual({ include_usage: true });
    expect(result).toEqual({
      model: 'gpt-test',
      choices: [{ text, toolCalls: [], finishReason: 'stop' }],
      inputTokens: 20,
      outputTokens: 14,
      reasoningTokens: 0,
      requestId: request.id,
      timeToFirstTokenMs: 5,
    });
  });

  it('concatenates tool call argument deltas per call', async () => {
    const args = { city: 'Reykjavik', units: 'metric', days: 3, note: 'long enough to span several deltas' };
    fake().on(
      { api: 'openai.chat' },
      {
        toolCalls: [
          { name: 'get_weather', arguments: args },
          { name: 'get_time', arguments: {} },
        ],
      },
    );
    const result = await chat({ messages: [{ role: 'user', content: 'Weather?' }], stream: true });
    expect(result.choices).toEqual([
      {
        text: '',
        finishReason: 'tool_calls',
        toolCalls: [
          { id: 'call_fake_1_0_0', name: 'get_weather', arguments: args, rawArguments: JSON.stringify(args) },
          { id: 'call_fake_1_0_1', name: 'get_time', arguments: {}, rawArguments: '{}' },
        ],
      },
    ]);
  });

  it('assembles n streamed choices, structured output, logprobs and refusals', async () => {
    fake().on(
      { api: 'openai.chat' },
      {
        choices: [{ json: { score: 1 } }, { refusal: 'I will not grade this.' }],
        usage: { input: 5, output: 9 },
      },
    );
    const result = await chat({
      messages: [{ role: 'user', content: 'Grade' }],
      n: 2,
      responseSchema: { name: 'grade', schema: { type: 'object' } },
      stream: true,
    });
    expect(result.choices).toEqual([
      { text: '{"score":1}', parsed: { score: 1 }, toolCalls: [], finishReason: 'stop' },
      {
        text: '',
        parsed: undefined,
        toolCalls: [],
        finishReason: 'refusal',
        refusal: 'I will not grade this.',
      },
    ]);
    expect([result.inputTokens, result.outputTokens]).toEqual([5, 9]);
  });

  it('appends streamed logprobs in order', async () => {
    const logprobs = [
      { token: 'Yes', logprob: -0.25, top: [{ token: 'Yes', logprob: -0.25 }] },
      { token: ' indeed', logprob: -0.5, top: [{ token: ' indeed', logprob: -0.5 }] },
    ];
    fake().on({ api: 'openai.chat' }, { text: 'Yes indeed', logprobs });
    const result = await chat({
      messages: [{ role: 'user', content: 'Q' }],
      logprobs: { top: 1 },
      stream: true,
    });
    expect(result.choices[0]?.logprobs).toEqual(logprobs);
  });
});

describe.each<SupportedProvider>(['openai', 'azure', 'openai-compatible'])('%s embeddings', (provider) => {
  const ref = refOf(provider, 'embed-test');

  it('sends every input in one float request and returns vectors in input order', async () => {
    fake().on({ api: 'openai.embeddings' }, { embeddings: (text) => hashEmbedding(text, 8) });
    const input = ['first text', 'second text', 'third text'];
    const result = await adapterFor(fake(), provider).embed(ref, { model: ref.id, input }, ATTEMPT);
    const request = onlyRequest(fake());
    expect(request.body).toEqual({ model: 'embed-test', input, encoding_format: 'float' });
    expect(result.vectors).toEqual(input.map((text) => hashEmbedding(text, 8)));
    expect(result.model).toBe('embed-test');
    expect(result.requestId).toBe(request.id);
    // The fake counts ceil(length / 4) tokens per input: 3 + 3 + 3.
    expect(result.inputTokens).toBe(9);
  });

  it('returns scripted vectors exactly and sends nothing for an empty input', async () => {
    fake().on(
      { api: 'openai.embeddings' },
      {
        embeddings: [
          [0.5, -0.25],
          [1, 0],
        ],
      },
    );
    const adapter = adapterFor(fake(), provider);
    const result = await adapter.embed(ref, { model: ref.id, input: ['a', 'b'] }, ATTEMPT);
    expect(result.vectors).toEqual([
      [0.5, -0.25],
      [1, 0],
    ]);
    expect(await adapter.embed(ref, { model: ref.id, input: [] }, ATTEMPT)).toEqual({
      model: 'embed-test',
      vectors: [],
      inputTokens: 0,
    });
    expect(fake().requests).toHaveLength(1);
  });
});
