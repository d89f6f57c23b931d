/**
 * One attempt through an official SDK: its deadline, the caller's abort, and the
 * translation of whatever the SDK throws into the `ProviderError` hierarchy.
 * Shared by the OpenAI and Anthropic adapters; both SDKs have the same error shapes.
 */
import { isRecord } from '../internal/record.js';
import type { AttemptScope } from './attempt-scope.js';
import {
  ProviderAbortError,
  ProviderAuthError,
  ProviderBadRequestError,
  ProviderConnectionError,
  ProviderError,
  ProviderResponseError,
  ProviderTimeoutError,
  providerErrorFromStatus,
} from './errors.js';

/** Who is being called, for messages and error details. */
export interface CallTarget {
  provider: string;
  model: string;
}

/** The error classes an official SDK exports (`openai`, `@anthropic-ai/sdk`). */
export interface SdkErrorClasses {
  APIError: abstract new (...args: never[]) => SdkApiError;
  APIUserAbortError: abstract new (...args: never[]) => Error;
  APIConnectionError: abstract new (...args: never[]) => Error;
  APIConnectionTimeoutError: abstract new (...args: never[]) => Error;
}

interface SdkApiError extends Error {
  readonly status: number | undefined;
  readonly headers: Headers | undefined;
  readonly error: unknown;
  readonly requestID?: string | null | undefined;
}

/**
 * Translate anything an SDK call threw into a `ProviderError`, keeping the status,
 * request id, `retry-after` and the original error as `cause`.
 *
 * @example
 * catch (error) { throw toProviderError(error, { provider: 'openai', model: 'gpt-5' }, scope, OpenAI) }
 */
export function toProviderError(
  error: unknown,
  target: CallTarget,
  scope: AttemptScope,
  sdk: SdkErrorClasses,
): ProviderError {
  if (error instanceof ProviderError) return error;
  const where = `${target.provider}:${target.model}`;
  const details = { provider: target.provider, model: target.model, cause: error };
  const aborted = abortError(scope, target, error);
  if (aborted) return aborted;
  if (error instanceof sdk.APIConnectionTimeoutError || error instanceof sdk.APIUserAbortError) {
    return timeoutError(target, scope, error);
  }
  if (error instanceof sdk.APIConnectionError) {
    return new ProviderConnectionError(
      `${where}: could not reach the API (${causeText(error)}); check the base URL and the network`,
      details,
    );
  }
  if (error instanceof sdk.APIError) {
    const message = apiErrorMessage(error);
    if (error.status === undefined) {
      return new ProviderResponseError(`${where} reported an error mid-stream: ${message}; retry later`, {
        ...details,
        requestId: error.requestID ?? undefined,
      });
    }
    const hint = error.status === 404 ? ' (check the model name and the base URL)' : '';
    return providerErrorFromStatus(error.status, `${message}${hint}`, {
      ...details,
      status: error.status,
      requestId: error.requestID ?? undefined,
      headers: error.headers,
    });
  }
  return unreadableResponse(target, error);
}

/**
 * Why the attempt was aborted, if it was: the caller's abort, or our deadline.
 * The SDKs end a stream quietly on abort, so a stream loop asks this after it ends.
 *
 * @example
 * for await (const event of stream) { ... }
 * const aborted = abortError(scope, target); if (aborted) throw aborted
 */
export function abortError(
  scope: AttemptScope,
  target: CallTarget,
  cause?: unknown,
): ProviderError | undefined {
  if (scope.callerAborted()) {
    return new ProviderAbortError(
      `${target.provider}:${target.model}: the call was aborted by its caller (a test timeout or Ctrl-C); it is not retried`,
      { provider: target.provider, model: target.model, cause },
    );
  }
  return scope.timedOut() ? timeoutError(target, scope, cause) : undefined;
}

function timeoutError(target: CallTarget, scope: AttemptScope, cause?: unknown): ProviderTimeoutError {
  return new ProviderTimeoutError(
    `${target.provider}:${target.model} did not answer within ${scope.timeoutMs} ms; ` +
      `retry later or raise providers.${target.provider}.timeout_s in rubric.yaml`,
    { provider: target.provider, model: target.model, cause },
  );
}

/**
 * A 200 whose body is not what the API promises (not JSON, no choices, a stream
 * cut short).
 *
 * @example
 * throw unreadableResponse({ provider: 'openai', model: 'gpt-5' }, 'no choices')
 */
export function unreadableResponse(
  target: CallTarget,
  problem: unknown,
  requestId?: string | undefined,
): ProviderResponseError {
  const what = typeof problem === 'string' ? problem : causeText(problem);
  return new ProviderResponseError(
    `${target.provider}:${target.model} sent an unusable response (${what}); ` +
      `retry, and check that the base URL points at the ${target.provider} API`,
    {
      provider: target.provider,
      model: target.model,
      requestId,
      cause: typeof problem === 'string' ? undefined : problem,
    },
  );
}

/**
 * No key (or endpoint) to call with. `remedy` says which variable to set.
 *
 * @example
 * throw missingCredentials({ provider: 'openai', model: 'gpt-5' }, 'set OPENAI_API_KEY')
 */
export function missingCredentials(target: CallTarget, remedy: string): ProviderAuthError {
  return new ProviderAuthError(`${target.provider}:${target.model} has no credentials: ${remedy}`, {
    provider: target.provider,
    model: target.model,
  });
}

/**
 * Build an SDK client; a constructor that refuses its options (a malformed base
 * URL, say) becomes a `ProviderBadRequestError`, which is not retried.
 *
 * @example
 * const client = buildClient(target, () => new OpenAI({ apiKey, baseURL }))
 */
export function buildClient<T>(target: CallTarget, create: () => T): T {
  try {
    return create();
  } catch (error) {
    throw new ProviderBadRequestError(
      `${target.provider}:${target.model}: the SDK client refused its settings (${causeText(error)}); ` +
        `check providers.${target.provider} in rubric.yaml and the environment`,
      { provider: target.provider, model: target.model, cause: error },
    );
  }
}

/**
 * `JSON.parse`, or `undefined` when the text is not JSON.
 *
 * @example
 * parseJsonOrUndefined('{"a":1}') // { a: 1 }
 * parseJsonOrUndefined('{"a":')   // undefined
 */
export function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The provider's own words: `error.message` of the body when there is one. */
function apiErrorMessage(error: SdkApiError): string {
  const body = error.error;
  const inner = isRecord(body) && isRecord(body['error']) ? body['error'] : body;
  if (isRecord(inner) && typeof inner['message'] === 'string' && inner['message'] !== '') {
    return inner['message'];
  }
  return error.message;
}

function causeText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.name}: ${error.message}${cause}`;
}
