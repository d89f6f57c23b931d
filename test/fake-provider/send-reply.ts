/**
 * Writes a resolved reply to the wire in the request's protocol: JSON or SSE,
 * OpenAI, Anthropic or Vertex Gemini, or the fault it names.
 * @internal
 */
import { buildMessage } from './anthropic-messages.js';
import { bedrockEmbeddingsBody, buildConverse, foundationModelsBody } from './bedrock-converse.js';
import { converseEvents, encodeEvent } from './bedrock-stream.js';
import { buildEmbeddings } from './embeddings.js';
import { type Exchange, messageSse, openaiEvents, sendError } from './exchange.js';
import { sendEventStream, sendJson, sendSse } from './http.js';
import { buildChatCompletion } from './openai-chat.js';
import { isEmbeddingsReply, isFaultReply, isModelsReply } from './replies.js';
import { sendFault } from './send-fault.js';
import { embeddingInputs } from './request-text.js';
import { estimateTokens } from './tokens.js';
import type { ChatReply, EmbeddingsReply, Reply } from './types.js';
import { buildGeminiResponse, buildPredictEmbeddings, geminiChunks } from './vertex.js';

function sendChat(exchange: Exchange, reply: ChatReply): void {
  const { req, seq, res, headers } = exchange;
  if (req.api === 'bedrock.converse') {
    const body = buildConverse(reply, req, seq);
    if (req.stream) sendEventStream(res, converseEvents(body).map(encodeEvent), headers);
    else sendJson(res, 200, body, headers);
    return;
  }
  if (req.api === 'vertex.generate') {
    const response = buildGeminiResponse(reply, req, seq);
    if (req.stream)
      sendSse(
        res,
        geminiChunks(response, false).map((data) => ({ data })),
        headers,
      );
    else sendJson(res, 200, response, headers);
    return;
  }
  if (req.api === 'openai.chat') {
    const completion = buildChatCompletion(reply, req, seq);
    if (req.stream) sendSse(res, openaiEvents(completion, req, true), headers);
    else sendJson(res, 200, completion, headers);
    return;
  }
  const message = buildMessage(reply, req, seq);
  if (req.stream) sendSse(res, messageSse(message), headers);
  else sendJson(res, 200, message, headers);
}

/**
 * Answers a request with a reply. A reply of the wrong kind for the API (chat
 * for embeddings or the reverse) is a 400 that says what to script instead.
 *
 * @example
 * sendReply(exchange, { text: 'hello' });
 */
export function sendReply(exchange: Exchange, reply: Reply): void {
  const { req } = exchange;
  if (isFaultReply(reply)) {
    sendFault(exchange, reply.fault);
    return;
  }
  const where = `${req.api} model ${req.model}`;
  if (req.api === 'bedrock.models') {
    if (!isModelsReply(reply)) {
      sendError(exchange, 400, `fake provider: no models were scripted for ${req.api}; script { models }`);
      return;
    }
    sendJson(exchange.res, 200, foundationModelsBody(reply.models), exchange.headers);
    return;
  }
  if (req.api === 'vertex.models') {
    if (!isModelsReply(reply)) {
      sendError(exchange, 400, `fake provider: no models scripted for ${req.api}; script { models }`);
      return;
    }
    const publisherModels = reply.models.map((id) => ({ name: `publishers/google/models/${id}` }));
    sendJson(exchange.res, 200, { publisherModels }, exchange.headers);
    return;
  }
  if (isModelsReply(reply)) {
    sendError(exchange, 400, `fake provider: a models reply was scripted for ${where}; script { text }`);
    return;
  }
  if (req.api === 'bedrock.embeddings' || req.api === 'vertex.embeddings') {
    if (!isEmbeddingsReply(reply)) {
      sendError(
        exchange,
        400,
        `fake provider: a chat reply was scripted for ${where}; script { embeddings }`,
      );
      return;
    }
    if (req.api === 'bedrock.embeddings') {
      sendBedrockEmbeddings(exchange, reply);
      return;
    }
    const body = buildPredictEmbeddings(reply, req);
    if (typeof body === 'string') sendError(exchange, 400, body);
    else sendJson(exchange.res, 200, body, exchange.headers);
    return;
  }
  if (req.api === 'openai.embeddings') {
    if (!isEmbeddingsReply(reply)) {
      sendError(
        exchange,
        400,
        `fake provider: a chat reply was scripted for ${where}; script { embeddings }`,
      );
      return;
    }
    const body = buildEmbeddings(reply, req);
    if (typeof body === 'string') sendError(exchange, 400, body);
    else sendJson(exchange.res, 200, body, exchange.headers);
    return;
  }
  if (isEmbeddingsReply(reply)) {
    sendError(exchange, 400, `fake provider: an embeddings reply was scripted for ${where}; script { text }`);
    return;
  }
  sendChat(exchange, reply);
}

/** Titan or Cohere vectors, with the input token count in Bedrock's header. */
function sendBedrockEmbeddings(exchange: Exchange, reply: EmbeddingsReply): void {
  const { req } = exchange;
  const inputs = embeddingInputs(req.body);
  const { embeddings } = reply;
  const vectors = typeof embeddings === 'function' ? inputs.map((input) => embeddings(input)) : embeddings;
  if (vectors.length !== inputs.length) {
    const message = `fake provider: ${vectors.length} vectors scripted for ${inputs.length} inputs to ${req.api} model ${req.model}`;
    sendError(exchange, 400, message);
    return;
  }
  const tokens = inputs.reduce((sum, input) => sum + estimateTokens(input), 0);
  sendJson(exchange.res, 200, bedrockEmbeddingsBody(req, vectors, tokens), {
    ...exchange.headers,
    'x-amzn-bedrock-input-token-count': String(tokens),
  });
}
