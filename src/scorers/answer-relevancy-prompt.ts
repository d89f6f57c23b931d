/**
 * The question-generation prompt of ragas answer_relevancy, in our own words and with our
 * own worked examples (worked-examples.ts).
 */
import { z } from 'zod';
import type { ChatRequest } from '../providers/types.js';
import { FENCE_RULE, fence } from './fence.js';
import { laxInt, toJsonSchema } from './structured-call.js';
import { QUESTION_EXAMPLES, renderExamples } from './worked-examples.js';

/** ragas' sampling temperature for distinct questions. */
export const RELEVANCY_TEMPERATURE = 0.3;

/** One generation: a question the answer responds to, and whether the answer is evasive. The schema sent. */
export const QuestionSchema = z.object({ question: z.string(), noncommittal: z.int().min(0).max(1) });

/**
 * How a generation is read: as `QuestionSchema`, with `noncommittal` also taken as ragas takes it
 * (`true`, `"1"`: see `laxInt`). Still 0 or 1: a 2 is retried.
 *
 * @example
 * QuestionReplySchema.parse({ question: 'Why?', noncommittal: false }) // { question: 'Why?', noncommittal: 0 }
 */
export const QuestionReplySchema = QuestionSchema.extend({ noncommittal: laxInt(z.int().min(0).max(1)) });

const QUESTION_SYSTEM = [
  'You read an answer and work out the question it responds to. Write one question that this answer answers, ' +
    'phrased as the person who asked would have asked it.',
  'Also judge whether the answer is noncommittal: 1 if it is evasive, vague or ambiguous (for example ' +
    '"I don\'t know" or "I\'m not sure about that"), 0 if it commits to an answer. A clear "no", with or ' +
    'without its reason, commits.',
  FENCE_RULE,
  'Reply with one JSON object {"question": string, "noncommittal": 0 or 1}.',
  renderExamples(QUESTION_EXAMPLES),
].join('\n\n');

/**
 * One request for `strictness` generations (`n`; the client fans out where `n` is unsupported).
 *
 * @example
 * buildQuestionRequest('openai:gpt-5', 'Returns close after 30 days.', 3).n // 3
 */
export function buildQuestionRequest(model: string, answer: string, strictness: number): ChatRequest {
  return {
    model,
    system: QUESTION_SYSTEM,
    messages: [{ role: 'user', content: `## Answer\n${fence('agent_output', answer)}` }],
    responseSchema: { name: 'generated_question', schema: toJsonSchema(QuestionSchema) },
    temperature: RELEVANCY_TEMPERATURE,
    n: strictness,
    maxTokens: 1024,
    purpose: 'answer_relevancy',
  };
}
