/**
 * ragas faithfulness: the share of the answer's statements that can be inferred
 * from the retrieved contexts.
 */
import type { ModelClient } from '../providers/types.js';
import {
  StatementsSchema,
  VerdictsReplySchema,
  buildStatementsRequest,
  buildVerdictsRequest,
} from './faithfulness-prompt.js';
import { callStructured, validateWith } from './structured-call.js';

/**
 * Who answers the faithfulness calls.
 *
 * @example
 * const options: FaithfulnessOptions = { client, model: 'openai:gpt-5' }
 */
export interface FaithfulnessOptions {
  client: ModelClient;
  /** `provider:model` of the judge. */
  model: string;
  signal?: AbortSignal | undefined;
}

/**
 * The score with the statements and verdicts it came from.
 *
 * @example
 * result.verdicts // [{ statement: 'Returns close after 30 days.', reason: 'stated', verdict: 1 }]
 */
export interface FaithfulnessResult {
  /** count(verdict 1) / length of the verdict list; NaN when there are no statements or no verdicts. */
  score: number;
  statements: string[];
  verdicts: { statement: string; reason: string; verdict: number }[];
}

/**
 * Faithfulness with ragas' arithmetic and our own prompts: extract statements (one call); none:
 * NaN and no second call; else one NLI call over the contexts joined with "\n"; the score is the
 * truthy verdicts over the length of the list the NLI call returned (not the number of
 * statements sent). A verdict is read as ragas reads it (`true`, `"1"` count as 1) but must be
 * 0 or 1; a reply cut off or off-schema is retried, then a `JudgeReplyError`.
 *
 * @example
 * const { score } = await faithfulness({ client, model: 'openai:gpt-5' },
 *   { question: 'Return after 40 days?', answer: 'No: 30 days.', contexts: ['Returns within 30 days.'] })
 */
export async function faithfulness(
  options: FaithfulnessOptions,
  input: { question: string; answer: string; contexts: readonly string[] },
): Promise<FaithfulnessResult> {
  const extracted = await callStructured({
    client: options.client,
    scorer: 'faithfulness',
    signal: options.signal,
    request: buildStatementsRequest(options.model, input.question, input.answer),
    validate: validateWith(StatementsSchema),
  });
  const statements = extracted.values[0]?.statements ?? [];
  if (statements.length === 0) return { score: Number.NaN, statements, verdicts: [] };
  const judged = await callStructured({
    client: options.client,
    scorer: 'faithfulness',
    signal: options.signal,
    request: buildVerdictsRequest(options.model, input.contexts, statements),
    validate: validateWith(VerdictsReplySchema),
  });
  const verdicts = judged.values[0]?.statements ?? [];
  return { score: faithfulnessScore(verdicts.map((v) => v.verdict)), statements, verdicts };
}

/**
 * count(truthy verdicts) / number of verdicts; NaN for none.
 *
 * @example
 * faithfulnessScore([1, 0, 1, 1]) // 0.75
 */
export function faithfulnessScore(verdicts: readonly number[]): number {
  if (verdicts.length === 0) return Number.NaN;
  return verdicts.filter((v) => v !== 0).length / verdicts.length;
}
