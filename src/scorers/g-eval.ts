/**
 * G-Eval weighting (Liu et al. 2023): instead of the integer the judge wrote,
 * the expectation of the score over the probabilities the model gave each integer
 * at that token. Pure functions over a logprob list.
 */
import type { TokenLogprob } from '../providers/types.js';

/** Integers the judge may write, and the least probability an alternative needs to count. */
export interface GEvalScale {
  min: number;
  max: number;
  minProbability: number;
}

/** The judge's scale: integers 0..10, alternatives with p >= 0.01. */
export const JUDGE_SCALE: GEvalScale = { min: 0, max: 10, minProbability: 0.01 };

/**
 * The probability-weighted score at one token position: sum of s * p over the top
 * alternatives that are integers in the scale with p >= `minProbability`, divided by
 * the sum of those p. `undefined` when no alternative qualifies.
 *
 * @example
 * weightedScoreAt([
 *   { token: '8', logprob: Math.log(0.6) },
 *   { token: '7', logprob: Math.log(0.3) },
 *   { token: 'x', logprob: Math.log(0.1) },
 * ]) // (8 * 0.6 + 7 * 0.3) / 0.9 = 7.6667
 */
export function weightedScoreAt(
  top: readonly { token: string; logprob: number }[],
  scale: GEvalScale = JUDGE_SCALE,
): number | undefined {
  let sum = 0;
  let mass = 0;
  for (const alternative of top) {
    const text = alternative.token.trim();
    if (!/^\d{1,3}$/.test(text)) continue;
    const score = Number(text);
    const p = Math.exp(alternative.logprob);
    if (score < scale.min || score > scale.max || p < scale.minProbability) continue;
    sum += score * p;
    mass += p;
  }
  return mass > 0 ? sum / mass : undefined;
}

/** Where one `"score": N` value sits in a JSON text. */
export interface ScoreSpan {
  start: number;
  end: number;
  text: string;
}

/**
 * Finds the value of every `"score"` key of the objects inside the top-level array of a
 * judge reply (`{"criteria":[{"id","reason","score"}]}`), in order. Keys inside strings
 * (a reason that quotes `"score": 10`) are not keys and are skipped.
 *
 * @example
 * findScoreSpans('{"criteria":[{"id":"a","reason":"ok","score": 7}]}')
 * // [{ start: 46, end: 47, text: '7' }]
 */
export function findScoreSpans(json: string): ScoreSpan[] {
  const spans: ScoreSpan[] = [];
  const stack: string[] = [];
  let i = 0;
  while (i < json.length) {
    const ch = json[i];
    if (ch === '"') {
      const end = endOfString(json, i);
      let next = skipSpace(json, end);
      if (json[next] === ':' && stack.at(-1) === '{') {
        next = skipSpace(json, next + 1);
        const isCriterionScore =
          stack.length === 3 && stack[1] === '[' && readKey(json.slice(i, end)) === 'score';
        const number = isCriterionScore ? /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(json.slice(next)) : null;
        if (number) {
          spans.push({ start: next, end: next + number[0].length, text: number[0] });
          i = next + number[0].length;
          continue;
        }
        i = next;
        continue;
      }
      i = end;
      continue;
    }
    if (ch === '{' || ch === '[') stack.push(ch);
    else if (ch === '}' || ch === ']') stack.pop();
    i++;
  }
  return spans;
}

/** One score found in a reply: the number written, and its G-Eval weighting if the tokens allow one. */
export interface TokenScore {
  value: number;
  weighted: number | undefined;
}

/**
 * The score of each criterion of one judge reply, in the order the criteria appear in
 * it, with its G-Eval weighting. `weighted` is `undefined` where the score's digits do
 * not sit alone in one token (the tokenizer split them, or glued punctuation on), so
 * the alternatives at that position are not scores.
 *
 * @example
 * weightedScores([{ token: '{"criteria":[{"id":"a","reason":"ok","score":', logprob: 0, top: [] },
 *   { token: '9', logprob: Math.log(0.5), top: [{ token: '9', logprob: Math.log(0.5) }, { token: '10', logprob: Math.log(0.5) }] },
 *   { token: '}]}', logprob: 0, top: [] }]) // [{ value: 9, weighted: 9.5 }]
 */
export function weightedScores(
  tokens: readonly TokenLogprob[],
  scale: GEvalScale = JUDGE_SCALE,
): TokenScore[] {
  const starts: number[] = [];
  let text = '';
  for (const token of tokens) {
    starts.push(text.length);
    text += token.token;
  }
  return findScoreSpans(text).map((span) => {
    const value = Number(span.text);
    const token = tokens[tokenAt(starts, span.start)];
    if (!token || token.token.trim() !== span.text) return { value, weighted: undefined };
    const top = token.top.length > 0 ? token.top : [{ token: token.token, logprob: token.logprob }];
    return { value, weighted: weightedScoreAt(top, scale) };
  });
}

function tokenAt(starts: readonly number[], offset: number): number {
  let found = 0;
  for (let i = 0; i < starts.length; i++) {
    if ((starts[i] as number) <= offset) found = i;
    else break;
  }
  return found;
}

/** Index just past the closing quote of the string starting at `start` (or the text's end). */
function endOfString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    if (text[i] === '\\') i += 2;
    else if (text[i] === '"') return i + 1;
    else i++;
  }
  return text.length;
}

function skipSpace(text: string, from: number): number {
  let i = from;
  while (i < text.length && /\s/.test(text[i] as string)) i++;
  return i;
}

function readKey(literal: string): string | undefined {
  try {
    const key: unknown = JSON.parse(literal);
    return typeof key === 'string' ? key : undefined;
  } catch {
    return undefined;
  }
}
