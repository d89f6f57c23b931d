/**
 * Rough tokens: how the fake splits text into stream pieces and log-probability
 * tokens, and how it counts usage when a script does not say.
 * @internal
 */
import { fnv1a } from './prng.js';
import type { ScriptedLogprob } from './types.js';

const TOKEN = /\s*[\p{L}\p{N}_]+|\s*[^\s\p{L}\p{N}_]|\s+/gu;

/**
 * Splits text into word-ish tokens that join back to the text exactly.
 *
 * @example
 * splitTokens('Hi, you.'); // ['Hi', ',', ' you', '.']
 */
export function splitTokens(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

/**
 * Usage estimate: characters / 4, rounded up.
 *
 * @example
 * estimateTokens('12345'); // 2
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/**
 * Plausible log-probabilities for a text: each token's own probability in
 * [0.6, 0.99] (from a hash of the token and its position), and `top`
 * alternatives, the chosen token first, whose probabilities sum below 1.
 *
 * @example
 * autoLogprobs('Yes.', 2)[0]?.top.length; // 2
 */
export function autoLogprobs(text: string, top: number): ScriptedLogprob[] {
  return splitTokens(text).map((token, position) => {
    const probability = 0.6 + (fnv1a(`${position}:${token}`) % 1000) / 2564;
    const logprob = Math.log(probability);
    const alternatives = Array.from({ length: Math.max(0, top - 1) }, (_, i) => ({
      token: `${token}~${i + 1}`,
      logprob: Math.log((1 - probability) / 2 ** (i + 1)),
    }));
    return { token, logprob, top: top > 0 ? [{ token, logprob }, ...alternatives] : [] };
  });
}
