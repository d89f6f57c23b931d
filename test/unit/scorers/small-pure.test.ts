import { describe, expect, test } from 'vitest';
import { renderCaseInput, userInput } from '../../../src/scorers/case-input.js';
import { JudgeReplyError, quoteReply } from '../../../src/scorers/errors.js';
import { faithfulnessScore } from '../../../src/scorers/faithfulness.js';
import { formatPath } from '../../../src/internal/data-path.js';

describe('faithfulnessScore', () => {
  test('truthy verdicts over the length of the list', () => {
    expect(faithfulnessScore([1, 0, 1, 1])).toBe(0.75);
    expect(faithfulnessScore([1, 1, 0])).toBe(2 / 3);
    expect(faithfulnessScore([0])).toBe(0);
  });

  test('NaN for an empty list', () => {
    expect(faithfulnessScore([])).toBeNaN();
  });
});

describe('case input', () => {
  const messages = [
    { role: 'system', content: 'be brief' },
    { role: 'user', content: 'hi' },
    { role: 'assistant', content: 'hello' },
    { role: 'user', content: 'refund?' },
  ] as const;

  test('userInput is the input, else the last user message, else empty', () => {
    expect(userInput({ input: 'Q?' })).toBe('Q?');
    expect(userInput({ messages })).toBe('refund?');
    expect(userInput({ messages: [{ role: 'assistant', content: 'x' }] })).toBe('');
    expect(userInput({})).toBe('');
  });

  test('renderCaseInput shows the whole conversation', () => {
    expect(renderCaseInput({ messages })).toBe(
      'system: be brief\n\nuser: hi\n\nassistant: hello\n\nuser: refund?',
    );
    expect(renderCaseInput({ input: 'Q?' })).toBe('Q?');
  });
});

describe('JudgeReplyError', () => {
  test('quotes the reply, truncated to 300 characters, on one line', () => {
    const error = new JudgeReplyError({
      scorer: 'judge',
      model: 'openai:gpt-4.1',
      problem: 'the reply is not JSON',
      reply: `line one\n${'x'.repeat(400)}`,
      attempts: 3,
    });
    expect(error.code).toBe('E_JUDGE_REPLY');
    expect(error.reply).toBe(`line one\n${'x'.repeat(291)}…`);
    expect(error.message).toBe(
      `judge reply from openai:gpt-4.1 unusable after 3 attempts: the reply is not JSON; reply: ` +
        `${JSON.stringify(`line one\n${'x'.repeat(291)}…`)}. Pin a judge model that supports structured ` +
        'output in rubric.yaml, or re-run if it is intermittent.',
    );
    expect(error.message).not.toContain('\n');
  });

  test('quoteReply keeps short replies whole', () => {
    expect(quoteReply('{"a":1}')).toBe('{"a":1}');
    expect(quoteReply('y'.repeat(300))).toBe('y'.repeat(300));
  });
});

describe('formatPath', () => {
  test.each([
    [['criteria', 0, 'score'], 'criteria[0].score'],
    [['statements'], 'statements'],
    [[2, 'verdict'], '[2].verdict'],
    [[], ''],
  ] as const)('%j -> %s', (path, expected) => {
    expect(formatPath(path, '')).toBe(expected);
  });
});
