import type { AdapterChatResult } from './adapter.js';
import { mergeSamples } from './client-choices.js';
import { underPolicy, type PolicyOptions, type ProviderPolicy } from './client-policy.js';
import { ProviderBadRequestError } from './errors.js';
import type { ChatRequest, ModelRef } from './types.js';

/**
 * The `n` samples of a chat request under the provider's policy: one request
 * where the provider takes `n`, else `n` parallel single-sample requests, each
 * under the limiter, merged in order; the first failure cancels the others.
 *
 * @example
 * const { value, retries } = await sampleChat(policy, ref, { ...request, n: 3 }, {});
 * value.choices.length // 3
 */
export async function sampleChat(
  policy: ProviderPolicy,
  ref: ModelRef,
  request: ChatRequest,
  options: Omit<PolicyOptions, 'signal'>,
): Promise<{ value: AdapterChatResult; retries: number }> {
  const n = request.n ?? 1;
  if (!Number.isInteger(n) || n < 1) {
    throw new ProviderBadRequestError(`${ref.id}: n must be a whole number of samples, 1 or more; got ${n}`, {
      provider: ref.provider,
      model: ref.model,
    });
  }
  const call = (req: ChatRequest, signal: AbortSignal | undefined) =>
    underPolicy(policy, ref, (attempt) => policy.adapter.chat(ref, req, attempt), { ...options, signal });
  if (n === 1 || (policy.adapter.supportsNFor?.(ref) ?? policy.adapter.supportsN))
    return call(request, request.signal);
  // Fan out; the first failure cancels the other samples.
  const cancel = new AbortController();
  const signal = request.signal ? AbortSignal.any([request.signal, cancel.signal]) : cancel.signal;
  const single: ChatRequest = { ...request, n: undefined };
  const samples = await Promise.all(
    Array.from({ length: n }, () =>
      call(single, signal).catch((error: unknown) => {
        cancel.abort(error);
        throw error;
      }),
    ),
  ).finally(() => cancel.abort());
  return {
    value: mergeSamples(samples.map((s) => s.value)),
    retries: samples.reduce((sum, s) => sum + s.retries, 0),
  };
}
