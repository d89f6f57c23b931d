/**
 * The demo server through the official SDKs, each wire form the scorers and agents use: OpenAI chat
 * (plain, streamed, json_schema with n), embeddings (base64 and float), Anthropic messages (text,
 * streamed, forced tool).
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI, { AzureOpenAI } from 'openai';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startDemoServer, type DemoServer } from '../../../src/demo/server.js';
import { buildVerdictsRequest } from '../../../src/scorers/faithfulness-prompt.js';
import { fence } from '../../../src/scorers/fence.js';
import { judgeResponseSchema } from '../../../src/scorers/judge-prompt.js';

const CASES = [
  {
    input: 'Can I return shoes after 40 days?',
    reference: 'No: returns are accepted within 30 days of delivery.',
    context: ['Returns are accepted within 30 days of delivery, with the receipt.'],
  },
  { input: 'Where is my parcel?', context: ['Parcels ship in 2 days.', 'Tracking is by email.'] },
  { input: 'Hello?' },
];

let demo: DemoServer;
let openai: OpenAI;
let anthropic: Anthropic;
beforeAll(async () => {
  demo = await startDemoServer(CASES);
  openai = new OpenAI({ baseURL: `${demo.url}/v1`, apiKey: 'qualify-demo', maxRetries: 0 });
  anthropic = new Anthropic({ baseURL: demo.url, apiKey: 'qualify-demo', maxRetries: 0 });
});
afterAll(async () => {
  await demo.close();
});

const user = (content: string) => [{ role: 'user' as const, content }];

describe('the demo agent: the reference, else the context, else an echo', () => {
  test('OpenAI chat, plain and streamed, inside an agent prompt of its own', async () => {
    const plain = await openai.chat.completions.create({
      model: 'gpt-5',
      messages: user('Customer asks: Can I return shoes after 40 days? Be brief.'),
    });
    expect([plain.choices[0]!.message.content, plain.usage?.total_tokens]).toEqual([
      'No: returns are accepted within 30 days of delivery.',
      0,
    ]);
    const stream = await openai.chat.completions.create({
      model: 'gpt-5',
      messages: user('Where is my parcel?'),
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('Parcels ship in 2 days. Tracking is by email.');
  });

  test('Azure OpenAI: the deployment path answers the same way', async () => {
    const azure = new AzureOpenAI({
      endpoint: demo.url,
      apiKey: 'qualify-demo',
      apiVersion: '2024-10-21',
      deployment: 'gpt-5-prod',
      maxRetries: 0,
    });
    const reply = await azure.chat.completions.create({ model: '', messages: user('Hello?') });
    expect([reply.model, reply.choices[0]!.message.content]).toEqual([
      'gpt-5-prod',
      'Demo answer to "Hello?": the demo server repeats the question, it does not answer it.',
    ]);
  });

  test('Anthropic messages, plain and streamed', async () => {
    const plain = await anthropic.messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 100,
      messages: user('Hello?'),
    });
    expect(plain.content).toEqual([
      {
        type: 'text',
        text: 'Demo answer to "Hello?": the demo server repeats the question, it does not answer it.',
      },
    ]);
    const streamed = await anthropic.messages
      .stream({ model: 'claude-sonnet-4-6', max_tokens: 100, messages: user('Something else') })
      .finalMessage();
    expect([streamed.content[0], streamed.stop_reason]).toEqual([
      {
        type: 'text',
        text: 'Demo answer to "Something else": the demo server repeats the question, it does not answer it.',
        citations: undefined,
      },
      'end_turn',
    ]);
  });
});

describe('the scorers: the structured output they ask for', () => {
  test('the judge by json_schema with n samples: every criterion 9, in the schema ids', async () => {
    const reply = await openai.chat.completions.create({
      model: 'gpt-5',
      n: 2,
      messages: user(`## The assistant's answer\n${fence('agent_output', 'No.')}`),
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'criteria_scores',
          schema: judgeResponseSchema(['window', 'tone']),
          strict: true,
        },
      },
    });
    const reason = 'qualify demo: no model judged this answer; every criterion gets 9';
    const expected = {
      criteria: [
        { id: 'window', reason, score: 9 },
        { id: 'tone', reason, score: 9 },
      ],
    };
    expect(reply.choices.map((c) => JSON.parse(c.message.content!) as unknown)).toEqual([expected, expected]);
  });

  test('faithfulness verdicts by an Anthropic forced tool: supported when half the words are in the context', async () => {
    const request = buildVerdictsRequest('anthropic:claude-opus-4-7', CASES[0]!.context!, [
      'Returns are accepted within 30 days.',
      'Shoes are free forever.',
    ]);
    const message = await anthropic.messages.create({
      model: 'claude-opus-4-7',
      max_tokens: 1000,
      messages: user(request.messages[0]!.content),
      tools: [
        { name: 'verdicts', input_schema: request.responseSchema!.schema as Anthropic.Tool.InputSchema },
      ],
      tool_choice: { type: 'tool', name: 'verdicts' },
    });
    expect(message.content[0]).toMatchObject({
      type: 'tool_use',
      name: 'verdicts',
      input: {
        statements: [
          {
            statement: 'Returns are accepted within 30 days.',
            reason: 'qualify demo: 6 of its 6 words are in the context',
            verdict: 1,
          },
          {
            statement: 'Shoes are free forever.',
            reason: 'qualify demo: 1 of its 4 words are in the context',
            verdict: 0,
          },
        ],
      },
    });
  });

  test('relevancy gives back the question an answer was given for; embeddings follow shared words', async () => {
    const answer = (
      await openai.chat.completions.create({ model: 'm', messages: user('Where is my parcel?') })
    ).choices[0]!.message.content!;
    const generated = await openai.chat.completions.create({
      model: 'm',
      n: 3,
      messages: user(`## Answer\n${fence('agent_output', answer)}`),
      response_format: { type: 'json_schema', json_schema: { name: 'generated_question', schema: {} } },
    });
    expect(generated.choices.map((c) => c.message.content)).toEqual(
      Array.from({ length: 3 }, () => '{"question":"Where is my parcel?","noncommittal":0}'),
    );

    const base64 = await openai.embeddings.create({
      model: 'e',
      input: ['Where is my parcel?', 'parcel where'],
    });
    const float = await openai.embeddings.create({
      model: 'e',
      input: 'Where is my parcel?',
      encoding_format: 'float',
    });
    const [a, b] = base64.data.map((d) => d.embedding);
    const cosine = a!.reduce((sum, v, i) => sum + v * b![i]!, 0);
    expect([a!.length, cosine.toFixed(4)]).toEqual([64, (2 / Math.sqrt(4 * 2)).toFixed(4)]);
    expect(float.data[0]!.embedding.map((v) => v.toFixed(6))).toEqual(a!.map((v) => v.toFixed(6)));
  });

  test('an unknown path is a 404 that names it', async () => {
    const res = await fetch(`${demo.url}/v1/files`, { method: 'POST', body: '{}' });
    expect([res.status, await res.json()]).toEqual([
      404,
      { error: { type: 'not_found_error', message: 'qualify demo: no route for /v1/files' } },
    ]);
  });
});
