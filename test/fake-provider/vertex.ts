/**
 * Vertex AI's Gemini wire (pure): a scripted reply as a `generateContent`
 * response, the chunks of `streamGenerateContent?alt=sse`, `:predict`
 * embeddings and the publisher models list. Typed against `@google/genai`'s
 * response types so the shape cannot drift.
 */
import type { Candidate, GenerateContentResponse, Part } from '@google/genai';
import { hashEmbedding } from './embeddings.js';
import { argumentsText, outputText } from './replies.js';
import { isObject } from './request-text.js';
import { autoLogprobs, estimateTokens, splitTokens } from './tokens.js';
import type { ChatReply, EmbeddingsReply, JsonObject, RecordedRequest } from './types.js';

/** A `generateContent` response (or one stream chunk) as the fake writes it. */
export interface Wire {
  candidates: Candidate[];
  usageMetadata?: GenerateContentResponse['usageMetadata'] | undefined;
  responseId: string;
  modelVersion?: string | undefined;
}

const TO_GEMINI: Readonly<Record<string, string>> = {
  stop: 'STOP',
  end_turn: 'STOP',
  tool_calls: 'STOP',
  tool_use: 'STOP',
  length: 'MAX_TOKENS',
  max_tokens: 'MAX_TOKENS',
  content_filter: 'SAFETY',
  refusal: 'SAFETY',
};

/** The text of `contents` and `systemInstruction` of a Gemini request. */
export function geminiRequestText(body: JsonObject): string {
  const texts: string[] = [];
  const system = body['systemInstruction'];
  if (isObject(system)) texts.push(...partTexts(system['parts']));
  const contents = body['contents'];
  if (Array.isArray(contents)) {
    for (const content of contents) if (isObject(content)) texts.push(...partTexts(content['parts']));
  }
  return texts.filter((text) => text !== '').join('\n');
}

/** The text of the last `user` turn of a Gemini request that has text (tool results are user turns too). */
export function geminiLastUserText(body: JsonObject): string {
  const contents = Array.isArray(body['contents']) ? body['contents'].filter(isObject) : [];
  const user = contents.findLast(
    (content) => content['role'] === 'user' && partTexts(content['parts']).length > 0,
  );
  return user ? partTexts(user['parts']).join('') : '';
}

function partTexts(parts: unknown): string[] {
  if (!Array.isArray(parts)) return [];
  return parts.flatMap((part: unknown) =>
    isObject(part) && typeof part['text'] === 'string' ? [part['text']] : [],
  );
}

function generationConfig(body: JsonObject): JsonObject {
  const config = body['generationConfig'];
  return isObject(config) ? config : {};
}

function candidateOf(reply: ChatReply, index: number, body: JsonObject, seq: number): Candidate {
  const config = generationConfig(body);
  const text = reply.json !== undefined ? argumentsText(reply.json) : reply.text;
  const parts: Part[] = [];
  if (text !== undefined || (reply.toolCalls ?? []).length === 0) parts.push({ text: text ?? '' });
  (reply.toolCalls ?? []).forEach((call, i) => {
    const args =
      typeof call.arguments === 'string' ? (JSON.parse(call.arguments) as unknown) : call.arguments;
    // A thinking model signs its function calls; the signature must come back with the call.
    const thoughtSignature = Buffer.from(`fake-signature:${seq}:${index}:${i}`).toString('base64');
    parts.push({
      functionCall: { name: call.name, args: args as Record<string, unknown> },
      thoughtSignature,
    });
  });
  const finishReason = (
    reply.finishReason === undefined
      ? reply.refusal !== undefined
        ? 'SAFETY'
        : 'STOP'
      : (TO_GEMINI[reply.finishReason] ?? reply.finishReason)
  ) as Candidate['finishReason'];
  const candidate: Candidate = {
    index,
    content: { role: 'model', parts: reply.refusal !== undefined && text === undefined ? [] : parts },
    ...(finishReason === undefined ? {} : { finishReason }),
  };
  if (reply.refusal !== undefined) candidate.finishMessage = reply.refusal;
  if (config['responseLogprobs'] === true) {
    const top = typeof config['logprobs'] === 'number' ? config['logprobs'] : 0;
    const logprobs =
      reply.logprobs === undefined || reply.logprobs === 'auto'
        ? autoLogprobs(text ?? '', top)
        : reply.logprobs;
    candidate.logprobsResult = {
      chosenCandidates: logprobs.map((l) => ({ token: l.token, logProbability: l.logprob })),
      topCandidates: logprobs.map((l) => ({
        candidates: l.top.map((t) => ({ token: t.token, logProbability: t.logprob })),
      })),
    };
  }
  return candidate;
}

/**
 * The `generateContent` response for a reply. `candidateCount` samples: the
 * scripted `choices`, else the reply repeated.
 *
 * @example
 * buildGeminiResponse({ text: 'Hi' }, req, 1).candidates?.[0]?.content?.parts; // [{ text: 'Hi' }]
 */
export function buildGeminiResponse(reply: ChatReply, req: RecordedRequest, seq: number): Wire {
  const count = generationConfig(req.body)['candidateCount'];
  const n = typeof count === 'number' && count > 1 ? count : 1;
  const choices = Array.from({ length: n }, (_, i) => reply.choices?.[i] ?? reply.choices?.[0] ?? reply);
  const usage = reply.usage ?? {
    input: estimateTokens(geminiRequestText(req.body)),
    output: choices.reduce((sum, choice) => sum + estimateTokens(outputText(choice)), 0),
  };
  return {
    candidates: choices.map((choice, i) => candidateOf(choice, i, req.body, seq)),
    usageMetadata: {
      promptTokenCount: usage.input,
      candidatesTokenCount: usage.output,
      ...(usage.reasoning === undefined ? {} : { thoughtsTokenCount: usage.reasoning }),
      totalTokenCount: usage.input + usage.output + (usage.reasoning ?? 0),
    },
    responseId: `fake-vertex-${seq}`,
    modelVersion: req.model,
  };
}

/**
 * The SSE chunks of a response: per candidate, its text in pieces (function
 * calls whole), then a last chunk with every `finishReason` and the usage.
 * `cut` drops the last chunk and half of the pieces (a truncated stream).
 *
 * @example
 * geminiChunks(response, false).at(-1)?.usageMetadata?.promptTokenCount; // the response's
 */
export function geminiChunks(response: Wire, cut: boolean): Wire[] {
  const chunks: Wire[] = [];
  for (const candidate of response.candidates) {
    const index = candidate.index ?? 0;
    for (const part of candidate.content?.parts ?? []) {
      const texts =
        part.text === undefined
          ? [undefined]
          : splitTokens(part.text).length > 0
            ? splitTokens(part.text)
            : [''];
      for (const text of texts) {
        const piece: Part = text === undefined ? part : { text };
        chunks.push({
          candidates: [{ index, content: { role: 'model', parts: [piece] } }],
          responseId: response.responseId,
        });
      }
    }
  }
  const last: Wire = {
    candidates: response.candidates.map((candidate) => ({
      index: candidate.index ?? 0,
      content: { role: 'model', parts: [] },
      ...(candidate.finishReason === undefined ? {} : { finishReason: candidate.finishReason }),
      ...(candidate.finishMessage === undefined ? {} : { finishMessage: candidate.finishMessage }),
      ...(candidate.logprobsResult === undefined ? {} : { logprobsResult: candidate.logprobsResult }),
    })),
    usageMetadata: response.usageMetadata,
    responseId: response.responseId,
  };
  if (cut) return chunks.slice(0, Math.max(1, Math.floor(chunks.length / 2)));
  return [...chunks, last];
}

/** The texts of a `:predict` request (`instances[].content`). */
export function predictInputs(body: JsonObject): string[] {
  const instances = body['instances'];
  if (!Array.isArray(instances)) return [];
  return instances.map((instance: unknown) =>
    isObject(instance) && typeof instance['content'] === 'string' ? instance['content'] : '',
  );
}

/**
 * The `:predict` response of embeddings, or why the script does not fit.
 *
 * @example
 * buildPredictEmbeddings({ embeddings: [[1, 0]] }, req); // { predictions: [{ embeddings: { values: [1, 0], ... } }] }
 */
export function buildPredictEmbeddings(reply: EmbeddingsReply, req: RecordedRequest): JsonObject | string {
  const inputs = predictInputs(req.body);
  const { embeddings } = reply;
  const vectors = typeof embeddings === 'function' ? inputs.map((input) => embeddings(input)) : embeddings;
  if (vectors.length !== inputs.length) {
    return `fake provider: ${vectors.length} vectors scripted for ${inputs.length} inputs to ${req.api} model ${req.model}`;
  }
  return {
    predictions: vectors.map((values, i) => ({
      embeddings: { values, statistics: { token_count: estimateTokens(inputs[i] ?? ''), truncated: false } },
    })),
    metadata: { billableCharacterCount: inputs.join('').length },
  };
}

/** The embeddings of a cut-off `:predict` body (the `truncated-stream` fault on a JSON answer). */
export function predictFallback(req: RecordedRequest): JsonObject {
  return {
    predictions: predictInputs(req.body).map((input) => ({ embeddings: { values: hashEmbedding(input) } })),
  };
}
