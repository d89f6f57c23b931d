import { describe, expect, test } from 'vitest';
import {
  JUDGE_MAX_TOKENS,
  JudgeReplySchema,
  buildJudgeRequest,
  criteriaProblem,
  judgeResponseSchema,
} from '../../../src/scorers/judge-prompt.js';
import { validateWith } from '../../../src/scorers/structured-call.js';

const validate = (ids: string[]) => validateWith(JudgeReplySchema, (reply) => criteriaProblem(reply, ids));
const item = (id: string, score: unknown, reason: unknown = 'because') => ({ id, reason, score });

describe('judge reply validation', () => {
  test('a complete reply passes, in any order', () => {
    const reply = { criteria: [item('b', 0), item('a', 10)] };
    expect(validate(['a', 'b'])(reply)).toEqual({ ok: true, value: reply });
  });

  test.each([
    ['missing criterion', { criteria: [item('a', 5)] }, 'criterion "b" missing'],
    ['two missing', { criteria: [] }, 'criteria "a", "b" missing'],
    ['unknown criterion', { criteria: [item('a', 5), item('b', 5), item('c', 5)] }, 'unknown criterion "c"'],
    [
      'duplicate',
      { criteria: [item('a', 5), item('a', 6), item('b', 1)] },
      'criterion "a" appears more than once',
    ],
    [
      'score 11',
      { criteria: [item('a', 11), item('b', 1)] },
      'criteria[0].score: Too big: expected number to be <=10',
    ],
    [
      'score -1',
      { criteria: [item('a', 1), item('b', -1)] },
      'criteria[1].score: Too small: expected number to be >=0',
    ],
    [
      'score 7.5',
      { criteria: [item('a', 7.5), item('b', 1)] },
      'criteria[0].score: Invalid input: expected int, received number',
    ],
    [
      'score "7"',
      { criteria: [item('a', '7'), item('b', 1)] },
      'criteria[0].score: Invalid input: expected number, received string',
    ],
    [
      'score null',
      { criteria: [item('a', null), item('b', 1)] },
      'criteria[0].score: Invalid input: expected number, received null',
    ],
    [
      'missing reason',
      { criteria: [{ id: 'a', score: 3 }, item('b', 1)] },
      'criteria[0].reason: Invalid input: expected string, received undefined',
    ],
    [
      'empty reason',
      { criteria: [item('a', 3, '  '), item('b', 1)] },
      'criteria[0].reason: the reason is empty',
    ],
    ['wrong top level', [item('a', 1)], 'Invalid input: expected object, received array'],
    ['other key', { scores: [item('a', 1)] }, 'criteria: Invalid input: expected array, received undefined'],
  ])('%s', (_name, reply, problem) => {
    expect(validate(['a', 'b'])(reply)).toEqual({ ok: false, problem });
  });
});

describe('judgeResponseSchema', () => {
  test('limits ids to the case criteria and closes objects', () => {
    expect(judgeResponseSchema(['a', 'b'])).toEqual({
      type: 'object',
      properties: {
        criteria: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              id: { type: 'string', enum: ['a', 'b'] },
              reason: { type: 'string' },
              score: { type: 'integer', minimum: 0, maximum: 10 },
            },
            required: ['id', 'reason', 'score'],
            additionalProperties: false,
          },
        },
      },
      required: ['criteria'],
      additionalProperties: false,
    });
  });
});

describe('buildJudgeRequest', () => {
  const base = {
    model: 'openai:gpt-4.1',
    case: { input: 'Can I return shoes after 40 days?', reference: 'No; 30 days.' },
    output: { output: 'No, the window is 30 days.' },
    criteria: [{ id: 'states-window', text: 'States the 30-day window', weight: 2 }],
    contexts: ['Returns are accepted within 30 days.'],
  };

  test('one sample: temperature 0, no n; logprobs when asked', () => {
    const request = buildJudgeRequest({ ...base, samples: 1, logprobs: true });
    expect(request.temperature).toBe(0);
    expect(request.n).toBeUndefined();
    expect(request.logprobs).toEqual({ top: 20 });
    expect(request.maxTokens).toBe(JUDGE_MAX_TOKENS);
    expect(request.purpose).toBe('judge');
    expect(request.responseSchema?.name).toBe('criteria_scores');
  });

  test('several samples: n and temperature 1; no logprobs for other providers', () => {
    const request = buildJudgeRequest({ ...base, samples: 5, logprobs: false });
    expect(request.n).toBe(5);
    expect(request.temperature).toBe(1);
    expect(request.logprobs).toBeUndefined();
  });

  test('the message holds input, context, reference, fenced output and criteria in that order', () => {
    const text = buildJudgeRequest({ ...base, samples: 1, logprobs: false }).messages[0]?.content ?? '';
    const order = [
      'Can I return shoes after 40 days?',
      'Returns are accepted within 30 days.',
      'No; 30 days.',
      '<agent_output_',
      'No, the window is 30 days.',
      '</agent_output_',
      '- id "states-window": States the 30-day window',
    ].map((needle) => text.indexOf(needle));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((x, y) => x - y)).toEqual(order);
  });

  test('messages input, tool calls, and no context or reference sections when absent', () => {
    const request = buildJudgeRequest({
      ...base,
      case: {
        messages: [
          { role: 'user', content: 'hi' },
          { role: 'assistant', content: 'hello' },
        ],
      },
      output: {
        output: 'done',
        toolCalls: [{ id: 'c1', name: 'refund', arguments: { id: 7 }, rawArguments: '{"id":7}' }],
      },
      contexts: undefined,
      samples: 1,
      logprobs: false,
    });
    const text = request.messages[0]?.content ?? '';
    expect(text).toContain('user: hi\n\nassistant: hello');
    expect(text).toContain('refund({"id":7})');
    expect(text).not.toContain('## Retrieved context');
    expect(text).not.toContain('## Reference answer');
  });
});
