/**
 * Shared set-up of the adapter tests: one fake provider per test file, the
 * environment that points each provider's SDK at it, and small builders.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Env } from '../../../src/providers/adapters.js';
import { createAdapter } from '../../../src/providers/adapters.js';
import type { Attempt, ProviderAdapter } from '../../../src/providers/adapter.js';
import type { ModelRef, ProviderSettings, SupportedProvider } from '../../../src/providers/types.js';
import {
  SUBJECT_TOKEN,
  externalAccountCredentials,
  startFakeProvider,
  type FakeProvider,
  type RecordedRequest,
} from '../../fake-provider/index.js';

/** The API version the Azure tests send. */
export const AZURE_API_VERSION = '2024-10-21';

/** A deadline no healthy loopback call comes near, even on a loaded machine. */
export const ATTEMPT: Attempt = { timeoutMs: 10_000 };

/**
 * Starts a fake provider before the file's tests, resets it after each test and
 * closes it at the end. Read `fake()` inside tests.
 *
 * @example
 * const fake = useFakeProvider();
 * it('...', async () => { fake().on({}, { text: 'hi' }); });
 */
export function useFakeProvider(): () => FakeProvider {
  let fake: FakeProvider | undefined;
  beforeAll(async () => {
    fake = await startFakeProvider();
  });
  afterEach(() => fake?.reset());
  afterAll(async () => {
    await fake?.close();
  });
  return () => {
    if (!fake) throw new Error('the fake provider is not started');
    return fake;
  };
}

/** The environment a user would set to reach `fake` as `provider`. */
export function envFor(fake: FakeProvider, provider: SupportedProvider): Env {
  switch (provider) {
    case 'openai':
      return { OPENAI_API_KEY: 'sk-test-openai', OPENAI_BASE_URL: fake.openaiBaseURL };
    case 'azure':
      return {
        AZURE_OPENAI_API_KEY: 'azure-test-key',
        AZURE_OPENAI_ENDPOINT: fake.azureEndpoint,
        OPENAI_API_VERSION: AZURE_API_VERSION,
      };
    case 'openai-compatible':
      return { OPENAI_COMPATIBLE_BASE_URL: fake.openaiBaseURL, OPENAI_COMPATIBLE_API_KEY: 'local-key' };
    case 'anthropic':
      return { ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: fake.anthropicBaseURL };
    case 'bedrock':
      return {
        AWS_ACCESS_KEY_ID: 'AKIDTESTBEDROCK',
        AWS_SECRET_ACCESS_KEY: 'test-secret',
        AWS_REGION: 'us-east-1',
        AWS_ENDPOINT_URL_BEDROCK_RUNTIME: fake.bedrockEndpoint,
        AWS_ENDPOINT_URL_BEDROCK: fake.bedrockEndpoint,
      };
    case 'vertex':
      return {
        GOOGLE_APPLICATION_CREDENTIALS: googleCredentialsFile(fake),
        GOOGLE_CLOUD_PROJECT: VERTEX_PROJECT,
        GOOGLE_CLOUD_LOCATION: VERTEX_LOCATION,
        GOOGLE_VERTEX_BASE_URL: fake.vertexBaseURL,
      };
  }
}

/** The Google Cloud project and location the Vertex tests call. */
export const VERTEX_PROJECT = 'fake-project';
export const VERTEX_LOCATION = 'us-east5';

const credentialFiles = new WeakMap<FakeProvider, string>();

/**
 * An `external_account` credentials file (workload identity federation) whose
 * token endpoints are the fake's, written once per fake into a scratch folder
 * removed at exit; its subject token file beside it.
 */
export function googleCredentialsFile(fake: FakeProvider): string {
  const known = credentialFiles.get(fake);
  if (known !== undefined) return known;
  const dir = mkdtempSync(join(tmpdir(), 'qualify-vertex-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const tokenFile = join(dir, 'oidc-token');
  writeFileSync(tokenFile, SUBJECT_TOKEN);
  const file = join(dir, 'credentials.json');
  writeFileSync(file, JSON.stringify(externalAccountCredentials(fake.url, tokenFile)));
  credentialFiles.set(fake, file);
  return file;
}

/** An adapter for `provider` pointed at `fake`. */
export function adapterFor(
  fake: FakeProvider,
  provider: SupportedProvider,
  settings: ProviderSettings = {},
  now?: () => number,
): ProviderAdapter {
  return createAdapter(provider, settings, envFor(fake, provider), { now });
}

/** `provider:model` as the client passes it to an adapter. */
export function refOf(provider: SupportedProvider, model: string): ModelRef {
  return { id: `${provider}:${model}`, provider, model };
}

/** The one request the fake received; fails when there is not exactly one. */
export function onlyRequest(fake: FakeProvider): RecordedRequest {
  const { requests } = fake;
  if (requests.length !== 1) throw new Error(`expected 1 request, the fake received ${requests.length}`);
  return requests[0] as RecordedRequest;
}

/** What `promise` rejected with; fails when it resolved. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, it succeeded');
}
