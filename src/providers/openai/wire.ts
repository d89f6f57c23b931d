/**
 * Pure translation between the neutral chat shapes and the OpenAI chat
 * completions wire format (also spoken by Azure OpenAI and OpenAI-compatible
 * servers). No I/O here: `adapter.ts` sends what this builds.
 */
import { modelCapabilities } from '../capabilities.js';
import type {
  ChatCompletion,
  ChatCompletionCreateParamsBase,
  ChatCompletionMessageParam,
  ChatCompletionTokenLogprob,
  ChatCompletionToolChoiceOption,
} from 'openai/resources/chat/completions';
import { parseJsonOrUndefined } from '../sdk-call.js';
import type { ChatChoice, ChatMessage, ChatRequest, FinishReason, TokenLogprob, ToolCall } from '../types.js';

/** Which server speaks the protocol; they differ in small ways (`max_tokens`). */
export type OpenAIFlavour = 'openai' | 'azure' | 'openai-compatible';

/** A chat completion read back into neutral choices. */
export interface OpenAIResult {
  choices: ChatChoice[];
  inputTokens: number;
  outputTokens: number;
  /** `completion_tokens_details.reasoning_tokens`, when the server sent it. */
  reasoningTokens?: number | undefined;
}

/**
 * The request body (without `stream`) for a neutral chat request.
 *
 * OpenAI and Azure get `max_completion_tokens` (reasoning models refuse
 * `max_tokens`); OpenAI-compatible servers get the older `max_tokens`, which vLLM,
 * Ollama and gateways all read.
 *
 * @example
 * toOpenAIParams('gpt-5-mini', { model: 'openai:gpt-5-mini', messages: [{ role: 'user', content: 'Hi' }] }, 'openai')
 * // { model: 'gpt-5-mini', messages: [{ role: 'user', content: 'Hi' }] }
 */
export function toOpenAIParams(
  model: string,
  request: ChatRequest,
  flavour: OpenAIFlavour,
): ChatCompletionCreateParamsBase {
  const messages: ChatCompletionMessageParam[] = [];
  if (request.system !== undefined) messages.push({ role: 'system', content: request.system });
  for (const message of request.messages) messages.push(toOpenAIMessage(message));
  const params: ChatCompletionCreateParamsBase = { model, messages };
  if (request.tools !== undefined && request.tools.length > 0) {
    params.tools = request.tools.map((tool) => ({
      type: 'function',
      function: {
        name: tool.name,
        parameters: tool.parameters,
        ...(tool.description === undefined ? {} : { description: tool.description }),
      },
    }));
  }
  if (request.toolChoice !== undefined) params.tool_choice = toOpenAIToolChoice(request.toolChoice);
  const can = modelCapabilities({ provider: flavour, model });
  if (request.temperature !== undefined && can.temperature) params.temperature = request.temperature;
  if (request.maxTokens !== undefined) {
    if (flavour === 'openai-compatible') params.max_tokens = request.maxTokens;
    else params.max_completion_tokens = request.maxTokens;
  }
  if (request.n !== undefined) params.n = request.n;
  if (request.logprobs !== undefined && can.logprobs) {
    params.logprobs = true;
    params.top_logprobs = request.logprobs.top;
  }
  if (request.responseSchema !== undefined) {
    const { name, schema, description } = request.responseSchema;
    params.response_format = {
      type: 'json_schema',
      json_schema: { name, schema, strict: true, ...(description === undefined ? {} : { description }) },
    };
  }
  return params;
}

function toOpenAIMessage(message: ChatMessage): ChatCompletionMessageParam {
  switch (message.role) {
    case 'user':
      return { role: 'user', content: message.content };
    case 'tool':
      return { role: 'tool', content: message.content, tool_call_id: message.toolCallId };
    case 'assistant': {
      const calls = message.toolCalls ?? [];
      if (calls.length === 0) return { role: 'assistant', content: message.content };
      return {
        role: 'assistant',
        content: message.content === '' ? null : message.content,
        tool_calls: calls.map((call) => ({
          id: call.id,
          type: 'function',
          function: { name: call.name, arguments: call.rawArguments },
        })),
      };
    }
  }
}

function toOpenAIToolChoice(choice: NonNullable<ChatRequest['toolChoice']>): ChatCompletionToolChoiceOption {
  if (typeof choice === 'string') return choice;
  return { type: 'function', function: { name: choice.name } };
}

/**
 * Neutral choices from a (non-streamed) chat completion; `undefined` when the body
 * has no choices at all, which the adapter reports as an unusable response.
 *
 * @example
 * fromOpenAICompletion(completion, { wantsParsed: false })?.choices[0]?.text // 'Hello'
 */
export function fromOpenAICompletion(
  body: unknown,
  options: { wantsParsed: boolean },
): OpenAIResult | undefined {
  if (!isCompletion(body)) return undefined;
  const choices = [...body.choices]
    .sort((a, b) => a.index - b.index)
    .map((choice) => {
      const calls = (choice.message.tool_calls ?? []).flatMap((call) =>
        call.type === 'function' ? [toToolCall(call.id, call.function.name, call.function.arguments)] : [],
      );
      return toChoice(
        {
          text: choice.message.content ?? '',
          toolCalls: calls,
          refusal: choice.message.refusal ?? undefined,
          finishReason: choice.finish_reason,
          logprobs: choice.logprobs?.content ?? undefined,
        },
        options.wantsParsed,
      );
    });
  const reasoning = body.usage?.completion_tokens_details?.reasoning_tokens;
  return {
    choices,
    inputTokens: body.usage?.prompt_tokens ?? 0,
    outputTokens: body.usage?.completion_tokens ?? 0,
    ...(typeof reasoning === 'number' ? { reasoningTokens: reasoning } : {}),
  };
}

/** @internal The parts of one choice, plain or streamed. */
export interface ChoiceParts {
  text: string;
  toolCalls: ToolCall[];
  refusal: string | undefined;
  finishReason: string | null | undefined;
  logprobs: ChatCompletionTokenLogprob[] | undefined;
}

/** @internal */
export function toChoice(parts: ChoiceParts, wantsParsed: boolean): ChatChoice {
  const refused = parts.refusal !== undefined && parts.refusal !== '';
  const choice: ChatChoice = {
    text: parts.text,
    toolCalls: parts.toolCalls,
    finishReason: refused ? 'refusal' : openAIFinishReason(parts.finishReason),
  };
  if (refused) choice.refusal = parts.refusal;
  if (wantsParsed) choice.parsed = parseJsonOrUndefined(parts.text);
  if (parts.logprobs !== undefined) choice.logprobs = parts.logprobs.map(toTokenLogprob);
  return choice;
}

/**
 * The neutral finish reason for an OpenAI `finish_reason`.
 *
 * @example
 * openAIFinishReason('tool_calls') // 'tool_calls'
 */
export function openAIFinishReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'stop':
    case 'length':
    case 'tool_calls':
    case 'content_filter':
      return reason;
    case 'function_call':
      return 'tool_calls';
    default:
      return 'other';
  }
}

function toTokenLogprob(entry: ChatCompletionTokenLogprob): TokenLogprob {
  return {
    token: entry.token,
    logprob: entry.logprob,
    top: entry.top_logprobs.map((top) => ({ token: top.token, logprob: top.logprob })),
  };
}

/** @internal */
export function toToolCall(id: string, name: string, rawArguments: string): ToolCall {
  return { id, name, arguments: parseJsonOrUndefined(rawArguments), rawArguments };
}

function isCompletion(body: unknown): body is ChatCompletion {
  if (typeof body !== 'object' || body === null) return false;
  const choices = (body as { choices?: unknown }).choices;
  return (
    Array.isArray(choices) &&
    choices.length > 0 &&
    choices.every((choice: unknown) => {
      const message = (choice as { message?: unknown } | null)?.message;
      return typeof message === 'object' && message !== null;
    })
  );
}

/**
 * The vectors of an embeddings response in input order, or `undefined` when the
 * body does not hold exactly one vector per input. Base64 vectors (the SDK's
 * default encoding, which some servers send regardless) are decoded.
 *
 * @example
 * readEmbeddings({ data: [{ index: 0, embedding: [0.1, 0.2] }] }, 1) // [[0.1, 0.2]]
 */
export function readEmbeddings(body: unknown, count: number): number[][] | undefined {
  const data = typeof body === 'object' && body !== null ? (body as { data?: unknown }).data : undefined;
  if (!Array.isArray(data) || data.length !== count) return undefined;
  const vectors: (number[] | undefined)[] = new Array<number[] | undefined>(count).fill(undefined);
  for (const [position, item] of data.entries()) {
    const { index = position, embedding } = (item ?? {}) as { index?: unknown; embedding?: unknown };
    const vector = typeof embedding === 'string' ? decodeBase64Floats(embedding) : embedding;
    const inRange = typeof index === 'number' && Number.isInteger(index) && index >= 0 && index < count;
    if (!inRange || vectors[index] !== undefined || !isNumberArray(vector)) return undefined;
    vectors[index] = vector;
  }
  return vectors.every((vector) => vector !== undefined) ? vectors : undefined;
}

function decodeBase64Floats(text: string): number[] {
  const bytes = new Uint8Array(Buffer.from(text, 'base64'));
  return Array.from(new Float32Array(bytes.buffer, 0, Math.floor(bytes.byteLength / 4)));
}

function isNumberArray(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'number');
}
