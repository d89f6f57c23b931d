/**
 * Tool-call arguments as compared (docs/scoring.md "Tool-use changes"): parsed from JSON, strings
 * trimmed, object keys sorted, so `{"b": 1, "a": " x "}` and `{"a":"x","b":1}` are the same call.
 * Shared by the trajectory diff against the baseline and the `tool_trajectory` check.
 */
import { isRecord } from './record.js';

/**
 * A JSON value normalised: strings trimmed, object keys sorted (recursively); anything else as it is.
 *
 * @example
 * normaliseValue({ b: [' x '], a: 1 }) // { a: 1, b: ['x'] }
 */
export function normaliseValue(value: unknown): unknown {
  if (typeof value === 'string') return value.trim();
  if (Array.isArray(value)) return value.map(normaliseValue);
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = normaliseValue(value[key]);
    return out;
  }
  return value;
}

/**
 * A call's raw arguments parsed and normalised; text that is not JSON stays text (trimmed), so it
 * still compares equal to itself. Empty text is no arguments (`{}`).
 *
 * @example
 * normaliseArguments('{"q": " shoes ", "limit": 3}') // { limit: 3, q: 'shoes' }
 * normaliseArguments('not json') // 'not json'
 */
export function normaliseArguments(raw: string): unknown {
  const text = raw.trim();
  if (text === '') return {};
  try {
    return normaliseValue(JSON.parse(text));
  } catch {
    return text;
  }
}

/**
 * The canonical text of normalised arguments, for equality and counting.
 *
 * @example
 * canonicalArguments('{"b":1,"a":2}') === canonicalArguments('{ "a": 2, "b": 1 }') // true
 */
export function canonicalArguments(raw: string): string {
  return JSON.stringify(normaliseArguments(raw));
}

/**
 * Which top-level keys differ between two normalised argument values: added (only in `after`),
 * removed (only in `before`), changed (in both, other values). Arguments that are not objects
 * differ as a whole (`changed: ['(arguments)']`).
 *
 * @example
 * argumentKeyDiff({ id: 'A1', q: 'x' }, { id: 'A2', lang: 'en' })
 * // { added: ['lang'], removed: ['q'], changed: ['id'] }
 */
export function argumentKeyDiff(
  before: unknown,
  after: unknown,
): { added: string[]; removed: string[]; changed: string[] } {
  if (!isRecord(before) || !isRecord(after)) {
    const same = JSON.stringify(before) === JSON.stringify(after);
    return { added: [], removed: [], changed: same ? [] : ['(arguments)'] };
  }
  const added = Object.keys(after).filter((k) => !(k in before));
  const removed = Object.keys(before).filter((k) => !(k in after));
  const changed = Object.keys(before).filter(
    (k) => k in after && JSON.stringify(before[k]) !== JSON.stringify(after[k]),
  );
  return { added: added.sort(), removed: removed.sort(), changed: changed.sort() };
}
