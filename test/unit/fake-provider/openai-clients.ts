/**
 * The `openai` SDK clients, pointed at a fake provider, retries off, logs off
 * (the SDK logs unparseable stream events the fault tests send on purpose).
 * Kept apart from the Anthropic client so OpenAI-only test files load one SDK.
 */
import OpenAI, { AzureOpenAI } from 'openai';
import type { FakeProvider } from '../../fake-provider/index.js';

export function openaiFor(fake: FakeProvider, options: { timeout?: number } = {}): OpenAI {
  return new OpenAI({
    baseURL: fake.openaiBaseURL,
    apiKey: 'sk-test',
    maxRetries: 0,
    logLevel: 'off',
    ...options,
  });
}

export const AZURE_API_VERSION = '2024-10-21';

export function azureFor(fake: FakeProvider, deployment: string): AzureOpenAI {
  return new AzureOpenAI({
    endpoint: fake.azureEndpoint,
    apiKey: 'azure-test',
    apiVersion: AZURE_API_VERSION,
    deployment,
    maxRetries: 0,
    logLevel: 'off',
  });
}
