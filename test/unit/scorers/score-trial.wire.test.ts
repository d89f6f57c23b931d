/**
 * scoreTrial through the real SDKs: call counts, checks zeroing the score, contexts,
 * G-Eval from logprobs, samples, and errors propagating.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { ProviderAbortError, ProviderServerError } from '../../../src/providers/errors.js';
import { JudgeReplyError } from '../../../src/scorers/errors.js';
import { scoreTrial } from '../../../src/scorers/score-trial.js';
import type { ScoringCase, ScoringConfig } from '../../../src/scorers/types.js';
import type { ScriptedLogprob } from '../../fake-provider/index.js';
import { openaiPrompt, schemaNamed, startWire, type Wire } from './wire.js';

let wire: Wire;
beforeAll(async () => {
  wire = await startWire();
});
beforeEach(() => wire.fake.reset());
afterAll(async () => {
  await wire.fake.close();
});

const config = (over: Partial<ScoringConfig> = {}): ScoringConfig => ({
  client: wire.client,
  judge: 'openai:gpt-4.1',
  embeddings: 'openai:text-embedding-3-small',
  ...over,
});

const refundCase: ScoringCase = {
  id: 'refund-window-basic',
  input: 'Can I return shoes after 40 days?',
  context: ['Returns are accepted within 30 days of delivery.'],
  reference: 'No; the window is 30 days.',
  criteria: [
    { id: 'states-window', text: 'States the 30-day window', weight: 2 },
    { id: 'polite', text: 'Is polite', weight: 1 },
  ],
  checks: [
    { kind: 'not_contains', value: ['guarantee'], ignore_case: true, name: 'no guarantees' },
    { kind: 'max_chars', value: 200, name: 'max_chars 200' },
  ],
};
const answer = { output: 'Sorry, no: returns close 30 days after delivery.' };

const judgeReply = {
  criteria: [
    { id: 'states-window', reason: 'yes', score: 9 },
    { id: 'polite', reason: 'yes', score: 6 },
  ],
};

/** Scripts every model-graded call of a fully scored case; judge logprobs off unless given. */
function scriptAll(logprobs: ScriptedLogprob[] = []): void {
  wire.fake.on(
    { api: 'openai.chat', where: schemaNamed('criteria_scores') },
    { text: JSON.stringify(judgeReply), logprobs },
  );
  wire.fake.on(
    { api: 'openai.chat', where: schemaNamed('statements') },
    { json: { statements: ['Returns close 30 days after delivery.', 'Shoes are excluded.'] } },
  );
  wire.fake.on(
    { api: 'openai.chat', where: schemaNamed('verdicts') },
    {
      json: {
        statements: [
          { statement: 'Returns close 30 days after delivery.', reason: 'stated', verdict: 1 },
          { statement: 'Shoes are excluded.', reason: 'not stated', verdict: 0 },
        ],
      },
    },
  );
  wire.fake.on(
    { api: 'openai.chat', where: schemaNamed('generated_question') },
    {
      choices: ['q1', 'q2', 'q3'].map((question) => ({ json: { question, noncommittal: 0 } })),
    },
  );
  const vectors: Record<string, number[]> = { q1: [0.6, 0.8], q2: [1, 0], q3: [0, 1] };
  wire.fake.on({ api: 'openai.embeddings' }, { embeddings: (text) => vectors[text] ?? [1, 0] });
}

describe('call counts (one fully scored case, OpenAI judge)', () => {
  test('1 judge call, 2 faithfulness calls, 1 question request with n=3, 1 embeddings request', async () => {
    scriptAll();
    const trial = await scoreTrial(config(), refundCase, answer);
    const chats = wire.fake.requests.filter((r) => r.api === 'openai.chat');
    expect(chats.filter(schemaNamed('criteria_scores'))).toHaveLength(1);
    expect(chats.filter(schemaNamed('statements'))).toHaveLength(1);
    expect(chats.filter(schemaNamed('verdicts'))).toHaveLength(1);
    const questions = chats.filter(schemaNamed('generated_question'));
    expect(questions.map((r) => r.body['n'])).toEqual([3]);
    expect(chats).toHaveLength(4);
    expect(wire.fake.requests.filter((r) => r.api === 'openai.embeddings')).toHaveLength(1);
    expect(wire.fake.requests).toHaveLength(5);

    expect(trial.rubric).toBeCloseTo((0.9 * 2 + 0.6) / 3, 12);
    expect(trial.score).toBe(trial.rubric);
    expect(trial.faithfulness).toBe(0.5);
    expect(trial.answer_relevancy).toBeCloseTo((0.6 + 1 + 0) / 3, 12);
    expect(trial.failed_checks).toEqual([]);
    expect(trial.checks.map((c) => c.pass)).toEqual([true, true]);
    expect(trial.judge).toEqual({ model: 'openai:gpt-4.1', samples: 1, used_logprobs: false });
  });

  test('the judge asks for logprobs (top 20) from OpenAI', async () => {
    scriptAll();
    await scoreTrial(config(), refundCase, answer);
    const judge = wire.fake.requests.find(schemaNamed('criteria_scores'));
    expect(judge?.body['logprobs']).toBe(true);
    expect(judge?.body['top_logprobs']).toBe(20);
  });
});

/** The judge reply split into tokens, each score digit alone with the given alternatives. */
function judgeTokens(alternatives: Record<number, [string, number][]>): ScriptedLogprob[] {
  const text = JSON.stringify(judgeReply);
  return text.split(/(?<="score":)(\d+)/).map((token) => {
    const top = /^\d+$/.test(token)
      ? (alternatives[Number(token)] ?? []).map(([t, p]) => ({ token: t, logprob: Math.log(p) }))
      : [];
    return { token, logprob: top[0]?.logprob ?? 0, top };
  });
}

describe('G-Eval', () => {
  test('with logprobs, each criterion score is probability-weighted; raw kept', async () => {
    scriptAll(
      judgeTokens({
        9: [
          ['9', 0.6],
          ['10', 0.3],
          ['8', 0.095],
          ['7', 0.005],
        ],
        6: [
          ['6', 0.5],
          ['7', 0.5],
        ],
      }),
    );
    const trial = await scoreTrial(config(), refundCase, answer);
    const [window, polite] = trial.criteria;
    const windowWeighted = (9 * 0.6 + 10 * 0.3 + 8 * 0.095) / 0.995;
    expect(window?.raw).toBe(9);
    expect(window?.weighted).toBeCloseTo(windowWeighted, 12);
    expect(window?.score).toBeCloseTo(windowWeighted / 10, 12);
    expect(polite?.raw).toBe(6);
    expect(polite?.weighted).toBeCloseTo(6.5, 12);
    expect(trial.rubric).toBeCloseTo(((windowWeighted / 10) * 2 + 0.65) / 3, 12);
    expect(trial.judge?.used_logprobs).toBe(true);
  });

  test('Anthropic judge with 3 samples: no logprobs asked, the mean of the raws', async () => {
    const scores = [
      [9, 6],
      [8, 6],
      [10, 3],
    ];
    for (const [window, polite] of scores) {
      wire.fake.on(
        { api: 'anthropic.messages' },
        {
          json: {
            criteria: [
              { id: 'states-window', reason: `w${window}`, score: window },
              { id: 'polite', reason: `p${polite}`, score: polite },
            ],
          },
        },
        { times: 1 },
      );
    }
    const trial = await scoreTrial(
      config({ judge: 'anthropic:claude-sonnet-4-6', judgeSamples: 3 }),
      {
        ...refundCase,
        context: undefined,
      },
      answer,
    );
    const requests = wire.fake.requests.filter((r) => r.api === 'anthropic.messages');
    expect(requests).toHaveLength(3);
    expect(
      requests.every((r) => r.body['logprobs'] === undefined && r.body['top_logprobs'] === undefined),
    ).toBe(true);
    expect(trial.criteria.map((c) => [c.id, c.raw, c.weighted])).toEqual([
      ['states-window', 9, undefined],
      ['polite', 5, undefined],
    ]);
    expect(trial.criteria.map((c) => c.score)).toEqual([0.9, 0.5]);
    expect(trial.judge).toEqual({ model: 'anthropic:claude-sonnet-4-6', samples: 3, used_logprobs: false });
  });

  test('OpenAI judge with 3 samples: one request with n=3', async () => {
    wire.fake.on(
      { api: 'openai.chat' },
      {
        choices: [9, 7, 8].map((score) => ({
          json: { criteria: [{ id: 'only', reason: 'r', score }] },
          logprobs: [],
        })),
      },
    );
    const trial = await scoreTrial(
      config({ judgeSamples: 3 }),
      {
        id: 'x',
        input: 'Q?',
        criteria: [{ id: 'only', text: 'Answers', weight: 1 }],
      },
      answer,
    );
    expect(wire.fake.requests.map((r) => [r.body['n'], r.body['temperature']])).toEqual([[3, 1]]);
    expect(trial.criteria[0]?.raw).toBe(8);
    expect(trial.score).toBe(0.8);
  });
});

describe('judge_temperature at the wire', () => {
  const oneCriterion: ScoringCase = {
    id: 't',
    input: 'Q?',
    criteria: [{ id: 'only', text: 'Answers', weight: 1 }],
  };
  const reply = { json: { criteria: [{ id: 'only', reason: 'r', score: 8 }] } };

  test.each([
    ['openai:gpt-4.1', 1, 0.4, [[undefined, 0.4]]],
    ['openai:gpt-4.1', 3, 0.4, [[3, 0.4]]],
    ['openai:gpt-4.1', 1, undefined, [[undefined, 0]]],
    ['openai:gpt-4.1', 3, undefined, [[3, 1]]],
    ['openai:gpt-5', 1, 0.4, [[undefined, undefined]]],
  ] as const)(
    '%s, %s sample(s), judgeTemperature %s: [n, temperature] sent %j',
    async (judge, samples, temperature, sent) => {
      wire.fake.on(
        { api: 'openai.chat' },
        { choices: Array.from({ length: samples }, () => ({ ...reply, logprobs: [] })) },
      );
      await scoreTrial(
        config({ judge, judgeSamples: samples, judgeTemperature: temperature }),
        oneCriterion,
        answer,
      );
      expect(wire.fake.requests.map((r) => [r.body['n'], r.body['temperature']])).toEqual(sent);
      expect(
        wire.fake.requests.every((r) => Object.hasOwn(r.body, 'temperature') === (sent[0][1] !== undefined)),
      ).toBe(true);
    },
  );

  test('an Anthropic judge takes no temperature: none is sent', async () => {
    wire.fake.on({ api: 'anthropic.messages' }, reply);
    await scoreTrial(
      config({ judge: 'anthropic:claude-sonnet-4-6', judgeTemperature: 0.4 }),
      oneCriterion,
      answer,
    );
    expect(wire.fake.requests.map((r) => [r.api, Object.hasOwn(r.body, 'temperature')])).toEqual([
      ['anthropic.messages', false],
    ]);
  });
});

describe('checks and criteria', () => {
  test('a failed check makes the score 0 and is named; the rubric is still reported', async () => {
    scriptAll();
    const trial = await scoreTrial(config(), refundCase, { output: 'We GUARANTEE a refund after 30 days.' });
    expect(trial.score).toBe(0);
    expect(trial.failed_checks).toEqual(['no guarantees']);
    expect(trial.checks[0]).toEqual({
      name: 'no guarantees',
      pass: false,
      detail: 'found "guarantee" at char 3',
    });
    expect(trial.rubric).toBeCloseTo(0.8, 12);
  });

  test('no criteria: no judge call, score 1 when the checks pass', async () => {
    const trial = await scoreTrial(config(), { id: 'plain', input: 'Q?', checks: refundCase.checks }, answer);
    expect(wire.fake.requests).toHaveLength(0);
    expect(trial).toEqual({
      score: 1,
      checks: [
        { name: 'no guarantees', pass: true, detail: 'none of "guarantee" found' },
        { name: 'max_chars 200', pass: true, detail: '48 chars, within the limit of 200' },
      ],
      failed_checks: [],
      rubric: null,
      criteria: [],
      faithfulness: null,
      answer_relevancy: null,
      judge: null,
    });
  });

  test('rubric-wide criteria are scored after the case ones', async () => {
    wire.fake.on(
      { api: 'openai.chat' },
      {
        json: {
          criteria: [
            { id: 'own', reason: 'r', score: 10 },
            { id: 'tone', reason: 'r', score: 4 },
          ],
        },
        logprobs: [],
      },
    );
    const trial = await scoreTrial(
      config({ criteria: [{ id: 'tone', text: 'Plain tone', weight: 3 }] }),
      { id: 'x', input: 'Q?', criteria: [{ id: 'own', text: 'Answers', weight: 1 }] },
      answer,
    );
    expect(trial.criteria.map((c) => c.id)).toEqual(['own', 'tone']);
    expect(trial.score).toBeCloseTo((1 + 0.4 * 3) / 4, 12);
    expect(openaiPrompt(wire.fake.requests[0]!)).toContain('- id "tone": Plain tone');
  });
});

describe('contexts and input', () => {
  test("the agent's returned context is what faithfulness and the judge see", async () => {
    scriptAll();
    await scoreTrial(config(), refundCase, { ...answer, context: ['Retrieved: policy v2 says 30 days.'] });
    const nli = wire.fake.requests.find(schemaNamed('verdicts'));
    expect(openaiPrompt(nli!)).toContain('Retrieved: policy v2 says 30 days.');
    expect(openaiPrompt(nli!)).not.toContain('Returns are accepted within 30 days of delivery.');
    const judge = wire.fake.requests.find(schemaNamed('criteria_scores'));
    expect(openaiPrompt(judge!)).toContain('Retrieved: policy v2 says 30 days.');
  });

  test('agent context alone enables faithfulness and relevancy', async () => {
    scriptAll();
    const trial = await scoreTrial(
      config(),
      { ...refundCase, context: undefined },
      { ...answer, context: ['ctx'] },
    );
    expect(trial.faithfulness).toBe(0.5);
    expect(trial.answer_relevancy).not.toBeNull();
  });

  test('no contexts: neither faithfulness nor relevancy', async () => {
    scriptAll();
    const trial = await scoreTrial(config(), { ...refundCase, context: [] }, answer);
    expect(trial.faithfulness).toBeNull();
    expect(trial.answer_relevancy).toBeNull();
    expect(wire.fake.requests.map((r) => r.api)).toEqual(['openai.chat']);
  });

  test('messages: the user input is the last user message', async () => {
    scriptAll();
    await scoreTrial(
      config(),
      {
        ...refundCase,
        input: undefined,
        messages: [
          { role: 'user', content: 'Hi, I bought shoes.' },
          { role: 'assistant', content: 'How can I help?' },
          { role: 'user', content: 'Can I return them after 40 days?' },
        ],
      },
      answer,
    );
    const embeddings = wire.fake.requests.find((r) => r.api === 'openai.embeddings');
    expect((embeddings?.body['input'] as string[])[0]).toBe('Can I return them after 40 days?');
    const statements = wire.fake.requests.find(schemaNamed('statements'));
    expect(openaiPrompt(statements!)).toContain('Can I return them after 40 days?');
  });
});

describe('errors', () => {
  test('a judge that never answers well: JudgeReplyError after the other scorers settle', async () => {
    wire.fake.on({ api: 'openai.chat', where: schemaNamed('criteria_scores') }, { text: 'eight' });
    wire.fake.on({ api: 'openai.chat' }, { fault: { kind: 'status', status: 503 } });
    wire.fake.on({ api: 'openai.embeddings' }, { embeddings: () => [1, 0] });
    const error = await scoreTrial(config(), refundCase, answer).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JudgeReplyError);
    expect(wire.fake.stats.inFlight).toBe(0);
  });

  test('a provider outage propagates as the ProviderError', async () => {
    wire.fake.on({ api: 'openai.chat' }, { fault: { kind: 'status', status: 503 } });
    const error = await scoreTrial(config(), { ...refundCase, context: undefined }, answer).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProviderServerError);
    expect((error as ProviderServerError).status).toBe(503);
  });

  test("the signal cancels the scorers' calls", async () => {
    wire.fake.on({ api: 'openai.chat' }, { fault: { kind: 'hang' } });
    const controller = new AbortController();
    const pending = scoreTrial(config({ signal: controller.signal }), refundCase, answer).catch(
      (e: unknown) => e,
    );
    // Judge, statement extraction and question generation run at once.
    await expect.poll(() => wire.fake.stats.inFlight).toBe(3);
    controller.abort();
    expect(await pending).toBeInstanceOf(ProviderAbortError);
  });
});
