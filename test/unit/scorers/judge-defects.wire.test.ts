/**
 * Every kind of defective judge reply is either repaired by a retry or reported as a
 * `JudgeReplyError` quoting the reply. Never a silent score. 24 defects x (1 repaired
 * + 3 fatal) + 9 = 105 defective replies in all.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { ProviderBadRequestError, ProviderServerError } from '../../../src/providers/errors.js';
import { JudgeReplyError, quoteReply } from '../../../src/scorers/errors.js';
import { judgeCase } from '../../../src/scorers/judge.js';
import type { ChatReply } from '../../fake-provider/index.js';
import { startWire, type Wire } from './wire.js';

let wire: Wire;
beforeAll(async () => {
  wire = await startWire();
});
beforeEach(() => wire.fake.reset());
afterAll(async () => {
  await wire.fake.close();
});

const theCase = {
  id: 'refund-window',
  input: 'Can I return shoes after 40 days?',
  criteria: [
    { id: 'a', text: 'States the 30-day window', weight: 3 },
    { id: 'b', text: 'Offers an alternative', weight: 1 },
  ],
};
const output = { output: 'No, returns close after 30 days; store credit is possible.' };
const good = {
  criteria: [
    { id: 'a', reason: 'states it', score: 8 },
    { id: 'b', reason: 'mentions credit', score: 4 },
  ],
};
const entry = (id: string, score: unknown, reason: unknown = 'r') => ({ id, reason, score });

/** A defect: what the judge sends, what the reply text is, and the problem we must name. */
const DEFECTS: { name: string; reply: ChatReply; text: string; problem: string }[] = [
  ...[
    ['not JSON', 'The answer is fine. Score: 8/10.', 'the reply is not JSON'],
    ['truncated JSON', '{"criteria":[{"id":"a","reason":"ok","sco', 'the reply is not JSON'],
    ['markdown-fenced JSON', '```json\n{"criteria":[]}\n```', 'the reply is not JSON'],
    ['JSON then chatter', `${JSON.stringify(good)} Hope this helps!`, 'the reply is not JSON'],
    ['empty', '', 'the reply is empty'],
    ['whitespace', '  \n ', 'the reply is empty'],
  ].map(([name, text, problem]) => ({ name: name!, reply: { text: text! }, text: text!, problem: problem! })),
  {
    name: 'cut off by the token limit',
    reply: { text: '{"criteria":[{"id":"a","rea', finishReason: 'length' },
    text: '{"criteria":[{"id":"a","rea',
    problem: 'the reply was cut off by the output limit',
  },
  ...(
    [
      ['missing criterion', { criteria: [entry('a', 8)] }, 'criterion "b" missing'],
      ['no criteria', { criteria: [] }, 'criteria "a", "b" missing'],
      [
        'unknown criterion',
        { criteria: [entry('a', 8), entry('b', 4), entry('c', 9)] },
        'unknown criterion "c"',
      ],
      [
        'duplicate',
        { criteria: [entry('a', 8), entry('a', 9), entry('b', 4)] },
        'criterion "a" appears more than once',
      ],
      ['score 11', { criteria: [entry('a', 11), entry('b', 4)] }, 'criteria[0].score: Too big'],
      ['score -1', { criteria: [entry('a', 8), entry('b', -1)] }, 'criteria[1].score: Too small'],
      [
        'score 7.5',
        { criteria: [entry('a', 7.5), entry('b', 4)] },
        'criteria[0].score: Invalid input: expected int',
      ],
      [
        'score "7"',
        { criteria: [entry('a', '7'), entry('b', 4)] },
        'criteria[0].score: Invalid input: expected number',
      ],
      ['score null', { criteria: [entry('a', null), entry('b', 4)] }, 'criteria[0].score: Invalid input'],
      [
        'score missing',
        { criteria: [{ id: 'a', reason: 'r' }, entry('b', 4)] },
        'criteria[0].score: Invalid input',
      ],
      [
        'missing reason',
        { criteria: [{ id: 'a', score: 8 }, entry('b', 4)] },
        'criteria[0].reason: Invalid input',
      ],
      [
        'empty reason',
        { criteria: [entry('a', 8, ''), entry('b', 4)] },
        'criteria[0].reason: the reason is empty',
      ],
      [
        'numeric id',
        { criteria: [entry('a', 8), { id: 2, reason: 'r', score: 4 }] },
        'criteria[1].id: Invalid input',
      ],
      [
        'top level is an array',
        [entry('a', 8), entry('b', 4)],
        'Invalid input: expected object, received array',
      ],
      ['criteria is a map', { criteria: { a: 8, b: 4 } }, 'criteria: Invalid input: expected array'],
      ['other key', { scores: good.criteria }, 'criteria: Invalid input: expected array, received undefined'],
    ] as const
  ).map(([name, json, problem]) => ({ name, reply: { json }, text: JSON.stringify(json), problem })),
  {
    name: 'JSON null',
    reply: { text: 'null' },
    text: 'null',
    problem: 'Invalid input: expected object, received null',
  },
];

const judge = (model = 'openai:gpt-4.1') => judgeCase({ client: wire.client, model }, theCase, output);
const judgeRequests = () => wire.fake.requests.filter((r) => r.api !== 'openai.embeddings');

test('the table holds 24 kinds of defect', () => {
  expect(DEFECTS).toHaveLength(24);
});

describe.each(DEFECTS)('$name', ({ reply, text, problem }) => {
  test('followed by a good reply: repaired, scored from the good one', async () => {
    wire.fake.on({ api: 'openai.chat' }, reply, { times: 1 });
    wire.fake.on({ api: 'openai.chat' }, { json: good, logprobs: [] });
    const result = await judge();
    expect(result.criteria.map((c) => [c.id, c.raw, c.score])).toEqual([
      ['a', 8, 0.8],
      ['b', 4, 0.4],
    ]);
    expect(result.rubric).toBeCloseTo(0.7, 12);
    const requests = judgeRequests();
    expect(requests).toHaveLength(2);
    const repair = requests[1]?.body['messages'] as { role: string; content: string }[];
    expect(repair.at(-2)).toEqual({
      role: 'assistant',
      content: text.trim() === '' ? '(empty reply)' : text,
    });
    expect(repair.at(-1)?.role).toBe('user');
    expect(repair.at(-1)?.content).toContain(`That reply cannot be used: ${problem}`);
  });

  test('three times: a JudgeReplyError quoting the reply', async () => {
    wire.fake.on({ api: 'openai.chat' }, reply);
    const error = await judge().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JudgeReplyError);
    const replyError = error as JudgeReplyError;
    expect(replyError.code).toBe('E_JUDGE_REPLY');
    expect(replyError.attempts).toBe(3);
    expect(replyError.reply).toBe(quoteReply(text));
    expect(replyError.problem.startsWith(problem)).toBe(true);
    expect(replyError.message).toContain(JSON.stringify(quoteReply(text)));
    expect(judgeRequests()).toHaveLength(3);
  });
});

describe('more than one defect', () => {
  test('two different defects then a good reply: repaired on the last retry', async () => {
    wire.fake.on({ api: 'openai.chat' }, { text: 'no' }, { times: 1 });
    wire.fake.on({ api: 'openai.chat' }, { json: { criteria: [entry('a', 8)] } }, { times: 1 });
    wire.fake.on({ api: 'openai.chat' }, { json: good, logprobs: [] });
    const result = await judge();
    expect(result.criteria.map((c) => c.raw)).toEqual([8, 4]);
    expect(judgeRequests()).toHaveLength(3);
  });

  test('the error names the last defect', async () => {
    wire.fake.on({ api: 'openai.chat' }, { text: 'no' }, { times: 2 });
    wire.fake.on({ api: 'openai.chat' }, { json: { criteria: [entry('a', 8)] } });
    const error = (await judge().catch((e: unknown) => e)) as JudgeReplyError;
    expect(error.problem).toBe('criterion "b" missing');
    expect(error.reply).toBe('{"criteria":[{"id":"a","reason":"r","score":8}]}');
  });

  test('a long reply is quoted to 300 characters', async () => {
    const long = `I think ${'the answer is good '.repeat(40)}`;
    wire.fake.on({ api: 'openai.chat' }, { text: long });
    const error = (await judge().catch((e: unknown) => e)) as JudgeReplyError;
    expect(error.reply).toBe(`${long.slice(0, 300)}…`);
  });

  test('Anthropic judge: a defect is repaired the same way', async () => {
    wire.fake.on(
      { api: 'anthropic.messages' },
      { json: { criteria: [entry('a', 12), entry('b', 4)] } },
      { times: 1 },
    );
    wire.fake.on({ api: 'anthropic.messages' }, { json: good });
    const result = await judge('anthropic:claude-sonnet-4-6');
    expect(result.criteria.map((c) => c.score)).toEqual([0.8, 0.4]);
    expect(result.judge).toEqual({ model: 'anthropic:claude-sonnet-4-6', samples: 1, used_logprobs: false });
    expect(judgeRequests()).toHaveLength(2);
  });
});

describe('provider errors are not bad replies', () => {
  test('a 500 propagates unchanged as a ProviderServerError, not retried as a reply', async () => {
    wire.fake.on({ api: 'openai.chat' }, { fault: { kind: 'status', status: 500 } });
    const error = await judge().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderServerError);
    expect(judgeRequests()).toHaveLength(1);
  });

  test('a 400 propagates unchanged as a ProviderBadRequestError', async () => {
    wire.fake.on({ api: 'openai.chat' }, { fault: { kind: 'status', status: 400, message: 'bad schema' } });
    const error = await judge().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderBadRequestError);
    expect(error).not.toBeInstanceOf(JudgeReplyError);
  });
});
