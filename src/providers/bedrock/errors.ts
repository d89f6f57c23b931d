/**
 * What the AWS SDK throws, translated into the `ProviderError` hierarchy. AWS
 * names its errors (`x-amzn-ErrorType`), and the name, not the status, says
 * what happened: a `ServiceQuotaExceededException` is a 400 that is a rate
 * limit, a `ModelNotReadyException` a 429 that is a cold model.
 */
import type { AttemptScope } from '../attempt-scope.js';
import {
  ProviderAuthError,
  ProviderBadRequestError,
  ProviderConnectionError,
  ProviderError,
  ProviderRateLimitError,
  ProviderServerError,
} from '../errors.js';
import { abortError, unreadableResponse, type CallTarget } from '../sdk-call.js';

/** How each AWS error name is treated; a name not listed goes by its HTTP status. */
export const AWS_ERROR_KINDS: Readonly<
  Record<string, 'rate-limit' | 'server' | 'bad-request' | 'auth' | 'not-found'>
> = {
  ThrottlingException: 'rate-limit',
  ServiceQuotaExceededException: 'rate-limit',
  TooManyRequestsException: 'rate-limit',
  ModelNotReadyException: 'server',
  ServiceUnavailableException: 'server',
  InternalServerException: 'server',
  ModelStreamErrorException: 'server',
  ModelTimeoutException: 'server',
  ValidationException: 'bad-request',
  ModelErrorException: 'bad-request',
  AccessDeniedException: 'auth',
  UnrecognizedClientException: 'auth',
  ExpiredTokenException: 'auth',
  InvalidSignatureException: 'auth',
  IncompleteSignatureException: 'auth',
  MissingAuthenticationTokenException: 'auth',
  CredentialsProviderError: 'auth',
  ResourceNotFoundException: 'not-found',
};

const HINTS = {
  'rate-limit': 'raise the account quota or lower providers.bedrock.rpm in rubric.yaml',
  server: 'retry later',
  'bad-request': 'check the request and the model id',
  auth: 'check the AWS credentials and that the IAM policy allows bedrock:InvokeModel and bedrock:InvokeModelWithResponseStream on this model',
  'not-found': 'check the model id (or inference profile) and that the model is enabled in this region',
} as const;

const CREDENTIALS_HINT =
  'the AWS SDK found no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, ' +
  'or AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE (OIDC)';

interface AwsError extends Error {
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number; requestId?: string };
  code?: string;
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
]);

/**
 * Translate anything the AWS SDK threw into a `ProviderError`, keeping the
 * status, the request id (`x-amzn-RequestId`) and the original error as `cause`.
 * `requestId` is the id of a response already under way: an exception event
 * in its stream carries none of its own.
 *
 * @example
 * catch (error) { throw bedrockError(error, { provider: 'bedrock', model: 'anthropic.claude-...' }, scope) }
 */
export function bedrockError(
  error: unknown,
  target: CallTarget,
  scope: AttemptScope,
  requestId?: string | undefined,
): ProviderError {
  if (error instanceof ProviderError) return error;
  const aborted = abortError(scope, target, error);
  if (aborted) return aborted;
  if (!(error instanceof Error)) return unreadableResponse(target, error);
  const aws = error as AwsError;
  const where = `${target.provider}:${target.model}`;
  const status = aws.$metadata?.httpStatusCode;
  const details = {
    provider: target.provider,
    model: target.model,
    status,
    requestId: aws.$metadata?.requestId ?? requestId,
    cause: error,
  };
  const kind = AWS_ERROR_KINDS[error.name] ?? kindOfStatus(status, aws.$fault);
  if (kind === undefined) {
    if ((aws.code !== undefined && CONNECTION_CODES.has(aws.code)) || error.name === 'TimeoutError') {
      return new ProviderConnectionError(
        `${where}: could not reach the API (${error.name}: ${error.message}); check the region, providers.bedrock.base_url and the network`,
        details,
      );
    }
    return unreadableResponse(target, error, details.requestId);
  }
  const said =
    status !== undefined
      ? `${where} answered ${status} ${error.name}: ${error.message}`
      : requestId !== undefined
        ? `${where} reported ${error.name} mid-stream: ${error.message}`
        : `${where} failed with ${error.name}: ${error.message}`;
  const hint = error.name === 'CredentialsProviderError' ? CREDENTIALS_HINT : HINTS[kind];
  const message = `${said}; ${hint}`;
  switch (kind) {
    case 'rate-limit':
      return new ProviderRateLimitError(message, details);
    case 'server':
      return new ProviderServerError(message, details);
    case 'auth':
      return new ProviderAuthError(message, details);
    case 'bad-request':
    case 'not-found':
      return new ProviderBadRequestError(message, details);
  }
}

function kindOfStatus(status: number | undefined, fault: 'client' | 'server' | undefined) {
  if (status === undefined || status < 400) return fault === 'server' ? ('server' as const) : undefined;
  if (status === 401 || status === 403) return 'auth' as const;
  if (status === 404) return 'not-found' as const;
  if (status === 429) return 'rate-limit' as const;
  if (status === 408 || status === 409 || status >= 500) return 'server' as const;
  return 'bad-request' as const;
}
