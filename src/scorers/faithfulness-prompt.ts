/**
 * The two prompts of ragas faithfulness, in our own words and with our own worked
 * examples (worked-examples.ts): split the answer into statements, then judge each
 * statement against the contexts.
 */
import { z } from 'zod';
import type { ChatRequest } from '../providers/types.js';
import { FENCE_RULE, fence } from './fence.js';
import { laxInt, toJsonSchema } from './structured-call.js';
import { STATEMENT_EXAMPLES, VERDICT_EXAMPLES, renderExamples } from './worked-examples.js';

/** Generous: ragas' 1024 overflows on long answers. A reply cut off here is retried with more, then an error. */
export const FAITHFULNESS_MAX_TOKENS = 4096;

/** Reply of the statement extraction call. */
export const StatementsSchema = z.object({ statements: z.array(z.string()) });

const Verdict = z.object({ statement: z.string(), reason: z.string(), verdict: z.int().min(0).max(1) });

/** Reply of the NLI call: reason before verdict; verdict 1 when the statement can be inferred from the context. The schema sent. */
export const VerdictsSchema = z.object({ statements: z.array(Verdict) });

/**
 * How an NLI reply is read: as `VerdictsSchema`, with `verdict` also taken as ragas takes it
 * (`true`, `"1"`: see `laxInt`). Still 0 or 1: a 2 is retried.
 *
 * @example
 * VerdictsReplySchema.parse({ statements: [{ statement: 'S', reason: 'R', verdict: '1' }] }).statements[0]?.verdict // 1
 */
export const VerdictsReplySchema = z.object({
  statements: z.array(Verdict.extend({ verdict: laxInt(z.int().min(0).max(1)) })),
});

const EXTRACT_SYSTEM = [
  'You break an answer into statements. Take every sentence of the answer and rewrite it as one or more ' +
    'statements that each make sense alone: replace pronouns and other references with what they refer to, ' +
    'using the question for context. Keep the meaning; add nothing the answer does not say.',
  'A statement is a claim about the world that a source could support or contradict. An answer that only ' +
    'declines, greets or is empty makes no claim: return an empty list. When an answer declines and says ' +
    'why, or what holds instead, those are claims: return them.',
  FENCE_RULE,
  'Reply with one JSON object {"statements": [string, ...]}.',
  renderExamples(STATEMENT_EXAMPLES),
].join('\n\n');

const NLI_SYSTEM = [
  'You check statements against a context. For each statement, in the order given, restate it, write a short ' +
    'reason, then give a verdict: 1 if the statement can be inferred from the context, 0 if it cannot. A ' +
    'statement can be inferred when the context says it, in any words, or when it follows from what the ' +
    'context says (a rule the context states, applied to the case in the statement). It cannot when the ' +
    'context contradicts it or does not say. Use only the context, not what you know.',
  FENCE_RULE,
  'Reply with one JSON object {"statements": [{"statement": ..., "reason": ..., "verdict": 0 or 1}]}, ' +
    'one entry per statement, the reason before the verdict.',
  renderExamples(VERDICT_EXAMPLES),
].join('\n\n');

/**
 * The statement extraction request (ragas step 1).
 *
 * @example
 * buildStatementsRequest('openai:gpt-5', 'Who wrote it?', 'Ann wrote it in 1990.')
 */
export function buildStatementsRequest(model: string, question: string, answer: string): ChatRequest {
  return {
    model,
    system: EXTRACT_SYSTEM,
    messages: [
      {
        role: 'user',
        content: `## Question\n${fence('case_input', question)}\n\n## Answer\n${fence('agent_output', answer)}`,
      },
    ],
    responseSchema: { name: 'statements', schema: toJsonSchema(StatementsSchema) },
    temperature: 0,
    maxTokens: FAITHFULNESS_MAX_TOKENS,
    purpose: 'faithfulness',
  };
}

/**
 * The NLI request (ragas step 4): the contexts joined with "\n", the statements as a JSON list.
 *
 * @example
 * buildVerdictsRequest('openai:gpt-5', ['Ann wrote it.'], ['Ann wrote it in 1990.'])
 */
export function buildVerdictsRequest(
  model: string,
  contexts: readonly string[],
  statements: readonly string[],
): ChatRequest {
  const context = fence('context', contexts.join('\n'));
  const list = fence('statements', JSON.stringify(statements, null, 2));
  return {
    model,
    system: NLI_SYSTEM,
    messages: [{ role: 'user', content: `## Context\n${context}\n\n## Statements\n${list}` }],
    responseSchema: { name: 'verdicts', schema: toJsonSchema(VerdictsSchema) },
    temperature: 0,
    maxTokens: FAITHFULNESS_MAX_TOKENS,
    purpose: 'faithfulness',
  };
}
