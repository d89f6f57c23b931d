/**
 * What a score depends on besides the output, as hashes the scorecard records
 * (docs/scoring.md "When the judge changes"): the scorers' prompt templates, and
 * per case the criteria, reference and contexts the judge reads.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../providers/cache/key.js';
import type { ChatRequest } from '../providers/types.js';
import { buildQuestionRequest } from './answer-relevancy-prompt.js';
import { buildStatementsRequest, buildVerdictsRequest } from './faithfulness-prompt.js';
import { buildJudgeRequest } from './judge-prompt.js';

export { rubricHash } from './rubric-hash.js';

/** A model name no request is sent to: the prompts are hashed without the judge, which is recorded apart. */
const NO_MODEL = 'none:none';

/**
 * Every request a scorer builds, rendered from fixed inputs (a case with a reference and a context,
 * a tool call, two statements): a one-character edit of any template, system or user message, or
 * of a reply schema, changes one of them.
 *
 * @example
 * scoringPromptRequests().map((r) => r.purpose) // ['judge', 'faithfulness', 'faithfulness', 'answer_relevancy']
 */
export function scoringPromptRequests(): ChatRequest[] {
  return [
    buildJudgeRequest({
      model: NO_MODEL,
      case: { input: 'Q', reference: 'R' },
      output: {
        output: 'A',
        toolCalls: [{ id: 't', name: 'tool', arguments: {}, rawArguments: '{}' }],
      },
      criteria: [{ id: 'c', text: 'C', weight: 1 }],
      contexts: ['X'],
      samples: 1,
      logprobs: false,
    }),
    buildStatementsRequest(NO_MODEL, 'Q', 'A'),
    buildVerdictsRequest(NO_MODEL, ['X'], ['S', 'T']),
    buildQuestionRequest(NO_MODEL, 'A', 1),
  ];
}

/**
 * The sha256 of requests as the prompt hash sees them: without their model, call purpose or
 * cancellation, in canonical JSON.
 *
 * @example
 * promptsHashOf([{ model: 'none:none', system: 'S', messages: [] }]) // 64 hex digits
 */
export function promptsHashOf(requests: readonly ChatRequest[]): string {
  const texts = requests.map(({ model: _model, signal: _signal, ...rest }) => rest);
  return sha256(canonicalJson(texts));
}

/**
 * The sha256 of every prompt template that affects a score: the rubric judge's, and the statements,
 * NLI and question prompts of faithfulness and answer_relevancy.
 *
 * @example
 * scoringPromptsHash() // e.g. '5d0c…' (64 hex digits), the same until a prompt is edited
 */
export function scoringPromptsHash(): string {
  return (promptsHash ??= promptsHashOf(scoringPromptRequests()));
}

let promptsHash: string | undefined;

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
