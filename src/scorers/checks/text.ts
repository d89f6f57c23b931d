/**
 * The text checks: contains, not_contains, regex, not_regex, equals, starts_with,
 * max_chars, min_chars. Character positions in details are 0-based offsets.
 */
import type { Check } from '../types.js';
import { snippet, type Outcome } from './outcome.js';

type Of<K extends Check['kind']> = Extract<Check, { kind: K }>;

const fold = (text: string, ignoreCase: boolean) => (ignoreCase ? text.toLowerCase() : text);

/**
 * `contains` (every text must appear) and `not_contains` (none may appear).
 *
 * @example
 * containsCheck({ kind: 'not_contains', value: ['guarantee'], ignore_case: false, name: 'x' }, 'We guarantee it')
 * // { pass: false, detail: 'found "guarantee" at char 3' }
 */
export function containsCheck(check: Of<'contains' | 'not_contains'>, output: string): Outcome {
  const haystack = fold(output, check.ignore_case);
  const hits = check.value.map((text) => ({ text, at: haystack.indexOf(fold(text, check.ignore_case)) }));
  const found = hits.filter((hit) => hit.at >= 0).map((hit) => `${snippet(hit.text)} at char ${hit.at}`);
  const missing = hits.filter((hit) => hit.at < 0).map((hit) => snippet(hit.text));
  if (check.kind === 'contains') {
    return missing.length > 0
      ? { pass: false, detail: `missing ${missing.join(', ')}` }
      : { pass: true, detail: `found ${found.join(', ')}` };
  }
  return found.length > 0
    ? { pass: false, detail: `found ${found.join(', ')}` }
    : { pass: true, detail: `none of ${missing.join(', ')} found` };
}

/**
 * `regex` (must match) and `not_regex` (must not).
 *
 * @example
 * regexCheck({ kind: 'regex', value: '30[ -]day', flags: '', name: 'x' }, 'a 30-day window')
 * // { pass: true, detail: 'matched "30-day" at char 2' }
 */
export function regexCheck(check: Of<'regex' | 'not_regex'>, output: string): Outcome {
  const pattern = new RegExp(check.value, check.flags);
  const match = pattern.exec(output);
  const shown = `/${check.value}/${check.flags}`;
  const matched = match ? `matched ${snippet(match[0])} at char ${match.index}` : `no match for ${shown}`;
  return { pass: check.kind === 'regex' ? match !== null : match === null, detail: matched };
}

/**
 * `equals`: the whole output, trimmed unless `trim: false`.
 *
 * @example
 * equalsCheck({ kind: 'equals', value: 'yes', ignore_case: false, trim: true, name: 'x' }, 'yes.')
 * // { pass: false, detail: 'differs at char 3: expected "yes", got "yes."' }
 */
export function equalsCheck(check: Of<'equals'>, output: string): Outcome {
  const actual = check.trim ? output.trim() : output;
  const expected = check.trim ? check.value.trim() : check.value;
  const a = fold(actual, check.ignore_case);
  const e = fold(expected, check.ignore_case);
  if (a === e) return { pass: true, detail: `equals ${snippet(expected)}` };
  let at = 0;
  while (at < a.length && at < e.length && a[at] === e[at]) at++;
  return {
    pass: false,
    detail: `differs at char ${at}: expected ${snippet(expected)}, got ${snippet(actual)}`,
  };
}

/**
 * `starts_with`.
 *
 * @example
 * startsWithCheck({ kind: 'starts_with', value: 'No', ignore_case: false, name: 'x' }, 'Yes, sure')
 * // { pass: false, detail: 'starts with "Yes" instead of "No"' }
 */
export function startsWithCheck(check: Of<'starts_with'>, output: string): Outcome {
  if (fold(output, check.ignore_case).startsWith(fold(check.value, check.ignore_case))) {
    return { pass: true, detail: `starts with ${snippet(check.value)}` };
  }
  const head = Array.from(output)
    .slice(0, Math.max(Array.from(check.value).length, 1))
    .join('');
  return { pass: false, detail: `starts with ${snippet(head)} instead of ${snippet(check.value)}` };
}

/**
 * `max_chars` and `min_chars`, counting characters (code points), not UTF-16 units.
 *
 * @example
 * lengthCheck({ kind: 'max_chars', value: 10, name: 'x' }, 'a'.repeat(12))
 * // { pass: false, detail: '12 chars, 2 over the limit of 10' }
 */
export function lengthCheck(check: Of<'max_chars' | 'min_chars'>, output: string): Outcome {
  const length = Array.from(output).length;
  if (check.kind === 'max_chars') {
    return length <= check.value
      ? { pass: true, detail: `${length} chars, within the limit of ${check.value}` }
      : { pass: false, detail: `${length} chars, ${length - check.value} over the limit of ${check.value}` };
  }
  return length >= check.value
    ? { pass: true, detail: `${length} chars, at least ${check.value}` }
    : { pass: false, detail: `${length} chars, ${check.value - length} under the minimum of ${check.value}` };
}
