/**
 * Seeded noise in the eval world, read back through the real `openai` and
 * `@anthropic-ai/sdk` clients: notch counts for fixed seeds, reproducibility under
 * concurrency, the dither of fractional qualities, the G-Eval weighted score the
 * project computes from the fake's logprobs, gone models, and no noise = today.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import type {
  ChatCompletion,
  ChatCompletionCreateParamsNonStreaming,
} from 'openai/resources/chat/completions';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { createModelClient } from '../../../src/providers/client.js';
import { weightedScores } from '../../../src/scorers/g-eval.js';
import { judgeCase } from '../../../src/scorers/judge.js';
import { evalResponder, type EvalScript } from '../../fake-provider/eval-responder.js';
import { startFakeProvider, type FakeProvider } from '../../fake-provider/index.js';
import { autoLogprobs } from '../../fake-provider/tokens.js';
import { envFor } from '../providers/adapters-fixture.js';
import { anthropicFor } from './anthropic-client.js';
import { openaiFor } from './openai-clients.js';

/** Runs `fn` against a fresh fake whose fallback is the eval world (a fresh responder: occurrence counts start at 0). */
async function inWorld<T>(script: EvalScript, fn: (fake: FakeProvider) => Promise<T>): Promise<T> {
  const fake = await startFakeProvider({ fallback: evalResponder(script) });
  try {
    return await fn(fake);
  } finally {
    await fake.close();
  }
}

/** A judge request as the project sends it: the answer fenced, criteria `a` and `b`, `n` samples. */
function judgeRequest(answer: string, n: number, logprobs = false): ChatCompletionCreateParamsNonStreaming {
  const tag = 'agent_output_0123456789abcdef';
  return {
    model: 'judge-1',
    n,
    temperature: 1,
    messages: [{ role: 'user', content: `## The answer\n<${tag}>\n${answer}\n</${tag}>` }],
    response_format: {
      type: 'json_schema',
      json_schema: {
        name: 'criteria_scores',
        schema: {
          type: 'object',
          properties: { criteria: { type: 'array', items: { properties: { id: { enum: ['a', 'b'] } } } } },
        },
      },
    },
    ...(logprobs ? { logprobs: true, top_logprobs: 20 } : {}),
  };
}

/** Each choice's integers, criterion by criterion. */
function scoresOf(completion: ChatCompletion): number[][] {
  return completion.choices.map((choice) =>
    (JSON.parse(choice.message.content ?? '') as { criteria: { score: number }[] }).criteria.map(
      (c) => c.score,
    ),
  );
}

/** How often each value occurs, as `{ value: count }`. */
function tally(values: readonly (number | string)[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

/** Three binomial standard deviations of a count over `n` draws of probability `p`. */
const threeSd = (n: number, p: number) => 3 * Math.sqrt(n * p * (1 - p));

const mean = (values: readonly number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;

/** 400 agent answers to the same question, all in flight at once. */
async function agentAnswers(script: EvalScript, concurrent = true): Promise<string[]> {
  return inWorld(script, async (fake) => {
    const openai = openaiFor(fake);
    const ask = async () => {
      const res = await openai.chat.completions.create({
        model: 'agent-1',
        messages: [{ role: 'user', content: 'Return window?' }],
      });
      return res.choices[0]?.message.content ?? '';
    };
    if (concurrent) return Promise.all(Array.from({ length: 400 }, ask));
    const answers: string[] = [];
    for (let i = 0; i < 400; i++) answers.push(await ask());
    return answers;
  });
}

const AGENT = { answers: { 'Return window?': 'Thirty days. [score=8.8,9]' } };

describe('agent noise', () => {
  test('moves every score of an answer one notch down or up: exact counts for seed 7, within 3 sd of 15% / 70% / 15%', async () => {
    const answers = await agentAnswers({ ...AGENT, noise: { seed: 7, agent: { down: 0.15, up: 0.15 } } });
    const counts = tally(answers);
    expect(counts).toEqual({
      'Thirty days. [score=7.8,8]': 55,
      'Thirty days. [score=8.8,9]': 278,
      'Thirty days. [score=9.8,10]': 67,
    });
    expect(Math.abs(counts['Thirty days. [score=7.8,8]']! - 60)).toBeLessThanOrEqual(threeSd(400, 0.15));
    expect(Math.abs(counts['Thirty days. [score=9.8,10]']! - 60)).toBeLessThanOrEqual(threeSd(400, 0.15));
  });

  test('clamps moved scores to 0..10', async () => {
    const answers = await agentAnswers({
      answers: { 'Return window?': 'Thirty days. [score=10,0.5]' },
      noise: { seed: 7, agent: { down: 0.15, up: 0.15 } },
    });
    expect(tally(answers)).toEqual({
      'Thirty days. [score=9,0]': 55,
      'Thirty days. [score=10,0.5]': 278,
      'Thirty days. [score=10,1.5]': 67,
    });
  });

  test('the same seed gives the same multiset in any arrival order; another seed gives another', async () => {
    const noise = { seed: 7, agent: { down: 0.15, up: 0.15 } };
    const concurrent = await agentAnswers({ ...AGENT, noise });
    const sequential = await agentAnswers({ ...AGENT, noise }, false);
    expect(tally(sequential)).toEqual(tally(concurrent));
    const other = tally(await agentAnswers({ ...AGENT, noise: { ...noise, seed: 8 } }));
    expect(other).not.toEqual(tally(concurrent));
    expect(other).toEqual({
      'Thirty days. [score=7.8,8]': 60,
      'Thirty days. [score=8.8,9]': 273,
      'Thirty days. [score=9.8,10]': 67,
    });
  });
});

describe('judge noise and dither', () => {
  test('moves each sample integer per criterion: exact counts for seed 7 over 400 samples x 2 criteria, within 3 sd', async () => {
    const completion = await inWorld({ noise: { seed: 7, judge: { down: 0.1, up: 0.1 } } }, (fake) =>
      openaiFor(fake).chat.completions.create(judgeRequest('Thirty days. [score=9]', 400)),
    );
    const scores = scoresOf(completion);
    expect(scores).toHaveLength(400);
    const byCriterion = [tally(scores.map((s) => s[0]!)), tally(scores.map((s) => s[1]!))];
    expect(byCriterion).toEqual([
      { 8: 36, 9: 321, 10: 43 },
      { 8: 43, 9: 308, 10: 49 },
    ]);
    for (const counts of byCriterion) {
      expect(Math.abs(counts[8]! - 40)).toBeLessThanOrEqual(threeSd(400, 0.1));
      expect(Math.abs(counts[10]! - 40)).toBeLessThanOrEqual(threeSd(400, 0.1));
    }
  });

  test('a fractional quality is dithered: 8.8 draws 9 with p 0.8, so the mean sample is 8.8 (no noise option needed)', async () => {
    const completion = await inWorld({}, (fake) =>
      openaiFor(fake).chat.completions.create(judgeRequest('Thirty days. [score=8.8,9]', 400)),
    );
    const scores = scoresOf(completion);
    const first = scores.map((s) => s[0]!);
    expect(tally(first)).toEqual({ 8: 74, 9: 326 });
    expect(Math.abs(326 - 320)).toBeLessThanOrEqual(threeSd(400, 0.8));
    expect(tally(scores.map((s) => s[1]!))).toEqual({ 9: 400 });
    // sd of a mean of 400 dithered samples: sqrt(0.8 * 0.2 / 400) = 0.02.
    expect(Math.abs(mean(first) - 8.8)).toBeLessThanOrEqual(0.06);
  });

  test('same seed twice: identical samples; another seed: different ones', async () => {
    const run = (seed: number) =>
      inWorld({ noise: { seed, judge: { down: 0.1, up: 0.1 } } }, async (fake) =>
        scoresOf(await openaiFor(fake).chat.completions.create(judgeRequest('Ok. [score=8.5]', 50))),
      );
    const [a, b, c] = [await run(7), await run(7), await run(8)];
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  test('a repeated judge request draws afresh (the occurrence counts), reproducibly', async () => {
    const twice = () =>
      inWorld({ noise: { seed: 3, judge: { down: 0.3, up: 0.3 } } }, async (fake) => {
        const openai = openaiFor(fake);
        const first = await openai.chat.completions.create(judgeRequest('Ok. [score=5]', 20));
        const second = await openai.chat.completions.create(judgeRequest('Ok. [score=5]', 20));
        return [scoresOf(first), scoresOf(second)];
      });
    const [first, second] = await twice();
    expect(second).not.toEqual(first);
    expect(await twice()).toEqual([first, second]);
  });
});

describe('logprobs: the G-Eval weighted score the project computes', () => {
  async function weighted(script: EvalScript, answer: string, samples: number) {
    const completion = await inWorld(script, (fake) =>
      openaiFor(fake).chat.completions.create(judgeRequest(answer, samples, true)),
    );
    return completion.choices.map((choice) => {
      const tokens = choice.logprobs?.content ?? [];
      const content = choice.message.content ?? '';
      expect(tokens.map((t) => t.token).join('')).toBe(content);
      const scores = weightedScores(
        tokens.map((t) => ({ token: t.token, logprob: t.logprob, top: t.top_logprobs })),
      );
      // The chosen token is the integer written, and every alternative at it is an integer token.
      expect(scores.map((s) => s.value)).toEqual(scoresOf({ choices: [choice] } as ChatCompletion)[0]);
      const scoreTokens = tokens.filter((t) => /^\d+$/.test(t.token));
      for (const t of scoreTokens) expect(t.top_logprobs.every((alt) => /^\d+$/.test(alt.token))).toBe(true);
      return scores.map((s) => s.weighted!);
    });
  }

  test('spread 0: every sample weights to the written 8.8 (p(8) = 0.2, p(9) = 0.8) within 0.05, and 9 to 9', async () => {
    const samples = await weighted({ noise: { seed: 7 } }, 'Thirty days. [score=8.8,9]', 50);
    expect(samples).toHaveLength(50);
    for (const [a, b] of samples) {
      expect(Math.abs(a! - 8.8)).toBeLessThanOrEqual(0.05);
      expect(b).toBe(9);
    }
  });

  // The shift is spread * (1 - 2 * lowerShare), lowerShare uniform in [0.25, 0.75): within +-0.1, sd 0.2 / sqrt(12) = 0.058.
  test('spread 0.2: each sample within 0.1 (spread / 2) of 8.8, the mean of 200 within 0.015 (3.5 sd)', async () => {
    const samples = await weighted(
      { noise: { seed: 7, logprobSpread: 0.2 } },
      'Thirty days. [score=8.8,9]',
      200,
    );
    const firsts = samples.map((s) => s[0]!);
    for (const w of firsts) expect(Math.abs(w - 8.8)).toBeLessThanOrEqual(0.1 + 1e-9);
    expect(mean(firsts).toFixed(4)).toBe('8.8036');
    expect(Math.abs(mean(firsts) - 8.8)).toBeLessThanOrEqual(0.015);
    const sd = Math.sqrt(mean(firsts.map((w) => (w - mean(firsts)) ** 2)));
    expect(sd.toFixed(4)).toBe('0.0557');
    expect(Math.abs(sd - 0.2 / Math.sqrt(12))).toBeLessThanOrEqual(0.015);
  });

  test('the project judge (judgeCase over the real client) reads the weighted 8.8 and 9', async () => {
    await inWorld({ noise: { seed: 7 } }, async (fake) => {
      const client = createModelClient({
        cache: { mode: 'off', dir: join(tmpdir(), 'vitest-qualify-noise-unused') },
        env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.openaiBaseURL },
        providers: { openai: { max_retries: 0 } },
      });
      const result = await judgeCase(
        { client, model: 'openai:gpt-4.1', samples: 3 },
        {
          id: 'refund',
          input: 'Return window?',
          criteria: [
            { id: 'a', text: 'States 30 days', weight: 1 },
            { id: 'b', text: 'Polite', weight: 1 },
          ],
        },
        { output: 'Thirty days. [score=8.8,9]' },
      );
      expect(result.judge.used_logprobs).toBe(true);
      expect(result.criteria.map((c) => [c.id, +c.weighted!.toFixed(6)])).toEqual([
        ['a', 8.8],
        ['b', 9],
      ]);
    });
  });
  test('the project judge on Vertex Gemini (candidateCount, responseLogprobs, the schema title) reads the weighted 8.8 and 9', async () => {
    await inWorld({ noise: { seed: 7 } }, async (fake) => {
      const client = createModelClient({
        cache: { mode: 'off', dir: join(tmpdir(), 'vitest-qualify-noise-unused') },
        env: envFor(fake, 'vertex'),
        providers: { vertex: { max_retries: 0 } },
      });
      const result = await judgeCase(
        { client, model: 'vertex:gemini-2.5-flash', samples: 3 },
        {
          id: 'refund',
          input: 'Return window?',
          criteria: [
            { id: 'a', text: 'States 30 days', weight: 1 },
            { id: 'b', text: 'Polite', weight: 1 },
          ],
        },
        { output: 'Thirty days. [score=8.8,9]' },
      );
      expect(fake.stats.byApi['vertex.generate']).toBe(1);
      expect(result.judge.used_logprobs).toBe(true);
      expect(result.criteria.map((c) => [c.id, +c.weighted!.toFixed(6)])).toEqual([
        ['a', 8.8],
        ['b', 9],
      ]);
    });
  });
});

describe('a model that is gone', () => {
  test('OpenAI: 404 model_not_found, raised by the SDK as NotFoundError', async () => {
    await inWorld({ gone: ['gpt-4-0314'] }, async (fake) => {
      const error = await openaiFor(fake)
        .chat.completions.create({ model: 'gpt-4-0314', messages: [{ role: 'user', content: 'Hi' }] })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.NotFoundError);
      expect(error).toMatchObject({
        status: 404,
        code: 'model_not_found',
        type: 'invalid_request_error',
        error: { message: 'The model `gpt-4-0314` does not exist or you do not have access to it.' },
      });
      const other = await openaiFor(fake).chat.completions.create({
        model: 'gpt-5',
        messages: [{ role: 'user', content: 'Hi' }],
      });
      expect(other.choices[0]?.message.content).toBe('Answer to Hi [score=9]');
    });
  });

  test('Anthropic: 404 not_found_error, raised by the SDK as NotFoundError', async () => {
    await inWorld({ gone: ['claude-2.1'] }, async (fake) => {
      const error = await anthropicFor(fake)
        .messages.create({ model: 'claude-2.1', max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }] })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Anthropic.NotFoundError);
      expect(error).toMatchObject({
        status: 404,
        error: { type: 'error', error: { type: 'not_found_error', message: 'model: claude-2.1' } },
      });
    });
  });
});

describe('no noise: today', () => {
  test('integer scores: the same answer, the same integers in every choice, autoLogprobs tokens', async () => {
    await inWorld({}, async (fake) => {
      const openai = openaiFor(fake);
      const agent = await openai.chat.completions.create({
        model: 'agent-1',
        messages: [{ role: 'user', content: 'Hi' }],
      });
      expect(agent.choices[0]?.message.content).toBe('Answer to Hi [score=9]');
      const judged = await openai.chat.completions.create(judgeRequest('Answer to Hi [score=9,7]', 2, true));
      const content =
        '{"criteria":[{"id":"a","reason":"scored from the answer","score":9},' +
        '{"id":"b","reason":"scored from the answer","score":7}]}';
      expect(judged.choices.map((c) => c.message.content)).toEqual([content, content]);
      const expected = autoLogprobs(content, 20);
      expect(judged.choices[0]?.logprobs?.content?.map((t) => [t.token, t.logprob, t.top_logprobs])).toEqual(
        expected.map((t) => [
          t.token,
          t.logprob,
          t.top.map((alt) => ({ ...alt, bytes: [...Buffer.from(alt.token)] })),
        ]),
      );
    });
  });

  test('a noise option with no knobs set changes nothing for integer scores', async () => {
    const bodies = (script: EvalScript) =>
      inWorld(script, async (fake) => {
        const openai = openaiFor(fake);
        const judged = await openai.chat.completions.create(judgeRequest('Ok. [score=9,7]', 3, true));
        return judged.choices.map((c) => [c.message.content, c.logprobs]);
      });
    expect(await bodies({ noise: { seed: 7 } })).toEqual(await bodies({}));
  });

  test('bad noise options are refused in one line', () => {
    expect(() => evalResponder({ noise: { seed: 1, judge: { down: 0.6, up: 0.6 } } })).toThrow(
      'evalResponder: noise.judge is { down: 0.6, up: 0.6 }; keep each >= 0 and their sum <= 1',
    );
    expect(() => evalResponder({ noise: { seed: 1, logprobSpread: 1 } })).toThrow(
      'evalResponder: noise.logprobSpread is 1; keep it in [0, 1)',
    );
  });
});
