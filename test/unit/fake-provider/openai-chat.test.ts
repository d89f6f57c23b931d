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

describe('openai chat completions', () => {
  test('a plain reply, with usage estimated from the text and the request recorded', async () => {
    fake.on({ api: 'openai.chat', model: 'gpt-5' }, { text: 'Thirty days.' });
    const res = await openaiFor(fake).chat.completions.create({
      model: 'gpt-5',
      messages: [{ role: 'system', content: 'Be brief.' }, ...ask],
    });
    expect(res).toEqual({
      id: 'chatcmpl-fake-1',
      object: 'chat.completion',
      created: expect.any(Number),
      model: 'gpt-5',
      system_fingerprint: 'fp_fake',
      service_tier: 'default',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Thirty days.', refusal: null, annotations: [] },
          finish_reason: 'stop',
          logprobs: null,
        },
      ],
      // 'Be brief.\nReturn window?' is 24 characters: 6 tokens; 'Thirty days.' is 12: 3 tokens.
      usage: usageOf(6, 3),
    });
    expect(res._request_id).toBe('req_fake_1');
    const [req] = fake.requests;
    expect(req).toMatchObject({
      id: 'req_fake_1',
      api: 'openai.chat',
      path: '/v1/chat/completions',
      query: {},
      model: 'gpt-5',
      stream: false,
      body: { model: 'gpt-5', messages: [{ role: 'system', content: 'Be brief.' }, ...ask] },
    });
    expect(req?.headers['authorization']).toBe('Bearer sk-test');
  });

  test('n choices: scripted one by one, or the same reply repeated', async () => {
    fake.on(
      { where: (req) => req.body['temperature'] === 1 },
      { choices: [{ text: 'a' }, { text: 'bb' }, { text: 'c' }] },
    );
    fake.on({}, { text: 'same' });
    const openai = openaiFor(fake);
    const three = await openai.chat.completions.create({
      model: 'gpt-5',
      messages: ask,
      n: 3,
      temperature: 1,
    });
    expect(three.choices.map((choice) => [choice.index, choice.message.content])).toEqual([
      [0, 'a'],
      [1, 'bb'],
      [2, 'c'],
    ]);
    expect(three.usage?.completion_tokens).toBe(3);
    const two = await openai.chat.completions.create({ model: 'gpt-5', messages: ask, n: 2 });
    expect(two.choices.map((choice) => choice.message.content)).toEqual(['same', 'same']);
  });

  test('tool calls, with string arguments sent verbatim', async () => {
    fake.on(
      {},
      {
        toolCalls: [
          { name: 'lookup_policy', arguments: { topic: 'returns' } },
          { name: 'get_order', arguments: '{"id": 7' },
        ],
      },
    );
    const res = await openaiFor(fake).chat.completions.create({
      model: 'gpt-5',
      messages: ask,
      tools: [{ type: 'function', function: { name: 'lookup_policy', parameters: { type: 'object' } } }],
    });
    expect(res.choices[0]).toEqual({
      index: 0,
      message: {
        role: 'assistant',
        content: null,
        refusal: null,
        annotations: [],
        tool_calls: [
          {
            id: 'call_fake_1_0_0',
            type: 'function',
            function: { name: 'lookup_policy', arguments: '{"topic":"returns"}' },
          },
          { id: 'call_fake_1_0_1', type: 'function', function: { name: 'get_order', arguments: '{"id": 7' } },
        ],
      },
      finish_reason: 'tool_calls',
      logprobs: null,
    });
  });

  test('json on a forced function becomes its arguments, finishing with stop as the real API does', async () => {
    fake.on({}, { json: { score: 0.9 } });
    const res = await openaiFor(fake).chat.completions.create({
      model: 'gpt-5',
      messages: ask,
      tools: [{ type: 'function', function: { name: 'grade', parameters: { type: 'object' } } }],
      tool_choice: { type: 'function', function: { name: 'grade' } },
    });
    expect(res.choices[0]?.message.content).toBeNull();
    expect(res.choices[0]?.message.tool_calls).toEqual([
      { id: 'call_fake_1_0_0', type: 'function', function: { name: 'grade', arguments: '{"score":0.9}' } },
    ]);
    expect(res.choices[0]?.finish_reason).toBe('stop');
  });

  test('json_schema structured output is the message content, parsed by the SDK', async () => {
    const verdict = { verdict: 'pass', reasons: ['states the window'] };
    fake.on({}, { json: verdict });
    const res = await openaiFor(fake).chat.completions.parse({
      model: 'gpt-5',
      messages: ask,
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'verdict', strict: true, schema: { type: 'object' } },
      },
    });
    expect(res.choices[0]?.message.content).toBe('{"verdict":"pass","reasons":["states the window"]}');
    expect(res.choices[0]?.message.parsed).toEqual(verdict);
  });

  test('scripted logprobs, only when the request asks for them', async () => {
    const logprobs = [
      {
        token: 'Yes',
        logprob: -0.1,
        top: [
          { token: 'Yes', logprob: -0.1 },
          { token: 'No', logprob: -2.4 },
        ],
      },
    ];
    fake.on({}, { text: 'Yes', logprobs });
    const openai = openaiFor(fake);
    const asked = await openai.chat.completions.create({
      model: 'gpt-5',
      messages: ask,
      logprobs: true,
      top_logprobs: 2,
    });
    expect(asked.choices[0]?.logprobs).toEqual({
      content: [
        {
          token: 'Yes',
          logprob: -0.1,
          bytes: [89, 101, 115],
          top_logprobs: [
            { token: 'Yes', logprob: -0.1, bytes: [89, 101, 115] },
            { token: 'No', logprob: -2.4, bytes: [78, 111] },
          ],
        },
      ],
      refusal: null,
    });
    const unasked = await openai.chat.completions.create({ model: 'gpt-5', messages: ask });
    expect(unasked.choices[0]?.logprobs).toBeNull();
  });

  test('automatic logprobs follow the text tokens with a valid top distribution', async () => {
    fake.on({}, { text: 'Hi, you.' });
    const res = await openaiFor(fake).chat.completions.create({
      model: 'gpt-5',
      messages: ask,
      logprobs: true,
      top_logprobs: 3,
    });
    const content = res.choices[0]?.logprobs?.content ?? [];
    expect(content.map((entry) => entry.token)).toEqual(['Hi', ',', ' you', '.']);
    for (const entry of content) {
      expect(entry.top_logprobs.map((alt) => alt.token)).toEqual([
        entry.token,
        `${entry.token}~1`,
        `${entry.token}~2`,
      ]);
      expect(entry.top_logprobs[0]?.logprob).toBe(entry.logprob);
      expect(entry.logprob).toBeGreaterThanOrEqual(Math.log(0.6));
      expect(entry.logprob).toBeLessThan(0);
      const mass = entry.top_logprobs.reduce((sum, alt) => sum + Math.exp(alt.logprob), 0);
      expect(mass).toBeLessThan(1);
    }
  });

  test('a refusal, and finish reasons in either vendor spelling', async () => {
    fake.on({}, { refusal: 'I can not help with that.' }, { times: 1 });
    fake.on({}, { text: 'Thirty', finishReason: 'max_tokens' });
    const openai = openaiFor(fake);
    const refused = await openai.chat.completions.create({ model: 'gpt-5', messages: ask });
    expect(refused.choices[0]?.message).toEqual({
      role: 'assistant',
      content: null,
      refusal: 'I can not help with that.',
      annotations: [],
    });
    const cut = await openai.chat.completions.create({ model: 'gpt-5', messages: ask });
    expect(cut.choices[0]?.finish_reason).toBe('length');
  });
});
