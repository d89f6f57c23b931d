/**
 * A refusal and the NLI standard, through the real SDKs against the fake provider: what the
 * prompts sent say (rule and worked example), and what the scorers make of the replies.
 * docs/scoring.md "Differences from ragas": a bare refusal makes no statement, so NaN.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { aggregateTrials } from '../../../src/scorers/aggregate.js';
import { faithfulness } from '../../../src/scorers/faithfulness.js';
import { scoreTrial } from '../../../src/scorers/score-trial.js';
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
const question = "Where did my neighbour's parcel ship to?";
const contexts = ['We never share details of another customer’s order.'];
const chats = () => wire.fake.requests.filter((r) => r.api === 'openai.chat');
const systemOf = (index: number) =>
  (chats()[index]!.body['messages'] as { role: string; content: string }[])[0]!;

describe('a bare refusal', () => {
  test('the statements prompt on the wire says it makes no claim, and shows it', async () => {
    wire.fake.on({ api: 'openai.chat', where: schemaNamed('statements') }, { json: { statements: [] } });
    await faithfulness(
      { client: wire.client, model: JUDGE },
      { question, answer: "Sorry, I can't help.", contexts },
    );
    const system = systemOf(0);
    expect(system.role).toBe('system');
    expect(system.content).toContain(
      'An answer that only declines, greets or is empty makes no claim: return an empty list.',
    );
    expect(system.content).toContain(
      "Question: What is my neighbour's library account balance?\n" +
        "Answer: Sorry, I can't help with that.\n" +
        'Reply: {"statements":[]}',
    );
  });

  test('no statements: NaN, one request, no NLI call', async () => {
    wire.fake.on({ api: 'openai.chat', where: schemaNamed('statements') }, { json: { statements: [] } });
    const result = await faithfulness(
      { client: wire.client, model: JUDGE },
      { question, answer: "Sorry, I can't help.", contexts },
    );
    expect(result).toEqual({ score: Number.NaN, statements: [], verdicts: [] });
    expect(
      chats().map((r) => (r.body['response_format'] as { json_schema: { name: string } }).json_schema.name),
    ).toEqual(['statements']);
  });

  test('in a case: faithfulness NaN, left out of the mean and counted', async () => {
    wire.fake.on({ api: 'openai.chat', where: schemaNamed('statements') }, { json: { statements: [] } });
    wire.fake.on(
      { api: 'openai.chat', where: schemaNamed('generated_question') },
      { choices: [1, 2, 3].map(() => ({ json: { question, noncommittal: 0 } })) },
    );
    wire.fake.on({ api: 'openai.embeddings' }, { embeddings: () => [1, 0] });
    const trial = await scoreTrial(
      { client: wire.client, judge: JUDGE, embeddings: 'openai:text-embedding-3-small' },
      { id: 'other-customer', input: question, context: contexts },
      { output: "Sorry, I can't help." },
    );
    expect(trial.faithfulness).toBeNaN();
    expect(trial.answer_relevancy).toBe(1);
    const folded = aggregateTrials([trial]);
    expect(folded.faithfulness).toBeNull();
    expect(folded.nan_trials).toEqual({ faithfulness: 1, answer_relevancy: 0 });
    expect(folded.nan_metrics).toEqual(['faithfulness']);
  });
});

describe('a refusal with its reason', () => {
  test('the reason is judged: 2 of 2 inferred is 1', async () => {
    const statements = [
      "The user cannot be told where another customer's parcel shipped.",
      'Details of another customer’s order are never shared.',
    ];
    wire.fake.on({ api: 'openai.chat', where: schemaNamed('statements') }, { json: { statements } });
    wire.fake.on(
      { api: 'openai.chat', where: schemaNamed('verdicts') },
      { json: { statements: statements.map((statement) => ({ statement, reason: 'follows', verdict: 1 })) } },
    );
    const result = await faithfulness(
      { client: wire.client, model: JUDGE },
      { question, answer: "I can't tell you: we never share another customer's order details.", contexts },
    );
    expect(result.score).toBe(1);
    expect(chats()).toHaveLength(2);
  });
});

describe('the NLI standard on the wire', () => {
  test('"can be inferred", with the worked example of an inference', async () => {
    wire.fake.on({ api: 'openai.chat', where: schemaNamed('statements') }, { json: { statements: ['S'] } });
    wire.fake.on(
      { api: 'openai.chat', where: schemaNamed('verdicts') },
      { json: { statements: [{ statement: 'S', reason: 'r', verdict: 1 }] } },
    );
    await faithfulness({ client: wire.client, model: JUDGE }, { question, answer: 'S.', contexts });
    const nli = chats().find(schemaNamed('verdicts'))!;
    const system = openaiPrompt(nli);
    expect(system).toContain('1 if the statement can be inferred from the context, 0 if it cannot.');
    expect(system).not.toContain('directly');
    expect(system).toContain(
      '{"statement":"The museum is closed on Mondays.","reason":"It is open Tuesday to Sunday, so it follows that it is closed on Monday.","verdict":1}',
    );
  });
});
