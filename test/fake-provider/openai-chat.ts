/**
 * A scripted reply rendered as an OpenAI chat completion (pure). Typed against
 * the `openai` SDK's own response types so the wire shape cannot drift.
 */
import type {
  ChatCompletion,
  ChatCompletionMessage,
  ChatCompletionMessageToolCall,
  ChatCompletionTokenLogprob,
} from 'openai/resources/chat/completions';
import { argumentsText, finishReasonFor, outputText } from './replies.js';
import { isObject, requestText } from './request-text.js';
import { autoLogprobs, estimateTokens } from './tokens.js';
import type { ChatReply, JsonObject, RecordedRequest, ScriptedLogprob } from './types.js';

type FinishReason = ChatCompletion.Choice['finish_reason'];

/** The function a request forces with `tool_choice: { type: 'function', function: { name } }`. */
function forcedFunction(body: JsonObject): string | undefined {
  const choice = body['tool_choice'];
  if (!isObject(choice) || choice['type'] !== 'function' || !isObject(choice['function'])) return undefined;
  const name = choice['function']['name'];
  return typeof name === 'string' ? name : undefined;
}

function hasResponseFormat(body: JsonObject): boolean {
  const format = body['response_format'];
  return isObject(format) && (format['type'] === 'json_schema' || format['type'] === 'json_object');
}

function bytesOf(token: string): number[] {
  return [...Buffer.from(token, 'utf8')];
}

function wireLogprob(entry: ScriptedLogprob): ChatCompletionTokenLogprob {
  return {
    token: entry.token,
    logprob: entry.logprob,
    bytes: bytesOf(entry.token),
    top_logprobs: entry.top.map((alt) => ({
      token: alt.token,
      logprob: alt.logprob,
      bytes: bytesOf(alt.token),
    })),
  };
}

function logprobsFor(
  reply: ChatReply,
  content: string | null,
  body: JsonObject,
): ChatCompletion.Choice['logprobs'] {
  if (body['logprobs'] !== true) return null;
  const top = typeof body['top_logprobs'] === 'number' ? body['top_logprobs'] : 0;
  const scripted = Array.isArray(reply.logprobs) ? reply.logprobs : autoLogprobs(content ?? '', top);
  return { content: scripted.map(wireLogprob), refusal: null };
}

function buildChoice(
  reply: ChatReply,
  index: number,
  req: RecordedRequest,
  seq: number,
): ChatCompletion.Choice {
  const forced = forcedFunction(req.body);
  const jsonAsCall = reply.json !== undefined && forced !== undefined && !hasResponseFormat(req.body);
  const calls = [
    ...(reply.toolCalls ?? []).map((call) => ({ name: call.name, args: argumentsText(call.arguments) })),
    ...(jsonAsCall ? [{ name: forced, args: argumentsText(reply.json) }] : []),
  ];
  const toolCalls = calls.map((call, i): ChatCompletionMessageToolCall => ({
    id: `call_fake_${seq}_${index}_${i}`,
    type: 'function',
    function: { name: call.name, arguments: call.args },
  }));
  let content: string | null =
    reply.text ?? (toolCalls.length > 0 || reply.refusal !== undefined ? null : '');
  if (reply.json !== undefined && !jsonAsCall) content = argumentsText(reply.json);
  const message: ChatCompletionMessage = {
    role: 'assistant',
    content,
    refusal: reply.refusal ?? null,
    annotations: [],
    ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
  };
  // A forced named function ends with `stop`, as the real API does; only free tool use says `tool_calls`.
  const natural = toolCalls.length > 0 && forced === undefined ? 'tool_calls' : 'stop';
  // A cast: scripts may send any finish reason, to test how unknown ones are handled.
  const finish = (
    reply.finishReason === undefined ? natural : finishReasonFor('openai', reply.finishReason)
  ) as FinishReason;
  return { index, message, finish_reason: finish, logprobs: logprobsFor(reply, content, req.body) };
}

/**
 * The replies for each of `n` choices: `choices` when scripted, else the reply `n` times.
 *
 * @example
 * choiceReplies({ text: 'a' }, 2); // [{ text: 'a' }, { text: 'a' }]
 */
export function choiceReplies(reply: ChatReply, n: number): ChatReply[] {
  return reply.choices ?? Array.from({ length: n }, () => reply);
}

/**
 * The chat completion for a reply to a request.
 *
 * @example
 * buildChatCompletion({ text: 'hi' }, req, 1).choices[0]?.message.content; // 'hi'
 */
export function buildChatCompletion(reply: ChatReply, req: RecordedRequest, seq: number): ChatCompletion {
  const n = typeof req.body['n'] === 'number' && req.body['n'] >= 1 ? Math.floor(req.body['n']) : 1;
  const replies = choiceReplies(reply, n);
  const usage = reply.usage ?? {
    input: estimateTokens(requestText(req.body)),
    output: replies.reduce((sum, choice) => sum + estimateTokens(outputText(choice)), 0),
  };
  return {
    id: `chatcmpl-fake-${seq}`,
    object: 'chat.completion',
    created: Math.floor(req.at / 1000),
    model: req.model,
    system_fingerprint: 'fp_fake',
    service_tier: 'default',
    choices: replies.map((choice, index) => buildChoice(choice, index, req, seq)),
    usage: {
      prompt_tokens: usage.input,
      completion_tokens: usage.output,
      total_tokens: usage.input + usage.output,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: usage.reasoning ?? 0, audio_tokens: 0 },
    },
  };
}

/**
 * An OpenAI chat completion with no choices (the `empty-choices` fault).
 *
 * @example
 * emptyChatCompletion(req, 1).choices; // []
 */
export function emptyChatCompletion(req: RecordedRequest, seq: number): ChatCompletion {
  return { ...buildChatCompletion({ text: '' }, req, seq), choices: [] };
}
