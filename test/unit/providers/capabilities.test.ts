import { expect, test } from 'vitest';
import { modelCapabilities } from '../../../src/providers/capabilities.js';
import type { SupportedProvider } from '../../../src/providers/types.js';

test.each([
  ['openai', 'gpt-4.1', true, true],
  ['openai', 'gpt-4o-mini', true, true],
  ['openai', 'gpt-5', false, false],
  ['openai', 'gpt-5-mini', false, false],
  ['openai', 'gpt-5-chat-latest', true, true],
  ['openai', 'o3', false, false],
  ['azure', 'o4-mini', false, false],
  ['anthropic', 'claude-sonnet-4-6', false, false],
  ['openai-compatible', 'gpt-5', true, true],
  ['bedrock', 'us.anthropic.claude-sonnet-4-6-v1:0', false, false],
  ['bedrock', 'anthropic.claude-haiku-4-5-20251001-v1:0', false, false],
  ['bedrock', 'mistral.mistral-large-2407-v1:0', false, true],
  ['bedrock', 'meta.llama3-3-70b-instruct-v1:0', false, true],
  ['vertex', 'gemini-2.5-flash', true, true],
  ['vertex', 'claude-sonnet-4-5@20250929', false, false],
] as const)('%s:%s logprobs=%s temperature=%s', (provider, model, logprobs, temperature) => {
  expect(modelCapabilities({ provider: provider as SupportedProvider, model })).toEqual({
    logprobs,
    temperature,
  });
});

test('a reasoning model gets no temperature and no logprobs on the wire', async () => {
  const { toOpenAIParams } = await import('../../../src/providers/openai/wire.js');
  const request = {
    model: 'openai:x',
    messages: [{ role: 'user' as const, content: 'Hi' }],
    temperature: 0,
    logprobs: { top: 20 },
  };
  const reasoning = toOpenAIParams('gpt-5', request, 'openai');
  expect([reasoning.temperature, reasoning.logprobs, reasoning.top_logprobs]).toEqual([
    undefined,
    undefined,
    undefined,
  ]);
  const classic = toOpenAIParams('gpt-4.1', request, 'openai');
  expect([classic.temperature, classic.logprobs, classic.top_logprobs]).toEqual([0, true, 20]);
});
