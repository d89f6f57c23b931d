/**
 * What `@google/genai` and `google-auth-library` throw, as `ProviderError`s.
 * The SDK's `ApiError` has the HTTP status and, as its message, the JSON of
 * Google's error body (`{ error: { code, status, message } }`).
 */
import { isRecord } from '../../internal/record.js';
import type { AttemptScope } from '../attempt-scope.js';
import {
  ProviderAuthError,
  ProviderConnectionError,
  ProviderError,
  providerErrorFromStatus,
} from '../errors.js';
import { abortError, parseJsonOrUndefined, unreadableResponse, type CallTarget } from '../sdk-call.js';

/** The error class `@google/genai` exports. */
export interface GenaiErrorClasses {
  ApiError: abstract new (...args: never[]) => Error & { status: number };
}

/** What to do about Google credentials, for messages. */
export const CREDENTIALS_FIX =
  'set GOOGLE_APPLICATION_CREDENTIALS to a credentials file, or run `gcloud auth application-default login`; ' +
  'in CI, authenticate with workload identity federation (google-github-actions/auth)';

/**
 * Translate anything a genai call threw into a `ProviderError`: Google's status
 * (`RESOURCE_EXHAUSTED`, `UNAVAILABLE`, ...) is kept in the message, the HTTP
 * status picks the class (429 and 5xx retried; 400, 401, 403, 404 not).
 *
 * @example
 * catch (error) { throw toVertexError(error, { provider: 'vertex', model: 'gemini-2.5-pro' }, scope, genai) }
 */
export function toVertexError(
  error: unknown,
  target: CallTarget,
  scope: AttemptScope,
  sdk: GenaiErrorClasses,
): ProviderError {
  if (error instanceof ProviderError) return error;
  const aborted = abortError(scope, target, error);
  if (aborted) return aborted;
  const where = `${target.provider}:${target.model}`;
  const details = { provider: target.provider, model: target.model, cause: error };
  if (error instanceof sdk.ApiError) {
    const { message, status } = googleError(error.message);
    const hint = error.status === 404 ? ' (check the model name, the location and the base URL)' : '';
    return providerErrorFromStatus(error.status, `${status ? `${status}: ` : ''}${message}${hint}`, {
      ...details,
      status: error.status,
    });
  }
  const auth = authProblem(error);
  if (auth !== undefined) {
    if (auth.transient) {
      return new ProviderConnectionError(
        `${where}: could not get a Google access token (${auth.text}); retry, and check the network`,
        details,
      );
    }
    return new ProviderAuthError(
      `${where}: could not get a Google access token (${auth.text}); ${CREDENTIALS_FIX}`,
      details,
    );
  }
  if (error instanceof TypeError && error.message === 'fetch failed') {
    const cause = error.cause instanceof Error ? error.cause.message : 'no cause given';
    return new ProviderConnectionError(
      `${where}: could not reach the API (${cause}); check providers.vertex.base_url, the location and the network`,
      details,
    );
  }
  return unreadableResponse(target, error);
}

/**
 * AnthropicVertex reports any failure to get a token as a connection error (retried); one that
 * will not pass by itself (no credentials, a refused token exchange) is an auth error instead.
 * `undefined` when `error` is not such a failure, or a transient one.
 *
 * @example
 * catch (error) { throw claudeAuthError(error, target) ?? error }
 */
export function claudeAuthError(error: unknown, target: CallTarget): ProviderAuthError | undefined {
  if (!(error instanceof ProviderConnectionError)) return undefined;
  const sdkError = error.cause;
  if (
    !(sdkError instanceof Error) ||
    !sdkError.message.startsWith('Failed to acquire Google OAuth credentials')
  ) {
    return undefined;
  }
  const auth = authProblem(sdkError.cause);
  if (auth === undefined || auth.transient) return undefined;
  return new ProviderAuthError(
    `${target.provider}:${target.model}: could not get a Google access token (${auth.text}); ${CREDENTIALS_FIX}`,
    { provider: target.provider, model: target.model, cause: error },
  );
}

/** Google's `{ error: { status, message } }` out of the SDK's message, else the message itself. */
function googleError(text: string): { message: string; status: string | undefined } {
  const body = parseJsonOrUndefined(text);
  const inner = isRecord(body) && isRecord(body['error']) ? body['error'] : undefined;
  const message = typeof inner?.['message'] === 'string' ? inner['message'] : text;
  const status = typeof inner?.['status'] === 'string' ? inner['status'] : undefined;
  return { message, status };
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * A failure of `google-auth-library` to produce a token: no credentials found, a
 * credentials file that does not load, or the token endpoint's refusal
 * (`GaxiosError`). Unreachable or failing (5xx) token endpoints are transient.
 */
function authProblem(error: unknown): { text: string; transient: boolean } | undefined {
  if (!(error instanceof Error)) return undefined;
  const gaxios =
    error.name === 'GaxiosError' || (isRecord(error) && 'config' in error && 'response' in error);
  const noCredentials =
    /default credentials|credentials file|ENOENT|external_account|credential_source/i.test(error.message);
  if (!gaxios && !noCredentials) return undefined;
  const response = isRecord(error) && isRecord(error['response']) ? error['response'] : undefined;
  const status = typeof response?.['status'] === 'number' ? response['status'] : undefined;
  const code = isRecord(error) && typeof error['code'] === 'string' ? error['code'] : undefined;
  const unreachable = code !== undefined && NETWORK_CODES.has(code);
  const transient = gaxios && (status === undefined ? unreachable : status >= 500);
  return { text: error.message.split('\n')[0] ?? error.message, transient };
}
