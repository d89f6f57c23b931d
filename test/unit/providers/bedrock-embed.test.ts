/**
 * The Bedrock embedding bodies and replies (pure): which family a model id is, how inputs are cut into
 * calls, and the reply shapes of Titan and Cohere v3 / v4.
 */
import { describe, expect, test } from 'vitest';
import {
  embeddingBodies,
  embeddingFamily,
  readEmbeddingReply,
} from '../../../src/providers/bedrock/embed.js';

describe('embeddingFamily', () => {
  test.each([
    ['amazon.titan-embed-text-v2:0', 'titan'],
    ['amazon.titan-embed-text-v1', 'titan'],
    ['cohere.embed-english-v3', 'cohere'],
    ['us.cohere.embed-v4:0', 'cohere'],
    ['arn:aws:bedrock:us-east-1::foundation-model/cohere.embed-multilingual-v3', 'cohere'],
    ['anthropic.claude-sonnet-4-6', undefined],
    ['notamazon.titan-embed-text-v2:0', undefined],
  ])('%s is %s', (model, family) => {
    expect(embeddingFamily(model)).toBe(family);
  });
});

describe('embeddingBodies', () => {
  test('Titan: one body per text', () => {
    expect(embeddingBodies('titan', ['a', 'b'])).toEqual([
      { inputText: 'a', normalize: true },
      { inputText: 'b', normalize: true },
    ]);
  });

  test('Cohere: batches of at most 96 texts, in order', () => {
    const input = Array.from({ length: 200 }, (_, i) => `t${i}`);
    const bodies = embeddingBodies('cohere', input);
    expect(bodies.map((body) => (body['texts'] as string[]).length)).toEqual([96, 96, 8]);
    expect(bodies.flatMap((body) => body['texts'] as string[])).toEqual(input);
    expect(bodies.every((body) => body['input_type'] === 'search_document')).toBe(true);
  });
});

describe('readEmbeddingReply', () => {
  test.each<[string, 'titan' | 'cohere', unknown, number | undefined, unknown]>([
    [
      'Titan with its token count',
      'titan',
      { embedding: [0.1, 0.2], inputTextTokenCount: 3 },
      9,
      { vectors: [[0.1, 0.2]], inputTokens: 3 },
    ],
    [
      'Cohere v3: a list, tokens from the header',
      'cohere',
      { embeddings: [[1], [2]] },
      7,
      { vectors: [[1], [2]], inputTokens: 7 },
    ],
    [
      'Cohere v4: keyed by type',
      'cohere',
      { embeddings: { float: [[1, 2]] } },
      undefined,
      { vectors: [[1, 2]], inputTokens: 0 },
    ],
    ['Titan without a vector', 'titan', { inputTextTokenCount: 3 }, undefined, undefined],
    ['Cohere with a vector that is not numbers', 'cohere', { embeddings: [['x']] }, undefined, undefined],
    ['not an object', 'titan', 'oops', undefined, undefined],
  ])('%s', (_name, family, body, tokens, expected) => {
    expect(readEmbeddingReply(family, body, tokens)).toEqual(expected);
  });
});
