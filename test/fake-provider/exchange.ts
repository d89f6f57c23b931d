/**
 * One request being answered, and the writers both replies and faults use:
 * the vendor's error body, and chat results as SSE events.
 * @internal
 */
import type { ServerResponse } from 'node:http';
import type { Message } from '@anthropic-ai/sdk/resources/messages';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import { messageEvents, type AnthropicStreamEvent } from './anthropic-stream.js';
import { bedrockErrorType, errorBody } from './error-body.js';
import { sendJson, type SseEvent } from './http.js';
import { chatCompletionChunks } from './openai-chat-stream.js';
import { isObject } from './request-text.js';
import { vendorOf } from './routes.js';
import type { RecordedRequest } from './types.js';

/** One request being answered. */
export interface Exchange {
  req: RecordedRequest;
  /** The request's sequence number, for response ids. */
  seq: number;
  res: ServerResponse;
  /** Headers every response carries (the request id). */
  headers: Readonly<Record<string, string>>;
}

/**
 * Sends the vendor's error body with a status; for Bedrock also the
 * `x-amzn-ErrorType` header (`errorType`, else the status's usual exception).
 *
 * @example
 * sendError(exchange, 400, 'fake provider: no scripted reply for openai.chat model gpt-x');
 */
export function sendError(
  { req, res, headers }: Exchange,
  status: number,
  message: string,
  extraHeaders: Readonly<Record<string, string>> = {},
  errorType?: string,
): void {
  const vendor = vendorOf(req.api);
  const typed = vendor === 'bedrock' ? { 'x-amzn-errortype': errorType ?? bedrockErrorType(status) } : {};
  sendJson(res, status, errorBody(vendor, status, message, req.id), {
    ...headers,
    ...typed,
    ...extraHeaders,
  });
}

/**
 * The SSE events of a chat completion: its chunks (with a usage chunk when the
 * request set `stream_options.include_usage`), then `[DONE]` unless cut short.
 *
 * @example
 * openaiEvents(completion, req, true).at(-1); // { data: '[DONE]' }
 */
export function openaiEvents(completion: ChatCompletion, req: RecordedRequest, done: boolean): SseEvent[] {
  const options = req.body['stream_options'];
  const includeUsage = isObject(options) && options['include_usage'] === true;
  const events: SseEvent[] = chatCompletionChunks(completion, includeUsage).map((data) => ({ data }));
  return done ? [...events, { data: '[DONE]' }] : events;
}

/**
 * The SSE events of an Anthropic message, each named after its type.
 *
 * @example
 * anthropicEvents(messageEvents(message))[0]; // { event: 'message_start', data: { type: 'message_start', ... } }
 */
export function anthropicEvents(events: readonly AnthropicStreamEvent[]): SseEvent[] {
  return events.map((data) => ({ event: data.type, data }));
}

/**
 * The Anthropic SSE events of a whole message.
 *
 * @example
 * messageSse(message).at(-1); // { event: 'message_stop', data: { type: 'message_stop' } }
 */
export function messageSse(message: Message): SseEvent[] {
  return anthropicEvents(messageEvents(message));
}
