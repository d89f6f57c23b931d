import type { AdapterChatResult } from './adapter.js';
import { ModelRefusalError } from './errors.js';
import type { ChatChoice, ModelRef } from './types.js';

/** Shaping a call's choices: fan-out merging, derived `parsed`, refusals. */

/**
 * The samples of a fan-out as one result: choices in order, tokens added up
 * (each sample is billed for its own prompt).
 *
 * @example
 * mergeSamples([a, b, c]).choices.length // 3
 */
export function mergeSamples(samples: AdapterChatResult[]): AdapterChatResult {
  const [first] = samples as [AdapterChatResult, ...AdapterChatResult[]];
  const reasoning = samples.some((s) => s.reasoningTokens !== undefined)
    ? { reasoningTokens: samples.reduce((sum, s) => sum + (s.reasoningTokens ?? 0), 0) }
    : {};
  return {
    ...reasoning,
    model: first.model,
    choices: samples.flatMap((s) => s.choices),
    inputTokens: samples.reduce((sum, s) => sum + s.inputTokens, 0),
    outputTokens: samples.reduce((sum, s) => sum + s.outputTokens, 0),
    timeToFirstTokenMs: first.timeToFirstTokenMs,
    requestId: first.requestId,
  };
}

/**
 * A hand-written structured answer may leave out `parsed`: derive it from the text.
 *
 * @example
 * withParsed({ text: '{"ok":true}', toolCalls: [], finishReason: 'stop' }).parsed // { ok: true }
 */
export function withParsed(choice: ChatChoice): ChatChoice {
  if (choice.parsed !== undefined) return choice;
  try {
    return { ...choice, parsed: JSON.parse(choice.text) as unknown };
  } catch {
    return choice;
  }
}

/**
 * Throw a `ModelRefusalError` quoting the first refusal among `choices`, if any.
 *
 * @example
 * throwOnRefusal(ref, response.choices) // throws when the judge refused
 */
export function throwOnRefusal(ref: ModelRef, choices: ChatChoice[]): void {
  const refused = choices.find((c) => c.refusal !== undefined || c.finishReason === 'refusal');
  if (!refused) return;
  throw new ModelRefusalError(refused.refusal ?? (refused.text || 'no reason given'), {
    provider: ref.provider,
    model: ref.model,
  });
}
