import { QualifyError } from '../errors.js';

/**
 * A model call that could not produce an answer: the provider said no, or could
 * not be reached, after the retry budget was spent. Later code tells this apart
 * from a bad *answer* (a judge reply that does not parse): a `ProviderError`
 * makes a case `error`, never `fail`.
 */
export class ProviderError extends QualifyError {
  readonly provider: string;
  readonly model: string;
  /** HTTP status, when the provider answered. */
  readonly status: number | undefined;
  /** The provider's request id (`x-request-id` / `request-id`), when it answered. */
  readonly requestId: string | undefined;
  /** Attempts made, first try included. */
  attempts: number;

  constructor(
    code: string,
    message: string,
    details: {
      provider: string;
      model: string;
      status?: number | undefined;
      requestId?: string | undefined;
      attempts?: number | undefined;
      cause?: unknown;
    },
  ) {
    super(code, message, { cause: details.cause });
    this.provider = details.provider;
    this.model = details.model;
    this.status = details.status;
    this.requestId = details.requestId;
    this.attempts = details.attempts ?? 1;
  }

  /** Whether another attempt may succeed. */
  get retryable(): boolean {
    return false;
  }
}

type Details = ConstructorParameters<typeof ProviderError>[2];

/** 401 / 403: the key is missing, wrong or lacks access. Not retried. */
export class ProviderAuthError extends ProviderError {
  constructor(message: string, details: Details) {
    super('E_PROVIDER_AUTH', message, details);
  }
}

/** 400 / 404 / 422: the request itself is wrong (unknown model, bad schema). Not retried. */
export class ProviderBadRequestError extends ProviderError {
  constructor(message: string, details: Details) {
    super('E_PROVIDER_BAD_REQUEST', message, details);
  }
}

/** 429. Retried, honouring `retry-after` / `retry-after-ms`. */
export class ProviderRateLimitError extends ProviderError {
  /** Milliseconds the provider asked us to wait, if it said. */
  readonly retryAfterMs: number | undefined;
  constructor(message: string, details: Details & { retryAfterMs?: number | undefined }) {
    super('E_PROVIDER_RATE_LIMIT', message, details);
    this.retryAfterMs = details.retryAfterMs;
  }
  override get retryable(): boolean {
    return true;
  }
}

/** 5xx (and 408, 409). Retried. */
export class ProviderServerError extends ProviderError {
  readonly retryAfterMs: number | undefined;
  constructor(message: string, details: Details & { retryAfterMs?: number | undefined }) {
    super('E_PROVIDER_SERVER', message, details);
    this.retryAfterMs = details.retryAfterMs;
  }
  override get retryable(): boolean {
    return true;
  }
}

/** No answer within `timeout_s`. Retried. */
export class ProviderTimeoutError extends ProviderError {
  constructor(message: string, details: Details) {
    super('E_PROVIDER_TIMEOUT', message, details);
  }
  override get retryable(): boolean {
    return true;
  }
}

/** Connection refused or reset. Retried. */
export class ProviderConnectionError extends ProviderError {
  constructor(message: string, details: Details) {
    super('E_PROVIDER_CONNECTION', message, details);
  }
  override get retryable(): boolean {
    return true;
  }
}

/**
 * The provider answered 200 but the answer is unusable: a malformed body, no
 * choices, a stream cut short. Retried: such faults are transient.
 */
export class ProviderResponseError extends ProviderError {
  constructor(message: string, details: Details) {
    super('E_PROVIDER_RESPONSE', message, details);
  }
  override get retryable(): boolean {
    return true;
  }
}

/** The model refused to answer. Not retried; the case is reported as an error, with the refusal quoted. */
export class ModelRefusalError extends ProviderError {
  readonly refusal: string;
  constructor(refusal: string, details: Details) {
    super('E_MODEL_REFUSAL', `${details.provider}:${details.model} refused: ${refusal}`, details);
    this.refusal = refusal;
  }
}

/** The caller aborted (test timeout, Ctrl-C). Not retried. */
export class ProviderAbortError extends ProviderError {
  constructor(message: string, details: Details) {
    super('E_PROVIDER_ABORT', message, details);
  }
}

/**
 * `QUALIFY_CACHE=replay` (or no key to call with) and no cassette entry for a
 * request. The message names the request and how to record it.
 */
export class CacheMissError extends ProviderError {
  readonly key: string;
  constructor(message: string, details: Details & { key: string }) {
    super('E_CACHE_MISS', message, details);
    this.key = details.key;
  }
}

/**
 * The one factory from an HTTP status to an error class. `headers` gives the
 * request id and `retry-after`.
 */
export function providerErrorFromStatus(
  status: number,
  message: string,
  details: Details & { headers?: Headers | Record<string, string | null | undefined> | undefined },
): ProviderError {
  const header = (name: string): string | undefined => {
    const h = details.headers;
    if (!h) return undefined;
    if (typeof (h as Headers).get === 'function') return (h as Headers).get(name) ?? undefined;
    return (h as Record<string, string | null | undefined>)[name] ?? undefined;
  };
  const requestId = details.requestId ?? header('x-request-id') ?? header('request-id');
  const retryAfterMs = parseRetryAfter(header('retry-after-ms'), header('retry-after'));
  const common = { ...details, requestId };
  const where = `${details.provider}:${details.model}`;
  const text = `${where} answered ${status}: ${message}`;
  if (status === 401 || status === 403) {
    const check =
      details.provider === 'vertex'
        ? 'check the Google credentials, and that the account has roles/aiplatform.user on the project'
        : `check the API key for ${details.provider}`;
    return new ProviderAuthError(`${text} (${check})`, common);
  }
  if (status === 429) return new ProviderRateLimitError(text, { ...common, retryAfterMs });
  if (status === 408 || status === 409 || status >= 500) {
    return new ProviderServerError(text, { ...common, retryAfterMs });
  }
  return new ProviderBadRequestError(text, common);
}

/**
 * Milliseconds to wait from `retry-after-ms` (OpenAI) or `retry-after` (seconds or
 * an HTTP date). `undefined` when absent or unreadable.
 */
export function parseRetryAfter(
  retryAfterMs: string | undefined,
  retryAfter: string | undefined,
  now: () => number = Date.now,
): number | undefined {
  if (retryAfterMs !== undefined) {
    const ms = Number(retryAfterMs);
    if (Number.isFinite(ms) && ms >= 0) return ms;
  }
  if (retryAfter !== undefined) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    const date = Date.parse(retryAfter);
    if (Number.isFinite(date)) return Math.max(0, date - now());
  }
  return undefined;
}
