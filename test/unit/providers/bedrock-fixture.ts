/**
 * Shared set-up of the Bedrock adapter tests: the model ids, a tool, a schema, and a chat call
 * through the real AWS SDK against the fake (with a clock that puts the first token at 5 ms).
 */
import type { ProviderError } from '../../../src/providers/errors.js';
import type { ChatRequest } from '../../../src/providers/types.js';
import type { FakeProvider } from '../../fake-provider/index.js';
import { ATTEMPT, adapterFor, refOf } from './adapters-fixture.js';

export type ErrorClass = abstract new (...args: never[]) => ProviderError;
export const CLAUDE = 'us.anthropic.claude-sonnet-4-6-v1:0';
export const MISTRAL = 'mistral.mistral-large-2407-v1:0';
export const ref = refOf('bedrock', CLAUDE);

export const WEATHER_TOOL = {
  name: 'get_weather',
  description: 'Current weather in a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};
export const GRADE_SCHEMA = {
  name: 'grade',
  schema: { type: 'object', properties: { score: { type: 'number' } } },
};

/** A clock that advances 5 ms per reading: request start at 0, first token at 5. */
function steppingClock(): () => number {
  let now = -5;
  return () => (now += 5);
}

/**
 * One chat attempt of the Bedrock adapter pointed at `fake`.
 *
 * @example
 * await bedrockChat(fake(), { messages: [{ role: 'user', content: 'Hi' }] })
 */
export function bedrockChat(fake: FakeProvider, request: Omit<ChatRequest, 'model'>, model = CLAUDE) {
  const target = refOf('bedrock', model);
  return adapterFor(fake, 'bedrock', {}, steppingClock()).chat(
    target,
    { model: target.id, ...request },
    ATTEMPT,
  );
}
