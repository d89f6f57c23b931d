/**
 * The one factory from an HTTP status to an error class, as a table.
 */
import { describe, expect, it } from 'vitest';
import {
  ProviderAuthError,
  ProviderBadRequestError,
  ProviderRateLimitError,
  ProviderServerError,
  providerErrorFromStatus,
  type ProviderError,
} from '../../../src/providers/errors.js';

type ErrorClass = abstract new (...args: never[]) => ProviderError;

describe('providerErrorFromStatus', () => {
  it.each<[number, ErrorClass, string, boolean]>([
    [400, ProviderBadRequestError, 'E_PROVIDER_BAD_REQUEST', false],
    [401, ProviderAuthError, 'E_PROVIDER_AUTH', false],
    [403, ProviderAuthError, 'E_PROVIDER_AUTH', false],
    [404, ProviderBadRequestError, 'E_PROVIDER_BAD_REQUEST', false],
    [408, ProviderServerError, 'E_PROVIDER_SERVER', true],
    [409, ProviderServerError, 'E_PROVIDER_SERVER', true],
    [422, ProviderBadRequestError, 'E_PROVIDER_BAD_REQUEST', false],
    [429, ProviderRateLimitError, 'E_PROVIDER_RATE_LIMIT', true],
    [500, ProviderServerError, 'E_PROVIDER_SERVER', true],
    [502, ProviderServerError, 'E_PROVIDER_SERVER', true],
    [503, ProviderServerError, 'E_PROVIDER_SERVER', true],
    [504, ProviderServerError, 'E_PROVIDER_SERVER', true],
  ])('%i -> %o (%s, retryable %s)', (status, errorClass, code, retryable) => {
    const error = providerErrorFromStatus(status, 'boom', { provider: 'openai', model: 'gpt-5', status });
    expect(error).toBeInstanceOf(errorClass);
    expect(error).toMatchObject({ code, status, retryable, provider: 'openai', model: 'gpt-5' });
  });

  it('keeps the request id and retry-after from the headers', () => {
    const headers = new Headers({ 'x-request-id': 'req_123', 'retry-after': '7' });
    const error = providerErrorFromStatus(429, 'slow down', {
      provider: 'openai',
      model: 'gpt-5',
      status: 429,
      headers,
    });
    expect(error).toMatchObject({
      requestId: 'req_123',
      retryAfterMs: 7000,
      message: 'openai:gpt-5 answered 429: slow down',
    });
  });

  it("reads Anthropic's request-id and retry-after-ms, which wins over retry-after", () => {
    const headers = { 'request-id': 'req_ant', 'retry-after-ms': '250', 'retry-after': '9' };
    const error = providerErrorFromStatus(503, 'overloaded', {
      provider: 'anthropic',
      model: 'claude',
      status: 503,
      headers,
    });
    expect(error).toMatchObject({ requestId: 'req_ant', retryAfterMs: 250 });
  });

  it('tells the user to check the key on 401', () => {
    const error = providerErrorFromStatus(401, 'invalid x-api-key', {
      provider: 'anthropic',
      model: 'claude',
      status: 401,
    });
    expect(error.message).toBe(
      'anthropic:claude answered 401: invalid x-api-key (check the API key for anthropic)',
    );
  });
});
