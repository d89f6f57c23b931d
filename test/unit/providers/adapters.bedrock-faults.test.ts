/**
 * Faults and errors of the Bedrock adapter through the real AWS SDK against the fake: streams cut,
 * malformed or interrupted by an exception event, timeouts, AWS errors by name, missing credentials.
 */
import { describe, expect, it } from 'vitest';
import { createAdapter } from '../../../src/providers/adapters.js';
import {
  ProviderAuthError,
  ProviderBadRequestError,
  ProviderRateLimitError,
  ProviderResponseError,
  ProviderServerError,
  ProviderTimeoutError,
  type ProviderError,
} from '../../../src/providers/errors.js';
import { ATTEMPT, adapterFor, onlyRequest, rejectionOf, useFakeProvider } from './adapters-fixture.js';
import { CLAUDE, bedrockChat, ref, type ErrorClass } from './bedrock-fixture.js';

const fake = useFakeProvider();
const chat = (request: Parameters<typeof bedrockChat>[1], model?: string) =>
  bedrockChat(fake(), request, model);

describe('bedrock stream faults', () => {
  it('reports a stream cut before messageStop as unusable, with the request id', async () => {
    fake().on({ api: 'bedrock.converse' }, { fault: { kind: 'truncated-stream' } });
    const error = await rejectionOf(chat({ messages: [{ role: 'user', content: 'Hi' }], stream: true }));
    expect(error).toBeInstanceOf(ProviderResponseError);
    expect(error).toMatchObject({ retryable: true, requestId: onlyRequest(fake()).id });
    expect((error as Error).message).toContain('stream ended early, without messageStop');
  });

  it('reports an event that is not JSON as unusable, retryable', async () => {
    fake().on({ api: 'bedrock.converse' }, { fault: { kind: 'malformed' } });
    const error = await rejectionOf(chat({ messages: [{ role: 'user', content: 'Hi' }], stream: true }));
    expect(error).toBeInstanceOf(ProviderResponseError);
    expect((error as ProviderError).retryable).toBe(true);
  });

  it.each<[string, ErrorClass, boolean]>([
    ['throttlingException', ProviderRateLimitError, true],
    ['modelStreamErrorException', ProviderServerError, true],
    ['serviceUnavailableException', ProviderServerError, true],
    ['validationException', ProviderBadRequestError, false],
  ])('an exception event %s mid-stream -> %o, retryable %s', async (errorType, errorClass, retryable) => {
    fake().on(
      { api: 'bedrock.converse' },
      { fault: { kind: 'stream-exception', errorType, message: 'mid-stream' } },
    );
    const error = await rejectionOf(chat({ messages: [{ role: 'user', content: 'Hi' }], stream: true }));
    expect(error).toBeInstanceOf(errorClass);
    expect(error).toMatchObject({
      retryable,
      provider: 'bedrock',
      model: CLAUDE,
      requestId: onlyRequest(fake()).id,
    });
    expect((error as Error).message).toMatch(
      new RegExp(
        `^bedrock:${CLAUDE} reported ${errorType.replace(/^./, (c) => c.toUpperCase())} mid-stream: mid-stream; \\S`,
      ),
    );
  });

  it('times out a reply that never comes, as a retryable timeout', async () => {
    fake().on({ api: 'bedrock.converse' }, { fault: { kind: 'hang' } });
    const adapter = adapterFor(fake(), 'bedrock');
    const error = await rejectionOf(
      adapter.chat(
        ref,
        { model: ref.id, messages: [{ role: 'user', content: 'Hi' }], stream: true },
        { timeoutMs: 200 },
      ),
    );
    expect(error).toBeInstanceOf(ProviderTimeoutError);
    expect((error as Error).message).toBe(
      `bedrock:${CLAUDE} did not answer within 200 ms; retry later or raise providers.bedrock.timeout_s in rubric.yaml`,
    );
  });
});

describe('bedrock errors, by AWS error name', () => {
  it.each<[number, string, ErrorClass, boolean]>([
    [429, 'ThrottlingException', ProviderRateLimitError, true],
    [400, 'ServiceQuotaExceededException', ProviderRateLimitError, true],
    [429, 'ModelNotReadyException', ProviderServerError, true],
    [503, 'ServiceUnavailableException', ProviderServerError, true],
    [500, 'InternalServerException', ProviderServerError, true],
    [400, 'ValidationException', ProviderBadRequestError, false],
    [403, 'AccessDeniedException', ProviderAuthError, false],
    [403, 'UnrecognizedClientException', ProviderAuthError, false],
    [403, 'ExpiredTokenException', ProviderAuthError, false],
    [404, 'ResourceNotFoundException', ProviderBadRequestError, false],
    [502, 'SomethingNewException', ProviderServerError, true],
  ])('%i %s -> %o, retryable %s', async (status, errorType, errorClass, retryable) => {
    fake().on(
      { api: 'bedrock.converse' },
      { fault: { kind: 'status', status, errorType, message: 'said by AWS' } },
    );
    const error = await rejectionOf(chat({ messages: [{ role: 'user', content: 'Hi' }] }));
    expect(error).toBeInstanceOf(errorClass);
    expect(error).toMatchObject({
      status,
      retryable,
      requestId: onlyRequest(fake()).id,
      provider: 'bedrock',
    });
    expect((error as Error).message).toMatch(
      new RegExp(`^bedrock:${CLAUDE} answered ${status} ${errorType}: said by AWS; \\S`),
    );
  });

  it('sends a 429 ThrottlingException by default for a status fault, as real Bedrock does', async () => {
    fake().on({ api: 'bedrock.converse' }, { fault: { kind: 'status', status: 429 } });
    const error = await rejectionOf(chat({ messages: [{ role: 'user', content: 'Hi' }], stream: true }));
    expect(error).toBeInstanceOf(ProviderRateLimitError);
    expect((error as Error).message).toContain('429 ThrottlingException');
  });

  it('refuses the call before the network when credentials or region are missing', async () => {
    const adapter = createAdapter(
      'bedrock',
      {},
      { AWS_ENDPOINT_URL_BEDROCK_RUNTIME: fake().bedrockEndpoint },
    );
    expect(adapter.hasCredentials).toBe(false);
    const error = await rejectionOf(
      adapter.chat(ref, { model: ref.id, messages: [{ role: 'user', content: 'Hi' }] }, ATTEMPT),
    );
    expect(error).toBeInstanceOf(ProviderAuthError);
    expect((error as Error).message).toBe(
      `bedrock:${CLAUDE} has no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY ` +
        '(or AWS_PROFILE, or AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE for OIDC); ' +
        'set AWS_REGION (or providers.bedrock.region in rubric.yaml)',
    );
    expect(fake().requests).toHaveLength(0);
  });

  it('the fake refuses a request that is not SigV4-signed, as Bedrock does', async () => {
    const response = await fetch(`${fake().bedrockEndpoint}/model/${encodeURIComponent(CLAUDE)}/converse`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [] }),
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
  });
});
