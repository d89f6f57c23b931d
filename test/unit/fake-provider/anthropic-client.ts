/**
 * The `@anthropic-ai/sdk` client, pointed at a fake provider, retries off, logs
 * off (the SDK logs unparseable stream events the fault tests send on purpose).
 */
import Anthropic from '@anthropic-ai/sdk';
import type { FakeProvider } from '../../fake-provider/index.js';

export function anthropicFor(fake: FakeProvider, options: { timeout?: number } = {}): Anthropic {
  return new Anthropic({
    baseURL: fake.anthropicBaseURL,
    apiKey: 'sk-test',
    maxRetries: 0,
    logLevel: 'off',
    ...options,
  });
}
