/**
 * `listModels` on the OpenAI and Anthropic adapters, through the official SDKs against the fake
 * provider's `GET /v1/models`: ids, release dates, Anthropic's cursor pages, and errors.
 */
import { describe, expect, it } from 'vitest';
import { createAdapter } from '../../../src/providers/adapters.js';
import { ProviderAuthError, ProviderError } from '../../../src/providers/errors.js';
import { ATTEMPT, envFor, useFakeProvider } from './adapters-fixture.js';

const fake = useFakeProvider();

const MODELS = [
  { id: 'model-a', createdAt: '2026-10-01T00:00:00Z' },
  { id: 'model-b', createdAt: '2026-11-20T08:30:00Z' },
  { id: 'model-c' },
];

describe('listModels', () => {
  it('OpenAI: every id, `created` (unix seconds) as an ISO date-time, none for created: 0', async () => {
    fake().setModels(MODELS);
    const adapter = createAdapter('openai', {}, envFor(fake(), 'openai'));
    expect(await adapter.listModels!(ATTEMPT)).toEqual([
      { id: 'model-a', createdAt: '2026-10-01T00:00:00.000Z' },
      { id: 'model-b', createdAt: '2026-11-20T08:30:00.000Z' },
      { id: 'model-c', createdAt: undefined },
    ]);
    expect(fake().modelListRequests.map((r) => [r.vendor, r.headers['authorization']])).toEqual([
      ['openai', 'Bearer sk-test-openai'],
    ]);
  });

  it('Anthropic: follows has_more / last_id across pages, in order', async () => {
    const many = Array.from({ length: 7 }, (_, i) => ({
      id: `claude-${i}`,
      createdAt: `2026-11-0${i + 1}T00:00:00Z`,
    }));
    fake().setModels(many, { pageSize: 3 });
    const adapter = createAdapter('anthropic', {}, envFor(fake(), 'anthropic'));
    const listed = await adapter.listModels!(ATTEMPT);
    expect(listed).toEqual(many);
    expect(fake().modelListRequests.map((r) => r.query['after_id'] ?? null)).toEqual([
      null,
      'claude-2',
      'claude-5',
    ]);
    expect(fake().modelListRequests.map((r) => r.headers['authorization'])).toEqual(
      Array(3).fill('Bearer sk-ant-test'),
    );
  });

  it('an empty list is an empty array', async () => {
    const adapter = createAdapter('anthropic', {}, envFor(fake(), 'anthropic'));
    expect(await adapter.listModels!(ATTEMPT)).toEqual([]);
  });

  it('without credentials: a ProviderAuthError naming the variable, no request', async () => {
    const adapter = createAdapter('openai', {}, { OPENAI_BASE_URL: fake().openaiBaseURL });
    const error = await adapter.listModels!(ATTEMPT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderAuthError);
    expect((error as Error).message).toContain('OPENAI_API_KEY');
    expect(fake().modelListRequests).toEqual([]);
  });

  it('an unreachable API is a ProviderError, not an SDK error', async () => {
    const adapter = createAdapter(
      'anthropic',
      {},
      { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: 'http://127.0.0.1:9' },
    );
    const error = await adapter.listModels!(ATTEMPT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as Error).message).toMatch(/^anthropic:models: could not reach the API/);
  });
});
