/**
 * The worked examples are replies the scorers would accept, and the prompts carry them.
 */
import { describe, expect, test } from 'vitest';
import { QuestionSchema, buildQuestionRequest } from '../../../src/scorers/answer-relevancy-prompt.js';
import {
  StatementsSchema,
  VerdictsSchema,
  buildStatementsRequest,
  buildVerdictsRequest,
} from '../../../src/scorers/faithfulness-prompt.js';
import {
  QUESTION_EXAMPLES,
  STATEMENT_EXAMPLES,
  VERDICT_EXAMPLES,
  renderExamples,
} from '../../../src/scorers/worked-examples.js';

describe('each example reply is exactly what the schema sent accepts', () => {
  test.each(STATEMENT_EXAMPLES.map((e, i) => [i + 1, e.reply] as const))('statements %i', (_, reply) => {
    expect(StatementsSchema.strict().parse(reply)).toEqual(reply);
  });

  test.each(VERDICT_EXAMPLES.map((e, i) => [i + 1, e.reply] as const))('verdicts %i', (_, reply) => {
    const strict = VerdictsSchema.extend({
      statements: VerdictsSchema.shape.statements.element.strict().array(),
    });
    expect(strict.strict().parse(reply)).toEqual(reply);
  });

  test.each(QUESTION_EXAMPLES.map((e, i) => [i + 1, e.reply] as const))('question %i', (_, reply) => {
    expect(QuestionSchema.strict().parse(reply)).toEqual(reply);
  });
});

describe('what the examples show', () => {
  test('a bare refusal makes no statement; a refusal with its reason makes the reason', () => {
    expect(STATEMENT_EXAMPLES.map((e) => e.reply.statements.length)).toEqual([4, 0, 4]);
  });

  test('the NLI example restates its statements in order, with the verdicts of the inferred standard', () => {
    const [example] = VERDICT_EXAMPLES;
    const given = JSON.parse(example!.given[1]![1]) as string[];
    expect(example!.reply.statements.map((s) => s.statement)).toEqual(given);
    // said outright, a day left out of a range, a rule applied to a case, a contradiction, not said
    expect(example!.reply.statements.map((s) => s.verdict)).toEqual([1, 1, 1, 0, 0]);
  });

  test('a clear "no" commits; a hedge does not', () => {
    expect(QUESTION_EXAMPLES.map((e) => e.reply.noncommittal)).toEqual([0, 0, 1]);
  });
});

test('renderExamples: labelled inputs, then the reply as one line of JSON', () => {
  expect(renderExamples([{ given: [['Answer', 'Hi.']], reply: { statements: [] } }])).toBe(
    'Worked examples (they show the standard and the reply format; they are not the material to assess):' +
      '\n\nExample 1\nAnswer: Hi.\nReply: {"statements":[]}',
  );
});

describe('each prompt carries its examples after its instructions, outside the user message', () => {
  test.each([
    ['statements', buildStatementsRequest('none:none', 'Q', 'A'), STATEMENT_EXAMPLES],
    ['verdicts', buildVerdictsRequest('none:none', ['X'], ['S']), VERDICT_EXAMPLES],
    ['question', buildQuestionRequest('none:none', 'A', 3), QUESTION_EXAMPLES],
  ] as const)('%s', (_, request, examples) => {
    expect(request.system!.endsWith(`\n\n${renderExamples(examples)}`)).toBe(true);
    expect(JSON.stringify(request.messages)).not.toContain('Worked examples');
  });
});
