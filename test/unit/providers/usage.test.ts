import { describe, expect, test } from 'vitest';
import type { CallUsage } from '../../../src/providers/types.js';
import { BUILTIN_PRICES, callCost, createUsageMeter, priceOf } from '../../../src/providers/usage.js';

function usage(overrides: Partial<CallUsage> = {}): CallUsage {
  return {
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    latencyMs: 0,
    retries: 0,
    cached: false,
    ...overrides,
  };
}

describe('priceOf', () => {
  test('finds a built-in price, and a dated snapshot by its base model', () => {
    expect(priceOf('openai:gpt-5')).toEqual({ input_per_mtok: 1.25, output_per_mtok: 10 });
    expect(priceOf('openai:gpt-4o-2024-08-06')).toEqual({ input_per_mtok: 2.5, output_per_mtok: 10 });
    expect(priceOf('anthropic:claude-sonnet-4-5-20250929')).toEqual({
      input_per_mtok: 3,
      output_per_mtok: 15,
    });
  });

  test('prices Vertex: Gemini, and Claude on Vertex by its @-dated version', () => {
    expect(priceOf('vertex:gemini-2.5-flash')).toEqual({ input_per_mtok: 0.3, output_per_mtok: 2.5 });
    expect(priceOf('vertex:claude-sonnet-4-5@20250929')).toEqual({ input_per_mtok: 3, output_per_mtok: 15 });
    expect(priceOf('vertex:gemini-2.5-flash@001')).toBeUndefined();
  });

  test('rubric prices win over the built-in table and add models', () => {
    const prices = {
      'openai:gpt-5': { input_per_mtok: 1, output_per_mtok: 8 },
      'openai-compatible:llama-3-70b': { input_per_mtok: 0.5, output_per_mtok: 0.5 },
    };
    expect(priceOf('openai:gpt-5', prices)).toEqual({ input_per_mtok: 1, output_per_mtok: 8 });
    expect(priceOf('openai-compatible:llama-3-70b', prices)).toEqual({
      input_per_mtok: 0.5,
      output_per_mtok: 0.5,
    });
    expect(BUILTIN_PRICES['openai:gpt-5']).toEqual({ input_per_mtok: 1.25, output_per_mtok: 10 });
  });

  test.each([
    ['bedrock:anthropic.claude-sonnet-4-5-20250929-v1:0', { input_per_mtok: 3, output_per_mtok: 15 }],
    ['bedrock:global.anthropic.claude-haiku-4-5-20251001-v1:0', { input_per_mtok: 1, output_per_mtok: 5 }],
    ['bedrock:anthropic.claude-sonnet-4-6', { input_per_mtok: 3, output_per_mtok: 15 }],
    ['bedrock:amazon.titan-embed-text-v2:0', { input_per_mtok: 0.02, output_per_mtok: 0 }],
    ['bedrock:us.anthropic.claude-sonnet-4-6-v1:0', undefined],
    ['bedrock:amazon.titan-embed-text-v1', undefined],
    ['bedrock:arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc', undefined],
  ])('bedrock %s is priced by its model without date and version: %j', (model, price) => {
    expect(priceOf(model)).toEqual(price);
  });

  test('a rubric price for a geographic Bedrock profile is used as written', () => {
    const prices = {
      'bedrock:us.anthropic.claude-sonnet-4-6-v1:0': { input_per_mtok: 3.3, output_per_mtok: 16.5 },
    };
    expect(priceOf('bedrock:us.anthropic.claude-sonnet-4-6-v1:0', prices)).toEqual(
      prices['bedrock:us.anthropic.claude-sonnet-4-6-v1:0'],
    );
  });

  test('an unknown model has no price', () => {
    expect(priceOf('anthropic:claude-opus-4-7')).toBeUndefined();
  });
});

describe('callCost', () => {
  test('prices input and output tokens per million', () => {
    expect(callCost('anthropic:claude-sonnet-4-6', 1_000, 500)).toEqual({ costUsd: 0.0105, priced: true });
    expect(callCost('openai:text-embedding-3-small', 2_000_000, 0)).toEqual({ costUsd: 0.04, priced: true });
  });

  test('an unknown model costs 0 and says it is not priced', () => {
    expect(callCost('azure:my-deployment', 1_000, 500)).toEqual({ costUsd: 0, priced: false });
  });
});

describe('createUsageMeter', () => {
  test('adds calls, tokens, cost, retries and cached calls, by purpose', () => {
    const meter = createUsageMeter();
    meter.record(
      'openai:gpt-5',
      usage({ inputTokens: 100, outputTokens: 20, costUsd: 0.5, retries: 2 }),
      'judge',
    );
    meter.record('openai:gpt-5', usage({ inputTokens: 50, outputTokens: 10, cached: true }), 'judge');
    meter.record(
      'anthropic:claude-sonnet-4-6',
      usage({ inputTokens: 7, outputTokens: 3, costUsd: 0.25 }),
      'agent',
    );
    meter.record('anthropic:claude-sonnet-4-6', usage({ inputTokens: 1, outputTokens: 1, costUsd: 0.125 }));
    expect(meter.totals()).toEqual({
      calls: 4,
      input_tokens: 158,
      output_tokens: 34,
      cost_usd: 0.875,
      cached_calls: 1,
      retries: 2,
      by_purpose: {
        judge: { calls: 2, input_tokens: 150, output_tokens: 30 },
        agent: { calls: 1, input_tokens: 7, output_tokens: 3 },
      },
    });
  });

  test('lists models called for real without a price, not cached ones', () => {
    const meter = createUsageMeter({ 'azure:priced-deployment': { input_per_mtok: 1, output_per_mtok: 1 } });
    meter.record('azure:prod-deployment', usage());
    meter.record('anthropic:claude-opus-4-7', usage());
    meter.record('azure:prod-deployment', usage());
    meter.record('azure:priced-deployment', usage());
    meter.record('openai-compatible:cached-only', usage({ cached: true }));
    expect(meter.unpricedModels()).toEqual(['anthropic:claude-opus-4-7', 'azure:prod-deployment']);
  });

  test('totals are a copy the caller cannot change', () => {
    const meter = createUsageMeter();
    meter.record('openai:gpt-5', usage({ inputTokens: 1 }), 'agent');
    const first = meter.totals();
    first.calls = 99;
    (first.by_purpose.agent as { calls: number }).calls = 99;
    expect(meter.totals().calls).toBe(1);
    expect(meter.totals().by_purpose.agent?.calls).toBe(1);
  });
});
