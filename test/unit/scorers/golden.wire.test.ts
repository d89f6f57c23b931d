/**
 * The golden arithmetic of specs/ragas.md, through the real SDKs against the fake provider.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { answerRelevancy } from '../../../src/scorers/answer-relevancy.js';
import { JudgeReplyError } from '../../../src/scorers/errors.js';
import { faithfulness } from '../../../src/scorers/faithfulness.js';
import { openaiPrompt, schemaNamed, startWire, type Wire } from './wire.js';

let wire: Wire;
beforeAll(async () => {
  wire = await startWire();
});
beforeEach(() => wire.fake.reset());
afterAll(async () => {
  await wire.fake.close();
});

const JUDGE = 'openai:gpt-4.1';
const EMBEDDINGS = 'openai:text-embedding-3-small';
const STATEMENTS = ['Ann wrote it.', 'Ann wrote it in 1990.', 'It is long.', 'It won a prize.'];

function scriptStatements(statements: string[]): void {
  wire.fake.on({ api: 'openai.chat', where: schemaNamed('statements') }, { json: { statements } });
}

function scriptVerdicts(verdicts: number[]): void {
  wire.fake.on(
    { api: 'openai.chat', where: schemaNamed('verdicts') },
    {
      json: {
        statements: verdicts.map((verdict, i) => ({
          statement: STATEMENTS[i],
          reason: 'per the context',
          verdict,
        })),
      },
    },
  );
}

const chatRequests = () => wire.fake.requests.filter((r) => r.api === 'openai.chat');

describe('faithfulness', () => {
  const input = {
    question: 'Who wrote it?',
    answer: 'Ann wrote it in 1990.',
    contexts: ['Ann wrote it.', 'In 1990.'],
  };

  test('verdicts [1,0,1,1]: 0.75', async () => {
    scriptStatements(STATEMENTS);
    scriptVerdicts([1, 0, 1, 1]);
    const result = await faithfulness({ client: wire.client, model: JUDGE }, input);
    expect(result.score).toBe(0.75);
    expect(result.statements).toEqual(STATEMENTS);
    expect(chatRequests()).toHaveLength(2);
  });

  test('no statements: NaN and no NLI call', async () => {
    scriptStatements([]);
    scriptVerdicts([1]);
    const result = await faithfulness({ client: wire.client, model: JUDGE }, input);
    expect(result.score).toBeNaN();
    expect(chatRequests()).toHaveLength(1);
    expect(wire.fake.requests.filter(schemaNamed('verdicts'))).toHaveLength(0);
  });

  test('NLI returns 3 items for 4 statements: the denominator is 3', async () => {
    scriptStatements(STATEMENTS);
    scriptVerdicts([1, 1, 0]);
    const result = await faithfulness({ client: wire.client, model: JUDGE }, input);
    expect(result.score).toBe(2 / 3);
  });

  test('contexts are joined with "\\n"; temperature 0; a generous output budget', async () => {
    scriptStatements(STATEMENTS);
    scriptVerdicts([1, 1, 1, 1]);
    await faithfulness({ client: wire.client, model: JUDGE }, input);
    const nli = wire.fake.requests.find(schemaNamed('verdicts'));
    expect(nli && openaiPrompt(nli)).toMatch(
      /<context_[0-9a-f]{16}>\nAnn wrote it\.\nIn 1990\.\n<\/context_[0-9a-f]{16}>/,
    );
    for (const req of chatRequests()) {
      expect(req.body['temperature']).toBe(0);
      expect(req.body['max_completion_tokens']).toBe(4096);
    }
  });

  test('a reply cut off by the token limit is retried with more room', async () => {
    wire.fake.on(
      { api: 'openai.chat', where: schemaNamed('statements') },
      { text: '{"statements":["Ann wr', finishReason: 'length' },
      { times: 1 },
    );
    scriptStatements(STATEMENTS);
    scriptVerdicts([1, 0, 0, 0]);
    const result = await faithfulness({ client: wire.client, model: JUDGE }, input);
    expect(result.score).toBe(0.25);
    const extraction = wire.fake.requests.filter(schemaNamed('statements'));
    expect(extraction.map((r) => r.body['max_completion_tokens'])).toEqual([4096, 8192]);
  });

  test('cut off every time: an error quoting the reply, not a score', async () => {
    wire.fake.on(
      { api: 'openai.chat', where: schemaNamed('statements') },
      { text: '{"statements":["Ann wr', finishReason: 'length' },
    );
    const error = await faithfulness({ client: wire.client, model: JUDGE }, input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JudgeReplyError);
    expect(error).toMatchObject({
      code: 'E_JUDGE_REPLY',
      scorer: 'faithfulness',
      attempts: 3,
      problem: 'the reply was cut off by the output limit of 16384 tokens',
      reply: '{"statements":["Ann wr',
    });
    expect(wire.fake.requests.filter(schemaNamed('statements'))).toHaveLength(3);
  });

  test('an off-schema verdict (2) is retried, then an error', async () => {
    scriptStatements(STATEMENTS);
    scriptVerdicts([1, 2, 1, 1]);
    const error = await faithfulness({ client: wire.client, model: JUDGE }, input).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'E_JUDGE_REPLY',
      problem: 'statements[1].verdict: Too big: expected number to be <=1',
    });
  });
});

/** Unit vectors at a chosen cosine with [1, 0]. */
const at = (cos: number) => [cos, Math.sqrt(1 - cos * cos)];

function scriptRelevancy(
  generations: { question: string; noncommittal: number }[],
  cosines: Record<string, number>,
) {
  wire.fake.on(
    { api: 'openai.chat', where: schemaNamed('generated_question') },
    { choices: generations.map((json) => ({ json })) },
  );
  wire.fake.on(
    { api: 'openai.embeddings' },
    { embeddings: (text: string) => (text in cosines ? at(cosines[text] as number) : [1, 0]) },
  );
}

describe('answer_relevancy', () => {
  const options = { client: undefined as never, model: JUDGE, embeddings: EMBEDDINGS };
  const input = { question: 'Can I return shoes after 40 days?', answer: 'No, the window is 30 days.' };
  const cosines = { q1: 0.9, q2: 0.8, q3: 0.7 };
  const mixed = [
    { question: 'q1', noncommittal: 0 },
    { question: 'q2', noncommittal: 1 },
    { question: 'q3', noncommittal: 0 },
  ];

  test('flags [0,1,0], cos [.9,.8,.7], gate all: 0.8', async () => {
    scriptRelevancy(mixed, cosines);
    const result = await answerRelevancy({ ...options, client: wire.client }, input);
    expect(result.score).toBeCloseTo(0.8, 12);
    expect(result.cosines.map((c) => Number(c.toFixed(12)))).toEqual([0.9, 0.8, 0.7]);
  });

  test('same, gate any: 0', async () => {
    scriptRelevancy(mixed, cosines);
    const result = await answerRelevancy({ ...options, client: wire.client, noncommittalGate: 'any' }, input);
    expect(result.score).toBe(0);
  });

  test('flags [1,1,1]: 0', async () => {
    scriptRelevancy(
      mixed.map((g) => ({ ...g, noncommittal: 1 })),
      cosines,
    );
    const result = await answerRelevancy({ ...options, client: wire.client }, input);
    expect(result.score).toBe(0);
  });

  test('one request with n = 3 at temperature 0.3, one batched embeddings call', async () => {
    scriptRelevancy(mixed, cosines);
    await answerRelevancy({ ...options, client: wire.client }, input);
    const [generation, ...others] = chatRequests();
    expect(others).toHaveLength(0);
    expect(generation?.body['n']).toBe(3);
    expect(generation?.body['temperature']).toBe(0.3);
    const embeddings = wire.fake.requests.filter((r) => r.api === 'openai.embeddings');
    expect(embeddings.map((r) => r.body['input'])).toEqual([[input.question, 'q1', 'q2', 'q3']]);
  });

  test('empty questions are dropped from the mean', async () => {
    scriptRelevancy(
      [
        { question: 'q1', noncommittal: 0 },
        { question: '  ', noncommittal: 0 },
        { question: 'q3', noncommittal: 0 },
      ],
      cosines,
    );
    const result = await answerRelevancy({ ...options, client: wire.client }, input);
    expect(result.score).toBeCloseTo(0.8, 12);
    expect(wire.fake.requests.find((r) => r.api === 'openai.embeddings')?.body['input']).toEqual([
      input.question,
      'q1',
      'q3',
    ]);
  });

  test('no question left: 0 and no embeddings call', async () => {
    scriptRelevancy(
      mixed.map((g) => ({ ...g, question: '' })),
      cosines,
    );
    const result = await answerRelevancy({ ...options, client: wire.client }, input);
    expect(result.score).toBe(0);
    expect(wire.fake.requests.filter((r) => r.api === 'openai.embeddings')).toHaveLength(0);
  });

  test('strictness 5 asks for 5 generations; negative cosines count unclipped', async () => {
    scriptRelevancy(
      ['a', 'b', 'c', 'd', 'e'].map((question) => ({ question, noncommittal: 0 })),
      { a: 0.5, b: -0.5, c: 0.25, d: 0.25, e: 0 },
    );
    const result = await answerRelevancy({ ...options, client: wire.client, strictness: 5 }, input);
    expect(chatRequests()[0]?.body['n']).toBe(5);
    expect(result.score).toBeCloseTo(0.1, 12);
  });
});
