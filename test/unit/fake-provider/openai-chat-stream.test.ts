import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { startFakeProvider, type FakeProvider } from '../../fake-provider/index.js';
import { openaiFor } from './openai-clients.js';

let fake: FakeProvider;
beforeAll(async () => {
  fake = await startFakeProvider();
});
afterEach(() => fake.reset());
afterAll(() => fake.close());

const ask = [{ role: 'user' as const, content: 'Return window?' }];
const usageOf = (input: number, output: number) => ({
  prompt_tokens: input,
  completion_tokens: output,
  total_tokens: input + output,
  prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
  completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
});

describe('openai chat completions, streamed', () => {
  test('text pieces, a finish chunk and a usage chunk', async () => {
    fake.on({}, { text: 'Hi there, friend.', usage: { input: 11, output: 4 } });
    const stream = await openaiFor(fake).chat.completions.create({
      model: 'gpt-5',
      messages: ask,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? null)).toEqual([
      '',
      'Hi',
      ' there',
      ',',
      ' friend',
      '.',
      null,
      null,
    ]);
    expect(chunks.map((chunk) => chunk.choices[0]?.finish_reason ?? null)).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
      'stop',
      null,
    ]);
    expect(chunks.map((chunk) => chunk.usage ?? null)).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      usageOf(11, 4),
    ]);
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    expect(new Set(chunks.map((chunk) => chunk.id))).toEqual(new Set(['chatcmpl-fake-1']));
    expect(fake.requests[0]?.stream).toBe(true);
  });

  test('tool calls assemble through the SDK stream helper', async () => {
    const args = { topic: 'returns and refunds policy', region: 'EU' };
    fake.on({}, { toolCalls: [{ name: 'lookup_policy', arguments: args }] });
    const stream = openaiFor(fake).chat.completions.stream({
      model: 'gpt-5',
      messages: ask,
      tools: [{ type: 'function', function: { name: 'lookup_policy', parameters: { type: 'object' } } }],
    });
    const pieces: string[] = [];
    stream.on('chunk', (chunk) => {
      const piece = chunk.choices[0]?.delta.tool_calls?.[0]?.function?.arguments;
      if (piece) pieces.push(piece);
    });
    const final = await stream.finalChatCompletion();
    expect(pieces).toEqual(['{"topic":"returns and re', 'funds policy","region":"', 'EU"}']);
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
    expect(final.choices[0]?.message.tool_calls).toEqual([
      {
        id: 'call_fake_1_0_0',
        type: 'function',
        function: { name: 'lookup_policy', arguments: JSON.stringify(args) },
      },
    ]);
  });

  test('a streamed refusal and streamed logprobs', async () => {
    fake.on({}, { refusal: 'I can not help with that.' }, { times: 1 });
    fake.on({}, { text: 'Yes no' });
    const openai = openaiFor(fake);
    const refused = await openai.chat.completions
      .stream({ model: 'gpt-5', messages: ask })
      .finalChatCompletion();
    expect(refused.choices[0]?.message.refusal).toBe('I can not help with that.');
    expect(refused.choices[0]?.message.content).toBeNull();
    const withLogprobs = await openai.chat.completions
      .stream({ model: 'gpt-5', messages: ask, logprobs: true })
      .finalChatCompletion();
    expect(withLogprobs.choices[0]?.logprobs?.content?.map((entry) => entry.token)).toEqual(['Yes', ' no']);
  });
});
