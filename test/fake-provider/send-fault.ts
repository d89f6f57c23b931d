/**
 * Writes a fault in the request's protocol: an error status, silence, a reset
 * socket, a body that is not JSON, an empty answer, or a stream cut short.
 * @internal
 */
import { truncatedEvents, messageEvents } from './anthropic-stream.js';
import { buildMessage, emptyMessage } from './anthropic-messages.js';
import { bedrockEmbeddingsBody, buildConverse, emptyConverse, isCohere } from './bedrock-converse.js';
import { converseEvents, encodeEvent, encodeException, truncatedConverseEvents } from './bedrock-stream.js';
import { buildEmbeddings, hashEmbedding } from './embeddings.js';
import { defaultFaultMessage } from './error-body.js';
import { type Exchange, anthropicEvents, messageSse, openaiEvents, sendError } from './exchange.js';
import { sendBody, sendEventStream, sendJson, sendSse } from './http.js';
import { truncatedChunks, chatCompletionChunks } from './openai-chat-stream.js';
import { buildChatCompletion, emptyChatCompletion } from './openai-chat.js';
import type { Fault } from './types.js';
import { buildGeminiResponse, geminiChunks, predictFallback } from './vertex.js';

/** What a truncated stream had started to say. */
const CUT_TEXT = 'The fake provider cut this reply off in the middle of a sentence on purpose.';

function sendStatus(exchange: Exchange, fault: Extract<Fault, { kind: 'status' }>): void {
  const { req } = exchange;
  const retry: Record<string, string> = {};
  if (fault.retryAfterS !== undefined) retry['retry-after'] = String(fault.retryAfterS);
  if (fault.retryAfterMs !== undefined) retry['retry-after-ms'] = String(fault.retryAfterMs);
  const message = fault.message ?? defaultFaultMessage(fault.status, req.api, req.model);
  sendError(exchange, fault.status, message, retry, fault.errorType);
}

function sendMalformed({ req, res, headers }: Exchange): void {
  if (!req.stream) {
    sendBody(res, 200, '{"id": "fake-malformed", "choices": [{"message": ', 'application/json', headers);
  } else if (req.api === 'bedrock.converse') {
    sendEventStream(res, [encodeEvent({ type: 'messageStart', payload: '{"role": ' })], headers);
  } else if (req.api === 'anthropic.messages') {
    sendSse(res, [{ event: 'message_start', data: '{"type": "message_start", "message": {' }], headers);
  } else if (req.api === 'vertex.generate') {
    sendSse(res, [{ data: '{"candidates": [{"content": ' }], headers);
  } else {
    sendSse(res, [{ data: '{"id": "chatcmpl-fake", "choices": [{' }], headers);
  }
}

function sendEmpty(exchange: Exchange): void {
  const { req, seq, res, headers } = exchange;
  if (req.api === 'bedrock.embeddings') {
    sendJson(res, 200, isCohere(req) ? { embeddings: [], texts: [] } : {}, headers);
  } else if (req.api === 'bedrock.models') {
    sendJson(res, 200, {}, headers);
  } else if (req.api === 'bedrock.converse') {
    const body = emptyConverse(req, seq);
    if (req.stream) sendEventStream(res, converseEvents(body).map(encodeEvent), headers);
    else sendJson(res, 200, body, headers);
  } else if (req.api === 'vertex.generate') {
    const response = { ...buildGeminiResponse({ text: '' }, req, seq), candidates: [] };
    if (req.stream) sendSse(res, [{ data: response }], headers);
    else sendJson(res, 200, response, headers);
  } else if (req.api === 'vertex.embeddings' || req.api === 'vertex.models') {
    sendJson(res, 200, req.api === 'vertex.models' ? {} : { predictions: [] }, headers);
  } else if (req.api === 'openai.embeddings') {
    sendJson(
      res,
      200,
      { object: 'list', data: [], model: req.model, usage: { prompt_tokens: 0, total_tokens: 0 } },
      headers,
    );
  } else if (req.api === 'openai.chat') {
    const completion = emptyChatCompletion(req, seq);
    if (req.stream) sendSse(res, openaiEvents(completion, req, true), headers);
    else sendJson(res, 200, completion, headers);
  } else {
    const message = emptyMessage(req, seq);
    if (req.stream) sendSse(res, messageSse(message), headers);
    else sendJson(res, 200, message, headers);
  }
}

/** The whole answer the cut-off stream (or body) was on its way to give. */
function fullBody({ req, seq }: Exchange): unknown {
  if (req.api === 'openai.chat') return buildChatCompletion({ text: CUT_TEXT }, req, seq);
  if (req.api === 'anthropic.messages') return buildMessage({ text: CUT_TEXT }, req, seq);
  if (req.api === 'bedrock.converse') return buildConverse({ text: CUT_TEXT }, req, seq);
  if (req.api === 'bedrock.embeddings') return bedrockEmbeddingsBody(req, [hashEmbedding(CUT_TEXT)], 1);
  if (req.api === 'vertex.generate') return buildGeminiResponse({ text: CUT_TEXT }, req, seq);
  if (req.api === 'vertex.embeddings') return predictFallback(req);
  if (req.api === 'vertex.models') return { publisherModels: [{ name: 'publishers/google/models/cut' }] };
  return buildEmbeddings({ embeddings: (input) => hashEmbedding(input) }, req);
}

function sendTruncated(exchange: Exchange): void {
  const { req, seq, res, headers } = exchange;
  if (!req.stream) {
    const json = JSON.stringify(fullBody(exchange));
    sendBody(res, 200, json.slice(0, Math.floor(json.length / 2)), 'application/json', headers);
  } else if (req.api === 'bedrock.converse') {
    const events = truncatedConverseEvents(converseEvents(buildConverse({ text: CUT_TEXT }, req, seq)));
    sendEventStream(res, events.map(encodeEvent), headers);
  } else if (req.api === 'vertex.generate') {
    const chunks = geminiChunks(buildGeminiResponse({ text: CUT_TEXT }, req, seq), true);
    sendSse(
      res,
      chunks.map((data) => ({ data })),
      headers,
    );
  } else if (req.api === 'anthropic.messages') {
    const events = messageEvents(buildMessage({ text: CUT_TEXT }, req, seq));
    sendSse(res, anthropicEvents(truncatedEvents(events)), headers);
  } else {
    const completion = buildChatCompletion({ text: CUT_TEXT }, req, seq);
    const chunks = truncatedChunks(chatCompletionChunks(completion, false));
    sendSse(
      res,
      chunks.map((data) => ({ data })),
      headers,
    );
  }
}

function sendStreamException(exchange: Exchange, fault: Extract<Fault, { kind: 'stream-exception' }>): void {
  const { req, seq, res, headers } = exchange;
  if (req.api !== 'bedrock.converse' || !req.stream) {
    sendTruncated(exchange);
    return;
  }
  const events = truncatedConverseEvents(converseEvents(buildConverse({ text: CUT_TEXT }, req, seq)));
  const type = fault.errorType ?? 'modelStreamErrorException';
  const message = fault.message ?? `fake provider: ${type} mid-stream for ${req.api} model ${req.model}`;
  sendEventStream(res, [...events.map(encodeEvent), encodeException(type, message)], headers);
}

/**
 * Answers a request with a fault. `hang` leaves the response open: it ends
 * when the client gives up or the server closes.
 *
 * @example
 * sendFault(exchange, { kind: 'status', status: 429, retryAfterS: 2 });
 */
export function sendFault(exchange: Exchange, fault: Fault): void {
  switch (fault.kind) {
    case 'status':
      sendStatus(exchange, fault);
      return;
    case 'hang':
      return;
    case 'reset':
      exchange.res.socket?.destroy();
      return;
    case 'malformed':
      sendMalformed(exchange);
      return;
    case 'empty-choices':
      sendEmpty(exchange);
      return;
    case 'truncated-stream':
      sendTruncated(exchange);
      return;
    case 'stream-exception':
      sendStreamException(exchange, fault);
      return;
  }
}
