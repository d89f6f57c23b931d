/**
 * One model-graded call with a structured reply, validated, with bounded repair
 * retries. Shared by the judge, faithfulness and answer_relevancy.
 */
import { z } from 'zod';
import { formatPath } from '../internal/data-path.js';
import type { ChatChoice, ChatRequest, ChatResponse, JsonSchema, ModelClient } from '../providers/types.js';
import { JudgeReplyError, type ScorerName } from './errors.js';

/** A reply either checks out (with its typed value) or names its problem in a few words. */
export type Validation<T> = { ok: true; value: T } | { ok: false; problem: string };

/** Retries after a bad reply; the first try comes on top. */
export const REPLY_RETRIES = 2;
/** The output budget never grows beyond this on a retry after a cut-off reply. */
const MAX_TOKENS_CAP = 32_768;

/**
 * One structured call: the request, and how to tell a usable reply.
 *
 * @example
 * const options: StructuredCallOptions<{ statements: string[] }> = {
 *   client, scorer: 'faithfulness', request, validate: validateWith(StatementsSchema) }
 */
export interface StructuredCallOptions<T> {
  client: ModelClient;
  scorer: ScorerName;
  /** Must carry `responseSchema`. */
  request: ChatRequest;
  /** Checks one parsed reply (the shape, and what a schema cannot say, like unique ids). */
  validate: (value: unknown) => Validation<T>;
  retries?: number | undefined;
  /** Cancels the call; never part of the cache key. */
  signal?: AbortSignal | undefined;
}

/**
 * The validated values of a structured call, one per sample.
 *
 * @example
 * const { values: [first], attempts } = await callStructured(options)
 */
export interface StructuredReply<T> {
  /** One value per choice (per sample), in order. */
  values: T[];
  /** The choices they came from (for logprobs). */
  choices: ChatChoice[];
  response: ChatResponse;
  /** Requests made, first try included. */
  attempts: number;
}

/**
 * Sends the request; every choice must parse and validate, and none may be cut off by
 * the token limit. A bad reply is retried (up to `retries` times) with a repair turn:
 * the bad reply and what is wrong with it are shown to the model, which also keeps the
 * retry out of the response cache that holds the bad one. After that, a `JudgeReplyError`
 * quoting the reply. A `ProviderError` from the client propagates unchanged.
 *
 * @example
 * const { values } = await callStructured({
 *   client, scorer: 'faithfulness', request, validate: validateWith(StatementsSchema),
 * })
 */
export async function callStructured<T>(options: StructuredCallOptions<T>): Promise<StructuredReply<T>> {
  const retries = options.retries ?? REPLY_RETRIES;
  const original: ChatRequest = options.signal
    ? { ...options.request, signal: options.signal }
    : options.request;
  let request = original;
  let last = { problem: '', reply: '' };
  for (let attempt = 1; attempt <= retries + 1; attempt++) {
    const response = await options.client.chat(request);
    const checked = checkChoices(response.choices, options.validate, request.maxTokens);
    if (checked.ok) return { values: checked.value, choices: response.choices, response, attempts: attempt };
    last = { problem: checked.problem, reply: checked.reply };
    request = repairRequest(original, checked, request.maxTokens);
  }
  throw new JudgeReplyError({
    scorer: options.scorer,
    model: options.request.model,
    problem: last.problem,
    reply: last.reply,
    attempts: retries + 1,
  });
}

/**
 * A validator from a zod schema, with an optional check of what the schema cannot say.
 *
 * @example
 * const validate = validateWith(z.object({ statements: z.array(z.string()) }))
 * validate({ statements: 3 }) // { ok: false, problem: 'statements: Invalid input: expected array, received number' }
 */
export function validateWith<S extends z.ZodType>(
  schema: S,
  refine?: (value: z.infer<S>) => string | undefined,
): (value: unknown) => Validation<z.infer<S>> {
  return (value) => {
    const result = schema.safeParse(value);
    if (!result.success) {
      const issues = result.error.issues.slice(0, 3).map((issue) => {
        const where = formatPath(issue.path, '');
        return where ? `${where}: ${issue.message}` : issue.message;
      });
      return { ok: false, problem: issues.join('; ') };
    }
    const problem = refine?.(result.data);
    return problem === undefined ? { ok: true, value: result.data } : { ok: false, problem };
  };
}

/**
 * An integer field read the way ragas' reply models read one (pydantic's lax `int`):
 * `true`/`false` as 1/0 and a string holding a whole number (`"1"`, `" 0 "`, `"1.0"`, `"+1"`)
 * as that number; anything else goes to `schema` as it came. Only how a reply is read: the
 * JSON Schema sent to the model is built from the plain integer schema, never from this one.
 *
 * @example
 * laxInt(z.int().min(0).max(1)).parse('1') // 1
 * laxInt(z.int().min(0).max(1)).parse(true) // 1
 * laxInt(z.int().min(0).max(1)).safeParse('yes').success // false
 */
export function laxInt<S extends z.ZodType<number>>(schema: S): z.ZodPreprocess<S> {
  return z.preprocess(readLaxInt, schema);
}

/** Pydantic also takes `"1_0"` (10): digit separators are left out here, no judge writes them. */
const WHOLE_NUMBER = /^[+-]?\d+(?:\.0+)?$/;

function readLaxInt(value: unknown): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && WHOLE_NUMBER.test(value.trim())) return Number.parseFloat(value) + 0;
  return value;
}

/** Converted schemas: every scorer call sends one, and converting costs more than the rest of building it. */
const converted = new WeakMap<z.ZodType, JsonSchema>();

/**
 * A zod schema as the JSON Schema a provider takes (no `$schema` key; objects closed).
 * Converted once per schema object; the result is frozen, since calls share it.
 *
 * @example
 * toJsonSchema(z.object({ a: z.string() }))
 * // { type: 'object', properties: { a: { type: 'string' } }, required: ['a'], additionalProperties: false }
 */
export function toJsonSchema(schema: z.ZodType): JsonSchema {
  let json = converted.get(schema);
  if (!json) {
    const { $schema: _drop, ...rest } = z.toJSONSchema(schema) as JsonSchema;
    json = deepFreeze(rest);
    converted.set(schema, json);
  }
  return json;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}

type Checked<T> = { ok: true; value: T[] } | { ok: false; problem: string; reply: string; cutOff: boolean };

function checkChoices<T>(
  choices: readonly ChatChoice[],
  validate: (value: unknown) => Validation<T>,
  maxTokens: number | undefined,
): Checked<T> {
  if (choices.length === 0)
    return { ok: false, problem: 'the reply has no choices', reply: '', cutOff: false };
  const values: T[] = [];
  for (const [i, choice] of choices.entries()) {
    const which = choices.length > 1 ? `sample ${i + 1}: ` : '';
    const bad = (problem: string, cutOff = false): Checked<T> => ({
      ok: false,
      problem: which + problem,
      reply: choice.text,
      cutOff,
    });
    if (choice.finishReason === 'length') {
      const limit = maxTokens === undefined ? '' : ` of ${maxTokens} tokens`;
      return bad(`the reply was cut off by the output limit${limit}`, true);
    }
    if (choice.refusal !== undefined) return bad(`the model refused: ${choice.refusal}`);
    const parsed = parseReply(choice);
    if (!parsed.ok) return bad(parsed.problem);
    const valid = validate(parsed.value);
    if (!valid.ok) return bad(valid.problem);
    values.push(valid.value);
  }
  return { ok: true, value: values };
}

function parseReply(choice: ChatChoice): Validation<unknown> {
  if (choice.parsed !== undefined) return { ok: true, value: choice.parsed };
  if (choice.text.trim() === '') return { ok: false, problem: 'the reply is empty' };
  try {
    return { ok: true, value: JSON.parse(choice.text) as unknown };
  } catch (error) {
    return { ok: false, problem: `the reply is not JSON (${(error as Error).message})` };
  }
}

/** The original request plus the bad reply and a note on what to fix; more room if it was cut off. */
function repairRequest(
  original: ChatRequest,
  failure: { problem: string; reply: string; cutOff: boolean },
  lastMaxTokens: number | undefined,
): ChatRequest {
  const maxTokens =
    failure.cutOff && lastMaxTokens !== undefined
      ? Math.min(lastMaxTokens * 2, MAX_TOKENS_CAP)
      : lastMaxTokens;
  return {
    ...original,
    maxTokens,
    messages: [
      ...original.messages,
      { role: 'assistant', content: failure.reply.trim() === '' ? '(empty reply)' : failure.reply },
      {
        role: 'user',
        content:
          `That reply cannot be used: ${failure.problem}. ` +
          'Answer the original request again, with one JSON object that follows the schema exactly.',
      },
    ],
  };
}
