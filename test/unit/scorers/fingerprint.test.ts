import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import {
  promptsHashOf,
  rubricHash,
  scoringPromptRequests,
  scoringPromptsHash,
} from '../../../src/scorers/fingerprint.js';
import { judgeSpread } from '../../../src/scorers/judge.js';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

describe('the prompt hash', () => {
  test('is the sha256 of the requests in canonical JSON, without model or signal', () => {
    expect(promptsHashOf([{ model: 'a:b', system: 'S', messages: [], signal: AbortSignal.timeout(1) }])).toBe(
      sha('[{"messages":[],"system":"S"}]'),
    );
    expect(scoringPromptsHash()).toBe(promptsHashOf(scoringPromptRequests()));
    expect(scoringPromptsHash()).toMatch(/^[0-9a-f]{64}$/);
  });

  test('covers every scorer prompt: judge, statements, NLI, question', () => {
    expect(scoringPromptRequests().map((r) => r.purpose)).toEqual([
      'judge',
      'faithfulness',
      'faithfulness',
      'answer_relevancy',
    ]);
  });

  test.each([0, 1, 2, 3])("a one-character edit of request %i's system prompt changes it", (i) => {
    const requests = scoringPromptRequests();
    const request = requests[i]!;
    request.system = `${request.system!.slice(0, 10)}X${request.system!.slice(11)}`;
    expect(promptsHashOf(requests)).not.toBe(scoringPromptsHash());
  });

  test("a one-character edit of the judge's user template changes it", () => {
    const requests = scoringPromptRequests();
    const message = requests[0]!.messages[0]!;
    message.content = (message.content as string).replace('## Criteria', '## Criterie');
    expect(promptsHashOf(requests)).not.toBe(scoringPromptsHash());
  });
});

describe('rubricHash', () => {
  const base = {
    criteria: [{ id: 'c', text: 'Correct', weight: 1 }],
    reference: 'Thirty days.',
    context: ['Returns within 30 days.'],
  };
  const hash = rubricHash(base);

  test('is the sha256 of criteria (id, text, weight), reference and contexts', () => {
    expect(hash).toBe(
      sha(
        '{"context":["Returns within 30 days."],"criteria":[{"id":"c","text":"Correct","weight":1}],"reference":"Thirty days."}',
      ),
    );
    expect(rubricHash({})).toBe(sha('{"context":[],"criteria":[],"reference":null}'));
  });

  test('changes with one character of a criterion text, a weight, the reference or a context', () => {
    expect(rubricHash({ ...base, criteria: [{ id: 'c', text: 'Correcт', weight: 1 }] })).not.toBe(hash);
    expect(rubricHash({ ...base, criteria: [{ id: 'c', text: 'Correct', weight: 2 }] })).not.toBe(hash);
    expect(rubricHash({ ...base, reference: 'Thirty days!' })).not.toBe(hash);
    expect(rubricHash({ ...base, context: ['Returns within 31 days.'] })).not.toBe(hash);
  });

  test('leaves out what the judge does not grade against: the input, checks', () => {
    expect(rubricHash({ ...base, input: 'Another question?', checks: [] } as typeof base)).toBe(hash);
  });
});

describe('judgeSpread', () => {
  const criteria = [{ id: 'a', text: 'A', weight: 1 }];
  const reply = (score: number) => ({ criteria: [{ id: 'a', reason: 'r', score }] });

  test("the sample sd of the samples' rubric scores over sqrt(samples)", () => {
    expect(judgeSpread(criteria, [reply(8), reply(6)], [undefined, undefined])).toBe(0.1);
    expect(judgeSpread(criteria, [reply(9), reply(9), reply(9)], [undefined, undefined, undefined])).toBe(0);
  });

  test('weights criteria as the case does', () => {
    const two = [
      { id: 'a', text: 'A', weight: 3 },
      { id: 'b', text: 'B', weight: 1 },
    ];
    const replies = [
      {
        criteria: [
          { id: 'a', reason: 'r', score: 10 },
          { id: 'b', reason: 'r', score: 2 },
        ],
      },
      {
        criteria: [
          { id: 'a', reason: 'r', score: 6 },
          { id: 'b', reason: 'r', score: 2 },
        ],
      },
    ];
    // rubric per sample: (3 x 1 + 0.2) / 4 = 0.8 and (3 x 0.6 + 0.2) / 4 = 0.5; sd 0.212132, / sqrt 2 = 0.15
    expect(judgeSpread(two, replies, [undefined, undefined])).toBe(0.15);
  });

  test('undefined for one sample', () => {
    expect(judgeSpread(criteria, [reply(8)], [undefined])).toBeUndefined();
  });
});
