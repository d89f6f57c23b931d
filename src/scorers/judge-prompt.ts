/**
 * The rubric judge's prompt and reply schema. One request scores every criterion of
 * a case; the agent's output and the contexts travel as fenced data.
 */
import { z } from 'zod';
import type { ChatRequest, JsonSchema } from '../providers/types.js';
import { renderCaseInput } from './case-input.js';
import { FENCE_RULE, fence } from './fence.js';
import { toJsonSchema } from './structured-call.js';
import type { AgentOutput, Criterion, ScoringCase } from './types.js';

/** The judge's integer scale. */
export const JUDGE_MAX_SCORE = 10;

/** Room for a reason per criterion; a reply cut off here is retried with more. */
export const JUDGE_MAX_TOKENS = 4096;

const JUDGE_SYSTEM = [
  'You grade one answer that an AI assistant gave, against a list of criteria written by the team that runs it.',
  'For each criterion, first write a short reason that points at what in the answer meets or misses it, then give ' +
    `an integer score from 0 to ${JUDGE_MAX_SCORE}: ${JUDGE_MAX_SCORE} when the answer fully meets the criterion, ` +
    '0 when it does not meet it at all, and the values between for partial success. Grade each criterion on its own.',
  'When a reference answer is given, treat it as what a good answer contains. When retrieved context is given, ' +
    'treat it as the facts the assistant had.',
  FENCE_RULE,
  'Reply with one JSON object {"criteria": [{"id": ..., "reason": ..., "score": ...}]}: exactly one entry per ' +
    'criterion id, in the order listed, the reason before the score.',
].join('\n\n');

/**
 * The zod schema of a judge reply: shape and range. What it cannot say (every id once,
 * no unknown ids) is checked by `criteriaProblem`.
 *
 * @example
 * JudgeReplySchema.safeParse({ criteria: [{ id: 'a', reason: 'ok', score: 7.5 }] }).success // false
 */
export const JudgeReplySchema = z.object({
  criteria: z.array(
    z.object({
      id: z.string(),
      reason: z.string().refine((s) => s.trim() !== '', 'the reason is empty'),
      score: z.int().min(0).max(JUDGE_MAX_SCORE),
    }),
  ),
});
/** A judge reply that passed `JudgeReplySchema`, e.g. `{ criteria: [{ id: 'a', reason: 'ok', score: 8 }] }`. */
export type JudgeReply = z.infer<typeof JudgeReplySchema>;

/**
 * What is wrong with the ids of a reply, if anything: a missing, unknown or repeated criterion.
 *
 * @example
 * criteriaProblem({ criteria: [{ id: 'a', reason: 'ok', score: 5 }] }, ['a', 'b']) // 'criterion "b" is missing'
 */
export function criteriaProblem(reply: JudgeReply, ids: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (const { id } of reply.criteria) {
    if (!ids.includes(id)) return `unknown criterion ${JSON.stringify(id)}`;
    if (seen.has(id)) return `criterion ${JSON.stringify(id)} appears more than once`;
    seen.add(id);
  }
  const missing = ids.filter((id) => !seen.has(id));
  if (missing.length > 0) {
    return `${missing.length === 1 ? 'criterion' : 'criteria'} ${missing.map((id) => JSON.stringify(id)).join(', ')} missing`;
  }
  return undefined;
}

/** The judge's reply schema by its criteria ids, so each set is converted to JSON Schema once. */
const judgeSchemas = new Map<string, z.ZodType>();

/**
 * The JSON Schema sent as structured output: ids limited to the case's criteria.
 *
 * @example
 * judgeResponseSchema(['a']) // { type: 'object', properties: { criteria: { type: 'array', ... } }, ... }
 */
export function judgeResponseSchema(ids: readonly string[]): JsonSchema {
  const key = JSON.stringify(ids);
  let schema = judgeSchemas.get(key);
  if (!schema) {
    const [first, ...rest] = ids;
    const id = first === undefined ? z.string() : z.enum([first, ...rest]);
    schema = z.object({
      criteria: z.array(z.object({ id, reason: z.string(), score: z.int().min(0).max(JUDGE_MAX_SCORE) })),
    });
    // Cases mostly share their criteria ids; a suite with many distinct sets starts over rather than grow.
    if (judgeSchemas.size >= 256) judgeSchemas.clear();
    judgeSchemas.set(key, schema);
  }
  return toJsonSchema(schema);
}

/** What the judge request is built from. */
export interface JudgePromptInput {
  model: string;
  case: Pick<ScoringCase, 'input' | 'messages' | 'reference'>;
  output: AgentOutput;
  criteria: readonly Criterion[];
  contexts: readonly string[] | undefined;
  samples: number;
  /** `judge_temperature`; `undefined`: 0 for one sample, 1 for several. */
  temperature?: number | undefined;
  logprobs: boolean;
}

/**
 * The one judge request of a case: the case input, contexts, reference, the agent's
 * output (fenced), the criteria; the temperature given (`judge_temperature`), else 0
 * for one sample and 1 for several (samples estimate the judge's own distribution,
 * as G-Eval's do).
 *
 * @example
 * buildJudgeRequest({ model: 'openai:gpt-5', case: { input: 'Q?' }, output: { output: 'A.' },
 *   criteria: [{ id: 'a', text: 'Answers', weight: 1 }], contexts: undefined, samples: 1, logprobs: true })
 */
export function buildJudgeRequest(input: JudgePromptInput): ChatRequest {
  const ids = input.criteria.map((c) => c.id);
  return {
    model: input.model,
    system: JUDGE_SYSTEM,
    messages: [{ role: 'user', content: renderJudgeMessage(input) }],
    responseSchema: {
      name: 'criteria_scores',
      description: 'One reason and integer score per criterion.',
      schema: judgeResponseSchema(ids),
    },
    temperature: input.temperature ?? (input.samples > 1 ? 1 : 0),
    maxTokens: JUDGE_MAX_TOKENS,
    ...(input.samples > 1 ? { n: input.samples } : {}),
    ...(input.logprobs ? { logprobs: { top: 20 } } : {}),
    purpose: 'judge',
  };
}

function renderJudgeMessage(input: JudgePromptInput): string {
  const parts = [`## What the user asked\n${fence('case_input', renderCaseInput(input.case))}`];
  if (input.contexts && input.contexts.length > 0) {
    parts.push(`## Retrieved context\n${fence('context', input.contexts.join('\n\n'))}`);
  }
  if (input.case.reference !== undefined) {
    parts.push(`## Reference answer\n${fence('reference', input.case.reference)}`);
  }
  parts.push(`## The assistant's answer\n${fence('agent_output', input.output.output)}`);
  const calls = input.output.toolCalls ?? [];
  if (calls.length > 0) {
    const lines = calls.map((call) => `${call.name}(${call.rawArguments})`).join('\n');
    parts.push(`## Tools the assistant called\n${fence('tool_calls', lines)}`);
  }
  const criteria = input.criteria.map((c) => `- id ${JSON.stringify(c.id)}: ${c.text}`).join('\n');
  parts.push(`## Criteria\n${criteria}`);
  return parts.join('\n\n');
}
