/**
 * Error bodies as each vendor writes them: OpenAI `{ error: { message, type,
 * param, code } }`, Anthropic `{ type: 'error', error: { type, message }, request_id }`,
 * Bedrock `{ message }` with the error's name in the `x-amzn-ErrorType` header,
 * Google `{ error: { code, message, status } }` (`RESOURCE_EXHAUSTED`, `UNAVAILABLE`, ...).
 * @internal
 */

const OPENAI: Readonly<Record<number, { type: string; code: string | null }>> = {
  400: { type: 'invalid_request_error', code: null },
  401: { type: 'invalid_request_error', code: 'invalid_api_key' },
  403: { type: 'invalid_request_error', code: 'permission_denied' },
  404: { type: 'invalid_request_error', code: 'model_not_found' },
  429: { type: 'requests', code: 'rate_limit_exceeded' },
};

const ANTHROPIC: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  529: 'overloaded_error',
};

const BEDROCK: Readonly<Record<number, string>> = {
  400: 'ValidationException',
  401: 'UnrecognizedClientException',
  403: 'AccessDeniedException',
  404: 'ResourceNotFoundException',
  408: 'ModelTimeoutException',
  424: 'ModelErrorException',
  429: 'ThrottlingException',
  500: 'InternalServerException',
  503: 'ServiceUnavailableException',
};

/**
 * The `x-amzn-ErrorType` Bedrock sends with a status (its exception's name).
 *
 * @example
 * bedrockErrorType(429); // 'ThrottlingException'
 */
export function bedrockErrorType(status: number): string {
  return BEDROCK[status] ?? (status >= 500 ? 'InternalServerException' : 'ValidationException');
}

const GOOGLE: Readonly<Record<number, string>> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

/**
 * The JSON error body a vendor sends with an HTTP status.
 *
 * @example
 * errorBody('anthropic', 429, 'slow down', 'req_1');
 * // { type: 'error', error: { type: 'rate_limit_error', message: 'slow down' }, request_id: 'req_1' }
 */
export function errorBody(
  vendor: 'openai' | 'anthropic' | 'bedrock' | 'google',
  status: number,
  message: string,
  requestId: string,
): Record<string, unknown> {
  if (vendor === 'bedrock') return { message };
  if (vendor === 'google') {
    const code = GOOGLE[status] ?? (status >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION');
    return { error: { code: status, message, status: code } };
  }
  if (vendor === 'anthropic') {
    const type = ANTHROPIC[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
    return { type: 'error', error: { type, message }, request_id: requestId };
  }
  const { type, code } = OPENAI[status] ?? {
    type: status >= 500 ? 'server_error' : 'invalid_request_error',
    code: null,
  };
  return { error: { message, type, param: null, code } };
}

/**
 * The message of a status fault scripted without one.
 *
 * @example
 * defaultFaultMessage(429, 'openai.chat', 'gpt-5'); // 'fake provider: 429 fault for openai.chat model gpt-5'
 */
export function defaultFaultMessage(status: number, api: string, model: string): string {
  return `fake provider: ${status} fault for ${api} model ${model}`;
}
