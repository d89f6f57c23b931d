/**
 * Pure translation between the neutral chat shapes and Gemini's
 * `generateContent` on Vertex AI (`@google/genai`). No I/O here: `gemini.ts`
 * sends what this builds.
 *
 * Structured output is `responseMimeType: application/json` with the schema as
 * `responseJsonSchema`, titled with the schema's name; the reply's text is the
 * JSON. Tool results go back as `functionResponse` parts named after the call
 * they answer (Gemini matches them by name and order, and its call ids are optional);
 * a call goes back with the thought signature it came with (signatures.ts).
 */
import type {
  Candidate,
  Content,
  FunctionCallingConfigMode,
  GenerateContentConfig,
  GenerateContentResponse,
  Part,
  ToolConfig,
} from '@google/genai';
import { parseJsonOrUndefined } from '../sdk-call.js';
import type { ChatChoice, ChatMessage, ChatRequest, FinishReason, TokenLogprob, ToolCall } from '../types.js';

/** The `generateContent` parameters of a neutral request. */
export interface GeminiRequest {
  model: string;
  contents: Content[];
  config: GenerateContentConfig;
}

/** A response read back into neutral choices (one per candidate). */
export interface GeminiResult {
  choices: ChatChoice[];
  inputTokens: number;
  outputTokens: number;
  reasoningTokens: number | undefined;
}

/** The response fields this module reads: a `GenerateContentResponse`, or one assembled from a stream. */
export interface GeminiReply {
  candidates?: Candidate[] | undefined;
  usageMetadata?: GenerateContentResponse['usageMetadata'] | undefined;
  promptFeedback?: GenerateContentResponse['promptFeedback'] | undefined;
}

/** Gemini's largest `logprobs` (top candidates per token). */
const MAX_TOP_LOGPROBS = 20;

/**
 * The request for a neutral chat request. `n` above 1 is `candidateCount`;
 * `logprobs` is `responseLogprobs` with `logprobs` top candidates (at most 20).
 *
 * @example
 * toGeminiRequest('gemini-2.5-flash', { model: 'vertex:gemini-2.5-flash', messages: [{ role: 'user', content: 'Hi' }] })
 * // { model: 'gemini-2.5-flash', contents: [{ role: 'user', parts: [{ text: 'Hi' }] }], config: {} }
 */
export function toGeminiRequest(
  model: string,
  request: ChatRequest,
  signatureOf: (call: ToolCall) => string | undefined = () => undefined,
): GeminiRequest {
  const config: GenerateContentConfig = {};
  if (request.system !== undefined) config.systemInstruction = request.system;
  if (request.temperature !== undefined) config.temperature = request.temperature;
  if (request.maxTokens !== undefined) config.maxOutputTokens = request.maxTokens;
  if (request.n !== undefined && request.n > 1) config.candidateCount = request.n;
  if (request.logprobs !== undefined) {
    config.responseLogprobs = true;
    // `logprobs` (top candidates per token) takes 1 to 20; without it only the chosen tokens come back.
    const top = Math.min(MAX_TOP_LOGPROBS, Math.floor(request.logprobs.top));
    if (top >= 1) config.logprobs = top;
  }
  const tools = request.tools ?? [];
  if (tools.length > 0) {
    config.tools = [
      {
        functionDeclarations: tools.map((tool) => ({
          name: tool.name,
          parametersJsonSchema: tool.parameters,
          ...(tool.description === undefined ? {} : { description: tool.description }),
        })),
      },
    ];
    if (request.toolChoice !== undefined) config.toolConfig = toToolConfig(request.toolChoice);
  }
  const schema = request.responseSchema;
  if (schema !== undefined) {
    config.responseMimeType = 'application/json';
    config.responseJsonSchema = {
      ...schema.schema,
      title: schema.name,
      ...(schema.description === undefined ? {} : { description: schema.description }),
    };
  }
  return { model, contents: toContents(request.messages, signatureOf), config };
}

function toToolConfig(choice: NonNullable<ChatRequest['toolChoice']>): ToolConfig {
  const mode = (value: 'AUTO' | 'ANY' | 'NONE') => value as FunctionCallingConfigMode;
  if (choice === 'auto') return { functionCallingConfig: { mode: mode('AUTO') } };
  if (choice === 'required') return { functionCallingConfig: { mode: mode('ANY') } };
  if (choice === 'none') return { functionCallingConfig: { mode: mode('NONE') } };
  return { functionCallingConfig: { mode: mode('ANY'), allowedFunctionNames: [choice.name] } };
}

/** Contents in turns: `user` (with tool results) and `model`; consecutive turns of one role merged. */
function toContents(messages: ChatMessage[], signatureOf: (call: ToolCall) => string | undefined): Content[] {
  const names = new Map<string, string>();
  const contents: { role: 'user' | 'model'; parts: Part[] }[] = [];
  for (const message of messages) {
    const role = message.role === 'assistant' ? 'model' : 'user';
    const parts = toParts(message, names, signatureOf);
    const last = contents.at(-1);
    if (last?.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  }
  return contents;
}

function toParts(
  message: ChatMessage,
  names: Map<string, string>,
  signatureOf: (call: ToolCall) => string | undefined,
): Part[] {
  if (message.role === 'tool') {
    const name = names.get(message.toolCallId) ?? message.toolCallId;
    return [{ functionResponse: { name, response: { output: message.content } } }];
  }
  const parts: Part[] = message.content === '' ? [] : [{ text: message.content }];
  if (message.role === 'assistant') {
    for (const call of message.toolCalls ?? []) {
      names.set(call.id, call.name);
      const signature = signatureOf(call);
      parts.push({
        functionCall: { name: call.name, args: toolArgs(call) },
        ...(signature === undefined ? {} : { thoughtSignature: signature }),
      });
    }
  }
  // Gemini refuses a turn with no parts.
  return parts.length > 0 ? parts : [{ text: '' }];
}

function toolArgs(call: ToolCall): Record<string, unknown> {
  const isObject = (value: unknown): value is Record<string, unknown> =>
    typeof value === 'object' && value !== null && !Array.isArray(value);
  if (isObject(call.arguments)) return call.arguments;
  const reparsed = parseJsonOrUndefined(call.rawArguments);
  return isObject(reparsed) ? reparsed : {};
}

/**
 * The neutral result of a response; `undefined` when it has no candidates and
 * was not blocked (an unusable 200). A prompt blocked by safety filters is one
 * choice with `finishReason: content_filter` and the block reason as `refusal`.
 * `structured` says the request had a `responseSchema` (the text is parsed).
 *
 * @example
 * toGeminiResult({ candidates: [{ content: { role: 'model', parts: [{ text: 'Hi' }] }, finishReason: 'STOP' }] }, false)
 * // { choices: [{ text: 'Hi', toolCalls: [], finishReason: 'stop' }], inputTokens: 0, outputTokens: 0, reasoningTokens: undefined }
 */
export function toGeminiResult(
  reply: GeminiReply,
  structured: boolean,
  onSignature: (call: ToolCall, signature: string) => void = () => undefined,
): GeminiResult | undefined {
  const usage = reply.usageMetadata;
  const reasoning = usage?.thoughtsTokenCount;
  const tokens = {
    inputTokens: usage?.promptTokenCount ?? 0,
    outputTokens: (usage?.candidatesTokenCount ?? 0) + (reasoning ?? 0),
    reasoningTokens: reasoning !== undefined && reasoning > 0 ? reasoning : undefined,
  };
  const candidates = [...(reply.candidates ?? [])].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  if (candidates.length === 0) {
    const blocked = reply.promptFeedback?.blockReason;
    if (blocked === undefined) return undefined;
    const refusal = reply.promptFeedback?.blockReasonMessage ?? `the prompt was blocked (${blocked})`;
    return { choices: [{ text: '', toolCalls: [], finishReason: 'content_filter', refusal }], ...tokens };
  }
  const choices = candidates.map((candidate, c): ChatChoice => {
    const parts = (candidate.content?.parts ?? []).filter((part) => part.thought !== true);
    const text = parts.flatMap((part) => (part.text === undefined ? [] : [part.text])).join('');
    const toolCalls = parts.flatMap((part, i): ToolCall[] => {
      const call = part.functionCall;
      if (call?.name === undefined) return [];
      const args = call.args ?? {};
      const toolCall: ToolCall = {
        id: call.id ?? `call_${c}_${i}`,
        name: call.name,
        arguments: args,
        rawArguments: JSON.stringify(args),
      };
      if (part.thoughtSignature !== undefined) onSignature(toolCall, part.thoughtSignature);
      return [toolCall];
    });
    let finishReason = geminiFinishReason(candidate.finishReason);
    if (finishReason === 'stop' && toolCalls.length > 0) finishReason = 'tool_calls';
    const choice: ChatChoice = { text, toolCalls, finishReason };
    if (structured) choice.parsed = parseJsonOrUndefined(text);
    const logprobs = readLogprobs(candidate.logprobsResult);
    if (logprobs !== undefined) choice.logprobs = logprobs;
    if (finishReason === 'content_filter' && text === '' && toolCalls.length === 0) {
      choice.refusal = candidate.finishMessage ?? `the reply was blocked (${candidate.finishReason})`;
    }
    return choice;
  });
  return { choices, ...tokens };
}

function readLogprobs(result: Candidate['logprobsResult']): TokenLogprob[] | undefined {
  const chosen = result?.chosenCandidates;
  if (chosen === undefined) return undefined;
  return chosen.map((token, i) => ({
    token: token.token ?? '',
    logprob: token.logProbability ?? 0,
    top: (result?.topCandidates?.[i]?.candidates ?? []).map((top) => ({
      token: top.token ?? '',
      logprob: top.logProbability ?? 0,
    })),
  }));
}

/**
 * The neutral finish reason for a Gemini `finishReason`.
 *
 * @example
 * geminiFinishReason('MAX_TOKENS') // 'length'
 */
export function geminiFinishReason(reason: string | undefined): FinishReason {
  switch (reason) {
    case 'STOP':
      return 'stop';
    case 'MAX_TOKENS':
      return 'length';
    case 'SAFETY':
    case 'RECITATION':
    case 'BLOCKLIST':
    case 'PROHIBITED_CONTENT':
    case 'SPII':
    case 'IMAGE_SAFETY':
    case 'IMAGE_PROHIBITED_CONTENT':
      return 'content_filter';
    default:
      return 'other';
  }
}
