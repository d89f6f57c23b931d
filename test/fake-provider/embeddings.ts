/**
 * Embeddings: a deterministic text-to-vector helper and the OpenAI embeddings
 * response, float or base64 (the `openai` v6 SDK asks for base64 unless the
 * caller sets `encoding_format`).
 */
import type { CreateEmbeddingResponse } from 'openai/resources/embeddings';
import { fnv1a, mulberry32 } from './prng.js';
import { embeddingInputs } from './request-text.js';
import { estimateTokens } from './tokens.js';
import type { EmbeddingsReply, RecordedRequest } from './types.js';

/**
 * A deterministic unit vector for a text: the normalised sum of one
 * pseudo-random vector per lower-cased word, so equal texts get equal vectors
 * and texts that share words point in similar directions. A text with no word
 * gets the first axis.
 *
 * @example
 * hashEmbedding('refund window', 4); // the same 4 numbers every time, norm 1
 */
export function hashEmbedding(text: string, dims = 8): number[] {
  if (!Number.isInteger(dims) || dims < 1)
    throw new RangeError(`hashEmbedding: dims must be >= 1, got ${dims}`);
  const sum = new Array<number>(dims).fill(0);
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? []) {
    const next = mulberry32(fnv1a(word));
    for (let i = 0; i < dims; i++) sum[i] = (sum[i] ?? 0) + next() * 2 - 1;
  }
  const norm = Math.hypot(...sum);
  if (norm === 0) return sum.map((_, i) => (i === 0 ? 1 : 0));
  return sum.map((value) => value / norm);
}

/**
 * The little-endian float32 base64 encoding the OpenAI API uses for `encoding_format: base64`.
 *
 * @example
 * toBase64Floats([1]); // 'AACAPw=='
 */
export function toBase64Floats(vector: number[]): string {
  const buffer = Buffer.alloc(vector.length * 4);
  vector.forEach((value, i) => buffer.writeFloatLE(value, i * 4));
  return buffer.toString('base64');
}

/**
 * The embeddings response for a reply, or a message saying why the script does
 * not fit the request (a vector count that differs from the input count).
 *
 * @example
 * buildEmbeddings({ embeddings: [[1, 0]] }, req); // { object: 'list', data: [...], ... }
 */
export function buildEmbeddings(
  reply: EmbeddingsReply,
  req: RecordedRequest,
): CreateEmbeddingResponse | string {
  const inputs = embeddingInputs(req.body);
  const { embeddings } = reply;
  const vectors = typeof embeddings === 'function' ? inputs.map((input) => embeddings(input)) : embeddings;
  if (vectors.length !== inputs.length) {
    return `fake provider: ${vectors.length} vectors scripted for ${inputs.length} inputs to ${req.api} model ${req.model}`;
  }
  const base64 = req.body['encoding_format'] === 'base64';
  const tokens = inputs.reduce((sum, input) => sum + estimateTokens(input), 0);
  return {
    object: 'list',
    model: req.model,
    // A cast: with `encoding_format: base64` the wire carries a string where the SDK type says number[].
    data: vectors.map((vector, index) => ({
      object: 'embedding' as const,
      index,
      embedding: base64 ? (toBase64Floats(vector) as unknown as number[]) : vector,
    })),
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}
