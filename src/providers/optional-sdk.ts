/**
 * The cloud SDKs are optional peer dependencies (README "Models and providers"): a run that names a
 * `bedrock:` or `vertex:` model without its SDK installed gets one line naming the package to install,
 * not Node's multi-line "Cannot find module" with its require stack.
 */
import { ProviderBadRequestError } from './errors.js';
import type { CallTarget } from './sdk-call.js';

/**
 * The error for an optional SDK that did not load: not retried, and the fix is the install line.
 *
 * @example
 * sdkNotLoaded({ provider: 'bedrock', model: 'us.anthropic.claude-sonnet-4-6-v1:0' }, '@aws-sdk/client-bedrock-runtime', error).message
 * // 'bedrock:us.anthropic.claude-sonnet-4-6-v1:0 needs the optional package @aws-sdk/client-bedrock-runtime, which is not installed: npm install --save-dev @aws-sdk/client-bedrock-runtime'
 */
export function sdkNotLoaded(target: CallTarget, name: string, cause: unknown): ProviderBadRequestError {
  const code = (cause as { code?: unknown } | null)?.code;
  const notInstalled = code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
  const firstLine = String(cause instanceof Error ? cause.message : cause).split('\n')[0];
  const why = notInstalled ? 'which is not installed' : `which did not load (${firstLine})`;
  return new ProviderBadRequestError(
    `${target.provider}:${target.model} needs the optional package ${name}, ${why}: npm install --save-dev ${name}`,
    { provider: target.provider, model: target.model, cause },
  );
}
