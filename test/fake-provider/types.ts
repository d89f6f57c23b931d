/**
 * The public shapes of the fake provider server: what a test scripts (`Match`,
 * `Reply`, `Fault`, `FaultPlan`) and what it reads back (`RecordedRequest`,
 * `FakeProviderStats`).
 */

/**
 * The wire APIs the fake speaks. Azure paths count as the OpenAI ones; Bedrock's
 * are Converse (and ConverseStream), InvokeModel for embeddings, and ListFoundationModels;
 * Claude on Vertex (`:rawPredict`, `:streamRawPredict`) counts as Anthropic messages.
 *
 * @example
 * fake.on({ api: 'openai.embeddings' }, { embeddings: [[1, 0]] });
 */
export type Api =
  | 'openai.chat'
  | 'openai.embeddings'
  | 'anthropic.messages'
  | 'bedrock.converse'
  | 'bedrock.embeddings'
  | 'bedrock.models'
  | 'vertex.generate'
  | 'vertex.embeddings'
  | 'vertex.models';

/**
 * Every `Api`, in a fixed order (for tables and zeroed counters).
 *
 * @example
 * for (const api of APIS) expect(fake.stats.byApi[api]).toBe(0);
 */
export const APIS: readonly Api[] = [
  'openai.chat',
  'openai.embeddings',
  'anthropic.messages',
  'bedrock.converse',
  'bedrock.embeddings',
  'bedrock.models',
  'vertex.generate',
  'vertex.embeddings',
  'vertex.models',
];

/**
 * A JSON object, as a request body parses to.
 *
 * @example
 * const body: JsonObject = fake.requests[0]!.body;
 */
export type JsonObject = Readonly<Record<string, unknown>>;

/**
 * One request the fake received, as rules, responders and tests see it.
 *
 * @example
 * const last = fake.requests.at(-1);
 * expect(last?.body['temperature']).toBe(0);
 */
export interface RecordedRequest {
  /** The request id sent back in `x-request-id` (OpenAI) or `request-id` (Anthropic). */
  id: string;
  api: Api;
  /** The path without the query, e.g. `/v1/chat/completions`. */
  path: string;
  /** Query parameters, e.g. `{ 'api-version': '2024-10-21' }` on Azure paths. */
  query: Readonly<Record<string, string>>;
  /** `body.model`; on Azure and Vertex paths the model (deployment) named in the path, on Bedrock paths the model id. `''` when absent. */
  model: string;
  /** The parsed JSON body. */
  body: JsonObject;
  /** Request headers, names lower-case, repeated values joined with `, `. */
  headers: Readonly<Record<string, string>>;
  /** Whether the body asked for a stream (`stream: true`), or the path did (Bedrock `converse-stream`, Vertex `:streamGenerateContent`). */
  stream: boolean;
  /** Arrival time, milliseconds since the epoch. */
  at: number;
  /** When its response closed (answered, faulted or dropped), milliseconds since the epoch; absent while in flight. */
  closedAt?: number | undefined;
}

/**
 * Which requests a rule applies to. Every given field must match; `{}` matches all.
 *
 * @example
 * fake.on({ api: 'anthropic.messages', model: /^claude-/ }, { text: 'hi' });
 */
export interface Match {
  api?: Api;
  /** Equal to the model, or a RegExp it matches. */
  model?: string | RegExp;
  where?: (req: RecordedRequest) => boolean;
}

/**
 * One scripted tool call. A string `arguments` is sent verbatim (to script malformed JSON).
 *
 * @example
 * fake.on({}, { toolCalls: [{ name: 'lookup', arguments: { id: 7 } }] });
 */
export interface ScriptedToolCall {
  name: string;
  arguments: unknown;
}

/**
 * One scripted token log-probability (OpenAI `logprobs.content[i]`).
 *
 * @example
 * fake.on({}, { text: 'Yes', logprobs: [{ token: 'Yes', logprob: -0.1, top: [{ token: 'Yes', logprob: -0.1 }] }] });
 */
export interface ScriptedLogprob {
  token: string;
  logprob: number;
  top: { token: string; logprob: number }[];
}

/**
 * A chat answer, provider-neutral: the fake renders it as an OpenAI chat
 * completion or an Anthropic message, streamed or not, as the request asks.
 *
 * @example
 * fake.on({ api: 'openai.chat' }, { json: { verdict: 'pass' }, usage: { input: 120, output: 8 } });
 */
export interface ChatReply {
  text?: string;
  toolCalls?: ScriptedToolCall[];
  /**
   * Structured output. OpenAI: the message content (or the forced function's
   * arguments when `tool_choice` names one and there is no `response_format`).
   * Anthropic: the input of the forced tool, else a JSON text block.
   */
  json?: unknown;
  /** One reply per choice, for `n` (OpenAI). Without it the reply is repeated `n` times. */
  choices?: ChatReply[];
  /** Sent when the request asks for `logprobs`; `'auto'` (the default) derives them from the text. */
  logprobs?: ScriptedLogprob[] | 'auto';
  /** Token counts; by default request text / 4 and reply text / 4, rounded up. */
  usage?: { input: number; output: number; reasoning?: number };
  /**
   * Either vendor's spelling; it is translated (`stop` <-> `end_turn`,
   * `length` <-> `max_tokens`, `tool_calls` <-> `tool_use`). Unknown values are sent as given.
   */
  finishReason?: string;
  /** OpenAI: `message.refusal`; Anthropic: `stop_reason: refusal` with this as `stop_details.explanation`. */
  refusal?: string;
}

/**
 * An embeddings answer: one vector per input, in order, or a function of each input.
 *
 * @example
 * fake.on({ api: 'openai.embeddings' }, { embeddings: (text) => hashEmbedding(text, 16) });
 */
export interface EmbeddingsReply {
  embeddings: number[][] | ((input: string) => number[]);
}

/**
 * The model list Bedrock's ListFoundationModels answers (`GET /foundation-models`), or the publisher
 * models `GET /v1/publishers/google/models` lists (Vertex), by id.
 *
 * @example
 * fake.on({ api: 'bedrock.models' }, { models: ['anthropic.claude-sonnet-4-6-v1:0'] });
 * fake.on({ api: 'vertex.models' }, { models: ['gemini-2.5-pro', 'gemini-2.5-flash'] });
 */
export interface ModelsReply {
  models: string[];
}

/**
 * A failure to serve instead of an answer.
 *
 * - `status`: that HTTP status with the vendor's error body, `retry-after` / `retry-after-ms` when given;
 * - `hang`: never answers (until the client aborts or the fake closes);
 * - `reset`: destroys the socket;
 * - `malformed`: 200 with a body that is not JSON (an SSE event that is not JSON when streaming);
 * - `empty-choices`: 200, valid JSON, no choices / no content / no vectors;
 * - `truncated-stream`: a stream that stops mid-message without its final events
 *   (for a non-streaming request: a JSON body cut in half);
 * - `stream-exception`: Bedrock ConverseStream: the first events, then an exception event
 *   (`:message-type: exception`, `:exception-type` `errorType`, default `modelStreamErrorException`);
 *   elsewhere a `truncated-stream`.
 *
 * @example
 * fake.on({}, { fault: { kind: 'status', status: 429, retryAfterS: 2 } }, { times: 1 });
 */
export type Fault =
  | {
      kind: 'status';
      status: number;
      retryAfterS?: number;
      retryAfterMs?: number;
      message?: string;
      /** Bedrock: the `x-amzn-ErrorType` sent (e.g. `ServiceQuotaExceededException`); by default the status's usual one. */
      errorType?: string;
    }
  | { kind: 'hang' }
  | { kind: 'reset' }
  | { kind: 'malformed' }
  | { kind: 'empty-choices' }
  | { kind: 'truncated-stream' }
  | { kind: 'stream-exception'; errorType?: string; message?: string };

/**
 * A reply that is a fault.
 *
 * @example
 * fake.on({ api: 'anthropic.messages' }, { fault: { kind: 'status', status: 529 } }, { times: 1 });
 */
export interface FaultReply {
  fault: Fault;
}

/**
 * What the fake answers: a chat reply, embeddings, or a fault.
 *
 * @example
 * const replies: Reply[] = [{ text: 'hi' }, { embeddings: [[1]] }, { fault: { kind: 'reset' } }];
 */
export type Reply = ChatReply | EmbeddingsReply | ModelsReply | FaultReply;

/**
 * Computes the reply from the request. May be async; a throw becomes a 400 naming the error.
 *
 * @example
 * fake.on({ api: 'openai.chat' }, (req) => ({ text: `you asked ${lastUserText(req.body)}` }));
 */
export type Responder = (req: RecordedRequest) => Reply | Promise<Reply>;

/**
 * Random faults, drawn from a PRNG seeded by `startFakeProvider({ seed })`: one
 * draw per eligible request, rates in [0, 1] adding up to at most 1.
 *
 * @example
 * fake.setFaults({ rate429: 0.2, retryAfterS: 1, apis: ['openai.chat'] });
 */
export interface FaultPlan {
  rate429?: number;
  /** `retry-after` seconds on random 429s; no header when absent. */
  retryAfterS?: number;
  rate503?: number;
  rateHang?: number;
  rateReset?: number;
  rateMalformed?: number;
  /** Only these APIs get faults; all when absent. */
  apis?: Api[];
  /** Only these models get faults; all when absent. */
  models?: (string | RegExp)[];
}
