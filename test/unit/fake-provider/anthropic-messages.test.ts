import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { startFakeProvider, type FakeProvider } from '../../fake-provider/index.js';
import { anthropicFor } from './anthropic-client.js';

let fake: FakeProvider;
beforeAll(async () => {
  fake = await startFakeProvider();
});
afterEach(() => fake.reset());
afterAll(() => fake.close());

const MODEL = 'claude-sonnet-4-6';
const ask = [{ role: 'user' as const, content: 'Return window?' }];
const usageOf = (input: number, output: number) => ({
  input_tokens: input,
  output_tokens: output,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 0,
  cache_creation: null,
  server_tool_use: null,
  service_tier: 'standard',
  inference_geo: null,
  output_tokens_details: null,
  speed: null,
});
const gradeTool = {
  name: 'grade',
  input_schema: { type: 'object' as const, properties: { score: { type: 'number' } } },
};

describe('anthropic messages', () => {
  test('a plain reply, with usage estimated from the text and the request recorded', async () => {
    fake.on({ api: 'anthropic.messages', model: MODEL }, { text: 'Thirty days.' });
    const res = await anthropicFor(fake).messages.create({
      model: MODEL,
      max_tokens: 256,
      system: 'Be brief.',
      messages: ask,
    });
    expect(res).toEqual({
      id: 'msg_fake_1',
      type: 'message',
      role: 'assistant',
      model: MODEL,
      content: [{ type: 'text', text: 'Thirty days.', citations: null }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      stop_details: null,
      // 'Be brief.\nReturn window?' is 24 characters: 6 tokens; 'Thirty days.' is 12: 3 tokens.
      usage: usageOf(6, 3),
      container: null,
      diagnostics: null,
    });
    expect(res._request_id).toBe('req_fake_1');
    const [req] = fake.requests;
    expect(req).toMatchObject({
      api: 'anthropic.messages',
      path: '/v1/messages',
      model: MODEL,
      stream: false,
    });
    // Headers are recorded as sent: this SDK version sends the key as a bearer token.
    expect(req?.headers['x-api-key'] ?? req?.headers['authorization']).toMatch(/^(Bearer )?sk-test$/);
    expect(req?.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  test('tool use blocks after the text', async () => {
    fake.on(
      {},
      { text: 'Let me check.', toolCalls: [{ name: 'lookup_policy', arguments: { topic: 'returns' } }] },
    );
    const res = await anthropicFor(fake).messages.create({ model: MODEL, max_tokens: 256, messages: ask });
    expect(res.content).toEqual([
      { type: 'text', text: 'Let me check.', citations: null },
      {
        type: 'tool_use',
        id: 'toolu_fake_1_0',
        name: 'lookup_policy',
        input: { topic: 'returns' },
        caller: { type: 'direct' },
      },
    ]);
    expect(res.stop_reason).toBe('tool_use');
  });

  test('json is the input of the forced tool (by name, or the only tool under "any")', async () => {
    fake.on({}, { json: { score: 0.9 } });
    const anthropic = anthropicFor(fake);
    const named = await anthropic.messages.create({
      model: MODEL,
      max_tokens: 256,
      messages: ask,
      tools: [gradeTool],
      tool_choice: { type: 'tool', name: 'grade' },
    });
    expect(named.content).toEqual([
      {
        type: 'tool_use',
        id: 'toolu_fake_1_0',
        name: 'grade',
        input: { score: 0.9 },
        caller: { type: 'direct' },
      },
    ]);
    expect(named.stop_reason).toBe('tool_use');
    const any = await anthropic.messages.create({
      model: MODEL,
      max_tokens: 256,
      messages: ask,
      tools: [gradeTool],
      tool_choice: { type: 'any' },
    });
    expect(
      any.content.map((block) => (block.type === 'tool_use' ? [block.name, block.input] : block.type)),
    ).toEqual([['grade', { score: 0.9 }]]);
  });

  test('json without a forced tool is a JSON text block (output_config format)', async () => {
    fake.on({}, { json: { score: 0.9 } });
    const res = await anthropicFor(fake).messages.create({
      model: MODEL,
      max_tokens: 256,
      messages: ask,
      output_config: { format: { type: 'json_schema', schema: { type: 'object' } } },
    });
    expect(res.content).toEqual([{ type: 'text', text: '{"score":0.9}', citations: null }]);
    expect(res.stop_reason).toBe('end_turn');
  });

  test('a refusal: stop_reason refusal with the explanation in stop_details', async () => {
    fake.on({}, { refusal: 'I can not help with that.' }, { times: 1 });
    fake.on({}, { text: 'Thirty', finishReason: 'length' });
    const anthropic = anthropicFor(fake);
    const refused = await anthropic.messages.create({ model: MODEL, max_tokens: 256, messages: ask });
    expect(refused.content).toEqual([]);
    expect(refused.stop_reason).toBe('refusal');
    expect(refused.stop_details).toEqual({
      type: 'refusal',
      category: null,
      explanation: 'I can not help with that.',
    });
    const cut = await anthropic.messages.create({ model: MODEL, max_tokens: 256, messages: ask });
    expect(cut.stop_reason).toBe('max_tokens');
  });
});

describe('anthropic messages, streamed', () => {
  test('the event sequence of a text reply, with usage in message_delta', async () => {
    fake.on({}, { text: 'Hi there.', usage: { input: 11, output: 4 } });
    const stream = await anthropicFor(fake).messages.create({
      model: MODEL,
      max_tokens: 256,
      messages: ask,
      stream: true,
    });
    const events = [];
    for await (const event of stream) events.push(event);
    expect(events.map((event) => event.type)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    const deltas = events.flatMap((event) =>
      event.type === 'content_block_delta' && event.delta.type === 'text_delta' ? [event.delta.text] : [],
    );
    expect(deltas).toEqual(['Hi', ' there', '.']);
    const start = events[0];
    expect(start?.type === 'message_start' ? start.message.usage : undefined).toEqual(usageOf(11, 1));
    const delta = events[6];
    expect(
      delta?.type === 'message_delta' ? [delta.delta.stop_reason, delta.usage.output_tokens] : [],
    ).toEqual(['end_turn', 4]);
    expect(fake.requests[0]?.stream).toBe(true);
  });

  test('tool input streams as input_json_delta and assembles in the SDK helper', async () => {
    const input = { topic: 'returns and refunds policy', region: 'EU' };
    fake.on({}, { text: 'Checking.', toolCalls: [{ name: 'lookup_policy', arguments: input }] });
    const stream = anthropicFor(fake).messages.stream({ model: MODEL, max_tokens: 256, messages: ask });
    const partials: string[] = [];
    stream.on('streamEvent', (event) => {
      if (event.type === 'content_block_delta' && event.delta.type === 'input_json_delta') {
        partials.push(event.delta.partial_json);
      }
    });
    const final = await stream.finalMessage();
    expect(partials).toEqual(['{"topic":"returns and re', 'funds policy","region":"', 'EU"}']);
    expect(final.content).toEqual([
      { type: 'text', text: 'Checking.', citations: null },
      { type: 'tool_use', id: 'toolu_fake_1_0', name: 'lookup_policy', input, caller: { type: 'direct' } },
    ]);
    expect(final.stop_reason).toBe('tool_use');
    // 'Checking.' (9) + 'lookup_policy' (13) + the input JSON (52): 74 characters, 19 tokens.
    expect(final.usage.output_tokens).toBe(19);
  });

  test('a streamed refusal keeps its stop details', async () => {
    fake.on({}, { refusal: 'I can not help with that.' });
    const final = await anthropicFor(fake)
      .messages.stream({ model: MODEL, max_tokens: 256, messages: ask })
      .finalMessage();
    expect(final.stop_reason).toBe('refusal');
    expect(final.stop_details).toEqual({
      type: 'refusal',
      category: null,
      explanation: 'I can not help with that.',
    });
  });
});
