/**
 * Every fault the fake provider can serve, per provider, through the real SDKs:
 * which `ProviderError` comes out, with its status, request id, `retryAfterMs`
 * and message.
 */
import { describe, expect, it } from 'vitest';
import type { ProviderError } from '../../../src/providers/errors.js';
import {
  ProviderAbortError,
  ProviderAuthError,
  ProviderBadRequestError,
  ProviderConnectionError,
  ProviderRateLimitError,
  ProviderResponseError,
  ProviderServerError,
  ProviderTimeoutError,
} from '../../../src/providers/errors.js';
import type { ChatRequest, SupportedProvider } from '../../../src/providers/types.js';
import type { Api, Fault } from '../../fake-provider/index.js';
import { ATTEMPT, adapterFor, onlyRequest, refOf, rejectionOf, useFakeProvider } from './adapters-fixture.js';

const fake = useFakeProvider();
const PROVIDERS: SupportedProvider[] = ['openai', 'azure', 'openai-compatible', 'anthropic'];

type ErrorClass = abstract new (...args: never[]) => ProviderError;

describe.each(PROVIDERS)('%s faults', (provider) => {
  const api: Api = provider === 'anthropic' ? 'anthropic.messages' : 'openai.chat';
  const ref = refOf(provider, 'm1');
  const where = `${provider}:m1`;
  const fakeMessage = (status: number) => `fake provider: ${status} fault for ${api} model m1`;

  async function failChat(fault: Fault, request: Partial<ChatRequest> = {}, timeoutMs = ATTEMPT.timeoutMs) {
    fake().on({ api }, { fault });
    const call = adapterFor(fake(), provider).chat(
      ref,
      { model: ref.id, messages: [{ role: 'user', content: 'Hi' }], ...request },
      { timeoutMs, signal: request.signal },
    );
    return rejectionOf(call);
  }

  it.each<[number, ErrorClass, string]>([
    [400, ProviderBadRequestError, ''],
    [401, ProviderAuthError, ` (check the API key for ${provider})`],
    [403, ProviderAuthError, ` (check the API key for ${provider})`],
    [404, ProviderBadRequestError, ' (check the model name and the base URL)'],
    [409, ProviderServerError, ''],
    [422, ProviderBadRequestError, ''],
    [500, ProviderServerError, ''],
    [502, ProviderServerError, ''],
    [529, ProviderServerError, ''],
  ])('answers status %i with %o, keeping the status and request id', async (status, errorClass, hint) => {
    const error = await failChat({ kind: 'status', status });
    expect(error).toBeInstanceOf(errorClass);
    expect(error).toMatchObject({
      status,
      requestId: onlyRequest(fake()).id,
      provider,
      model: 'm1',
      message: `${where} answered ${status}: ${fakeMessage(status)}${hint}`,
    });
  });

  it('answers 429 with ProviderRateLimitError and retryAfterMs from retry-after seconds', async () => {
    const error = await failChat({ kind: 'status', status: 429, retryAfterS: 2 });
    expect(error).toBeInstanceOf(ProviderRateLimitError);
    expect(error).toMatchObject({
      status: 429,
      retryAfterMs: 2000,
      requestId: onlyRequest(fake()).id,
      retryable: true,
    });
  });

  it('answers 429 with retryAfterMs from retry-after-ms', async () => {
    const error = await failChat({ kind: 'status', status: 429, retryAfterMs: 1500 });
    expect(error).toMatchObject({ code: 'E_PROVIDER_RATE_LIMIT', retryAfterMs: 1500 });
  });

  it('answers 503 with ProviderServerError and its retry-after', async () => {
    const error = await failChat({ kind: 'status', status: 503, retryAfterS: 1 }, { stream: true });
    expect(error).toBeInstanceOf(ProviderServerError);
    expect(error).toMatchObject({ status: 503, retryAfterMs: 1000, retryable: true });
  });

  it('turns a hang into ProviderTimeoutError after timeoutMs', async () => {
    const error = await failChat({ kind: 'hang' }, {}, 150);
    expect(error).toBeInstanceOf(ProviderTimeoutError);
    expect(error).toMatchObject({
      message: `${where} did not answer within 150 ms; retry later or raise providers.${provider}.timeout_s in rubric.yaml`,
      retryable: true,
    });
  });

  it('turns a slow stream into ProviderTimeoutError', async () => {
    fake().on({ api }, { text: 'late' }, { latencyMs: 5_000 });
    const call = adapterFor(fake(), provider).chat(
      ref,
      { model: ref.id, messages: [{ role: 'user', content: 'Hi' }], stream: true },
      { timeoutMs: 150 },
    );
    expect(await rejectionOf(call)).toBeInstanceOf(ProviderTimeoutError);
  });

  it("turns the caller's abort into ProviderAbortError, not a timeout", async () => {
    const controller = new AbortController();
    const pending = failChat({ kind: 'hang' }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const error = await pending;
    expect(error).toBeInstanceOf(ProviderAbortError);
    expect(error).toMatchObject({ code: 'E_PROVIDER_ABORT', retryable: false });
  });

  it('sends nothing when the signal has already aborted', async () => {
    const error = await failChat({ kind: 'hang' }, { signal: AbortSignal.abort() });
    expect(error).toBeInstanceOf(ProviderAbortError);
    expect(fake().requests).toHaveLength(0);
  });

  it('turns a reset socket into ProviderConnectionError', async () => {
    const error = await failChat({ kind: 'reset' });
    expect(error).toBeInstanceOf(ProviderConnectionError);
    expect(error).toMatchObject({ code: 'E_PROVIDER_CONNECTION', retryable: true });
  });

  it.each([false, true])(
    'turns a body that is not JSON into ProviderResponseError (stream: %s)',
    async (stream) => {
      const error = await failChat({ kind: 'malformed' }, { stream });
      expect(error).toBeInstanceOf(ProviderResponseError);
      expect((error as ProviderError).message).toMatch(
        new RegExp(
          `^${where} sent an unusable response \\(SyntaxError: .+\\); retry, and check that the base URL`,
        ),
      );
    },
  );

  it.each([
    [false, provider === 'anthropic' ? 'a 200 with no content blocks' : 'a 200 with no choices'],
    [true, provider === 'anthropic' ? 'a 200 with no content blocks' : 'a stream with no choices'],
  ])('turns an answer with no choices into ProviderResponseError (stream: %s)', async (stream, what) => {
    const error = await failChat({ kind: 'empty-choices' }, { stream });
    expect(error).toBeInstanceOf(ProviderResponseError);
    expect(error).toMatchObject({
      requestId: onlyRequest(fake()).id,
      message: `${where} sent an unusable response (${what}); retry, and check that the base URL points at the ${provider} API`,
    });
  });

  it('turns a stream cut short into ProviderResponseError: stream ended early', async () => {
    const error = await failChat({ kind: 'truncated-stream' }, { stream: true });
    expect(error).toBeInstanceOf(ProviderResponseError);
    const final = provider === 'anthropic' ? 'message_stop' : 'finish_reason';
    expect((error as ProviderError).message).toBe(
      `${where} sent an unusable response (stream ended early, without ${final}); retry, and check that the base URL points at the ${provider} API`,
    );
  });

  it('turns a body cut in half into ProviderResponseError', async () => {
    const error = await failChat({ kind: 'truncated-stream' }, { stream: false });
    expect(error).toBeInstanceOf(ProviderResponseError);
    expect(error).toMatchObject({ code: 'E_PROVIDER_RESPONSE', provider, model: 'm1', status: undefined });
  });
});

describe.each<SupportedProvider>(['openai', 'azure', 'openai-compatible'])(
  '%s embeddings faults',
  (provider) => {
    const ref = refOf(provider, 'emb');
    const embed = (fault: Fault, timeoutMs = ATTEMPT.timeoutMs) => {
      fake().on({ api: 'openai.embeddings' }, { fault });
      return rejectionOf(
        adapterFor(fake(), provider).embed(ref, { model: ref.id, input: ['a'] }, { timeoutMs }),
      );
    };

    it('keeps status, request id and retry-after of a 429', async () => {
      const error = await embed({ kind: 'status', status: 429, retryAfterS: 3 });
      expect(error).toBeInstanceOf(ProviderRateLimitError);
      expect(error).toMatchObject({ status: 429, retryAfterMs: 3000, requestId: onlyRequest(fake()).id });
    });

    it('reports an answer without one vector per input as ProviderResponseError', async () => {
      const error = await embed({ kind: 'empty-choices' });
      expect(error).toBeInstanceOf(ProviderResponseError);
      expect((error as ProviderError).message).toBe(
        `${provider}:emb sent an unusable response (not one embedding per input (1)); retry, and check that the base URL points at the ${provider} API`,
      );
    });

    it.each<[Fault, ErrorClass]>([
      [{ kind: 'malformed' }, ProviderResponseError],
      [{ kind: 'reset' }, ProviderConnectionError],
      [{ kind: 'hang' }, ProviderTimeoutError],
    ])('maps %j to %o', async (fault, errorClass) => {
      expect(await embed(fault, 150)).toBeInstanceOf(errorClass);
    });
  },
);
