/**
 * InvokeModel bodies for the embedding models Bedrock serves, and their
 * replies read back (pure). Titan takes one text per call; Cohere up to 96.
 */
import { isRecord } from '../../internal/record.js';

/** The embedding families the adapter speaks, told apart by the model id. */
export type EmbeddingFamily = 'titan' | 'cohere';

/** Texts per Cohere call (the API's limit). */
export const COHERE_BATCH = 96;

/**
 * The family of an embedding model id (an inference profile such as
 * `us.cohere.embed-v4:0` counts by the model it names); `undefined` for others.
 *
 * @example
 * embeddingFamily('amazon.titan-embed-text-v2:0') // 'titan'
 */
export function embeddingFamily(modelId: string): EmbeddingFamily | undefined {
  if (/(^|[./])amazon\.titan-embed-/.test(modelId)) return 'titan';
  if (/(^|[./])cohere\.embed-/.test(modelId)) return 'cohere';
  return undefined;
}

/**
 * The request bodies for `input`, one per call: one per text for Titan, batches of 96 for Cohere.
 *
 * @example
 * embeddingBodies('titan', ['a', 'b']) // [{ inputText: 'a', normalize: true }, { inputText: 'b', normalize: true }]
 */
export function embeddingBodies(
  family: EmbeddingFamily,
  input: readonly string[],
): Record<string, unknown>[] {
  if (family === 'titan') return input.map((inputText) => ({ inputText, normalize: true }));
  const bodies: Record<string, unknown>[] = [];
  for (let i = 0; i < input.length; i += COHERE_BATCH) {
    bodies.push({ texts: input.slice(i, i + COHERE_BATCH), input_type: 'search_document' });
  }
  return bodies;
}

/**
 * The vectors and input tokens of one reply body; `undefined` when it is not
 * what the family answers. Cohere reports no tokens in the body (`tokens` is
 * the `x-amzn-bedrock-input-token-count` header).
 *
 * @example
 * readEmbeddingReply('titan', { embedding: [0.1, 0.2], inputTextTokenCount: 3 }, undefined) // { vectors: [[0.1, 0.2]], inputTokens: 3 }
 */
export function readEmbeddingReply(
  family: EmbeddingFamily,
  body: unknown,
  tokens: number | undefined,
): { vectors: number[][]; inputTokens: number } | undefined {
  if (!isRecord(body)) return undefined;
  if (family === 'titan') {
    const vector = body['embedding'];
    if (!isVector(vector)) return undefined;
    const count = body['inputTextTokenCount'];
    return { vectors: [vector], inputTokens: typeof count === 'number' ? count : (tokens ?? 0) };
  }
  const embeddings = body['embeddings'];
  // embed-v3 answers a list; embed-v4 (and v3 with `embedding_types`) an object keyed by type.
  const vectors = isRecord(embeddings) ? embeddings['float'] : embeddings;
  if (!Array.isArray(vectors) || !vectors.every(isVector)) return undefined;
  return { vectors, inputTokens: tokens ?? 0 };
}

function isVector(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'number');
}
