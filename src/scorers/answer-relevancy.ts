/**
 * ragas answer_relevancy: how close the questions the answer responds to are to
 * the question that was asked, zeroed when the answer is noncommittal.
 */
import { ProviderResponseError } from '../providers/errors.js';
import type { ModelClient } from '../providers/types.js';
import { QuestionReplySchema, buildQuestionRequest } from './answer-relevancy-prompt.js';
import { cosine, relevancyInputs, relevancyScore, type NoncommittalGate } from './math.js';
import { callStructured, validateWith } from './structured-call.js';

/**
 * Who answers for answer_relevancy and how strictly.
 *
 * @example
 * const options: AnswerRelevancyOptions = { client, model: 'openai:gpt-5', embeddings: 'openai:text-embedding-3-small' }
 */
export interface AnswerRelevancyOptions {
  client: ModelClient;
  /** `provider:model` generating the questions. */
  model: string;
  /** `provider:model` of the embeddings. */
  embeddings: string;
  /** Generations; default 3. */
  strictness?: number | undefined;
  /** Default `all`. */
  noncommittalGate?: NoncommittalGate | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * The score with what it came from, for debugging a surprising number.
 *
 * @example
 * result.generations // [{ question: 'How long is the return window?', noncommittal: 0 }, ...]
 */
export interface AnswerRelevancyResult {
  score: number;
  /** Every generation, empty questions included. */
  generations: { question: string; noncommittal: 0 | 1 }[];
  /** Cosine of each kept (not blank) question with the user input, in order. */
  cosines: number[];
}

/**
 * answer_relevancy with ragas' arithmetic and our own prompt: `strictness` generations in one
 * request (n, temperature 0.3); empty and whitespace-only questions dropped; one embeddings call
 * with the user input and the kept questions; the mean unclipped cosine, times 0 when the
 * noncommittal gate trips (see `relevancyInputs` and `relevancyScore` for which flags each gate
 * reads, and the score when no question is kept: 0 under `all`, NaN under `any`, no embeddings
 * call). docs/scoring.md lists where this differs from ragas, and why.
 *
 * @example
 * const { score } = await answerRelevancy(
 *   { client, model: 'openai:gpt-5', embeddings: 'openai:text-embedding-3-small' },
 *   { question: 'Return after 40 days?', answer: 'No: the window is 30 days.' })
 */
export async function answerRelevancy(
  options: AnswerRelevancyOptions,
  input: { question: string; answer: string },
): Promise<AnswerRelevancyResult> {
  const strictness = Math.max(1, Math.floor(options.strictness ?? 3));
  const reply = await callStructured({
    client: options.client,
    scorer: 'answer_relevancy',
    signal: options.signal,
    request: buildQuestionRequest(options.model, input.answer, strictness),
    validate: validateWith(QuestionReplySchema),
  });
  const generations = reply.values.map(
    (g) => ({ question: g.question, noncommittal: g.noncommittal === 1 ? 1 : 0 }) as const,
  );
  const gate = options.noncommittalGate ?? 'all';
  const { questions, flags } = relevancyInputs(generations, gate);
  if (questions.length === 0) return { score: relevancyScore([], flags, gate), generations, cosines: [] };
  const embedded = await options.client.embed({
    model: options.embeddings,
    input: [input.question, ...questions],
    purpose: 'embeddings',
    signal: options.signal,
  });
  if (embedded.vectors.length !== questions.length + 1) {
    const [provider = '', model = ''] = options.embeddings.split(/:(.*)/s);
    throw new ProviderResponseError(
      `${options.embeddings} returned ${embedded.vectors.length} vectors for ${questions.length + 1} inputs`,
      { provider, model },
    );
  }
  const [asked, ...generated] = embedded.vectors;
  const cosines = generated.map((vector) => cosine(vector, asked ?? []));
  return { score: relevancyScore(cosines, flags, gate), generations, cosines };
}
