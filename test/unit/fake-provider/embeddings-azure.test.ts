import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import {
  echoResponder,
  hashEmbedding,
  startFakeProvider,
  type FakeProvider,
} from '../../fake-provider/index.js';
import { toBase64Floats } from '../../fake-provider/embeddings.js';
import { AZURE_API_VERSION, azureFor, openaiFor } from './openai-clients.js';

let fake: FakeProvider;
beforeAll(async () => {
  fake = await startFakeProvider();
});
afterEach(() => fake.reset());
afterAll(() => fake.close());

const MODEL = 'text-embedding-3-small';
const inputs = ['refund window', 'shipping'];
const byHash = { embeddings: (text: string) => hashEmbedding(text, 4) };
const cosine = (a: number[], b: number[]): number => a.reduce((sum, x, i) => sum + x * (b[i] ?? 0), 0);

describe('openai embeddings', () => {
  test('float vectors, one per input in order, with usage', async () => {
    fake.on({ api: 'openai.embeddings' }, byHash);
    const res = await openaiFor(fake).embeddings.create({
      model: MODEL,
      input: inputs,
      encoding_format: 'float',
    });
    expect(res).toEqual({
      object: 'list',
      model: MODEL,
      data: [
        { object: 'embedding', index: 0, embedding: hashEmbedding('refund window', 4) },
        { object: 'embedding', index: 1, embedding: hashEmbedding('shipping', 4) },
      ],
      // 13 and 8 characters: 4 + 2 tokens.
      usage: { prompt_tokens: 6, total_tokens: 6 },
    });
  });

  test('the SDK default asks for base64 and decodes float32 vectors', async () => {
    fake.on({}, byHash);
    const res = await openaiFor(fake).embeddings.create({ model: MODEL, input: inputs });
    expect(fake.requests[0]?.body['encoding_format']).toBe('base64');
    expect(res.data.map((item) => item.embedding)).toEqual(
      inputs.map((text) => hashEmbedding(text, 4).map(Math.fround)),
    );
  });

  test('an explicit base64 request gets the little-endian float32 string', async () => {
    fake.on({}, { embeddings: [[1, -2, 0.5]] });
    const res = await openaiFor(fake).embeddings.create({
      model: MODEL,
      input: 'x',
      encoding_format: 'base64',
    });
    expect(res.data[0]?.embedding).toBe('AACAPwAAAMAAAAA/');
    expect(toBase64Floats([1, -2, 0.5])).toBe('AACAPwAAAMAAAAA/');
  });

  test('a vector count that does not fit the inputs is a 400 that says so', async () => {
    fake.on({}, { embeddings: [[1, 0]] });
    const error = await openaiFor(fake)
      .embeddings.create({ model: MODEL, input: inputs, encoding_format: 'float' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).message).toBe(
      `400 fake provider: 1 vectors scripted for 2 inputs to openai.embeddings model ${MODEL}`,
    );
  });

  test('a chat reply scripted for embeddings, and the reverse, are 400s naming the fix', async () => {
    fake.on({ api: 'openai.embeddings' }, { text: 'oops' });
    fake.on({ api: 'openai.chat' }, { embeddings: [[1]] });
    const openai = openaiFor(fake);
    await expect(
      openai.embeddings.create({ model: MODEL, input: 'x', encoding_format: 'float' }),
    ).rejects.toThrow(
      `400 fake provider: a chat reply was scripted for openai.embeddings model ${MODEL}; script { embeddings }`,
    );
    await expect(
      openai.chat.completions.create({ model: 'gpt-5', messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toThrow(
      '400 fake provider: an embeddings reply was scripted for openai.chat model gpt-5; script { text }',
    );
  });

  test('echoResponder embeds with the requested dimensions', async () => {
    fake.on({}, echoResponder);
    const res = await openaiFor(fake).embeddings.create({
      model: MODEL,
      input: 'refund window',
      dimensions: 3,
      encoding_format: 'float',
    });
    expect(res.data[0]?.embedding).toEqual(hashEmbedding('refund window', 3));
  });
});

describe('hashEmbedding', () => {
  test('a deterministic unit vector of the asked size', () => {
    const vector = hashEmbedding('Refund window', 16);
    expect(vector).toHaveLength(16);
    expect(hashEmbedding('refund   WINDOW', 16)).toEqual(vector);
    expect(Math.hypot(...vector)).toBeCloseTo(1, 12);
    expect(hashEmbedding('')).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
    expect(() => hashEmbedding('x', 0)).toThrow(RangeError);
  });

  test('texts sharing words are closer than texts sharing none', () => {
    const base = hashEmbedding('refund window thirty days', 64);
    const near = hashEmbedding('refund window', 64);
    const far = hashEmbedding('shipping carrier tracking', 64);
    expect(cosine(base, near)).toBeGreaterThan(cosine(base, far));
  });
});

describe('azure openai', () => {
  test('chat on the deployment path, recorded with the deployment as model', async () => {
    fake.on({ api: 'openai.chat', model: 'prod-gpt' }, { text: 'Thirty days.' });
    const res = await azureFor(fake, 'prod-gpt').chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'Return window?' }],
    });
    expect(res.choices[0]?.message.content).toBe('Thirty days.');
    expect(res._request_id).toBe('req_fake_1');
    expect(fake.requests[0]).toMatchObject({
      api: 'openai.chat',
      path: '/openai/deployments/prod-gpt/chat/completions',
      query: { 'api-version': AZURE_API_VERSION },
      model: 'prod-gpt',
      body: { model: 'gpt-4o' },
    });
    expect(fake.requests[0]?.headers['api-key']).toBe('azure-test');
  });

  test('embeddings on the deployment path', async () => {
    fake.on({ api: 'openai.embeddings', model: 'prod-embed' }, byHash);
    const res = await azureFor(fake, 'prod-embed').embeddings.create({ model: MODEL, input: inputs });
    expect(res.data.map((item) => item.embedding)).toEqual(
      inputs.map((text) => hashEmbedding(text, 4).map(Math.fround)),
    );
    expect(fake.requests[0]?.path).toBe('/openai/deployments/prod-embed/embeddings');
  });
});
