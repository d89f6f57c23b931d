import { describeValue } from '../../../config/issues.js';
import { formatPath } from '../../../internal/data-path.js';

/** One key whose value differs between two versions of a YAML document. */
export interface KeyChange {
  path: (string | number)[];
  /** `thresholds.rubric_min_score`, `subjects.drafter.cases[0]`. */
  key: string;
  before: unknown;
  after: unknown;
}

const isMap = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);

/**
 * Every leaf key whose value differs between `before` and `after`, compared key
 * by key (maps by key, lists by index), in the order of `after` then `before`.
 *
 * @example
 * diffKeys({ thresholds: { ragas: 0.78 } }, { thresholds: { ragas: 0.7 } })
 * // [{ path: ['thresholds', 'ragas'], key: 'thresholds.ragas', before: 0.78, after: 0.7 }]
 */
export function diffKeys(before: unknown, after: unknown, path: (string | number)[] = []): KeyChange[] {
  if (isMap(before) && isMap(after)) {
    const keys = [...new Set([...Object.keys(after), ...Object.keys(before)])];
    return keys.flatMap((key) => diffKeys(before[key], after[key], [...path, key]));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const length = Math.max(before.length, after.length);
    return Array.from({ length }, (_, i) => diffKeys(before[i], after[i], [...path, i])).flat();
  }
  if (same(before, after)) return [];
  return [{ path, key: formatPath(path), before, after }];
}

function same(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return Object.is(a, b);
}

/**
 * A change as a reader sees it: `changed from 0.78 to 0.7`, `was added (0.9)`, `was removed`.
 *
 * @example
 * describeChange({ path: ['judge'], key: 'judge', before: 'openai:gpt-5', after: 'openai:gpt-5.1' })
 * // 'changed from "openai:gpt-5" to "openai:gpt-5.1"'
 */
export function describeChange(change: KeyChange): string {
  if (change.before === undefined) return `was added (${describeValue(change.after)})`;
  if (change.after === undefined) return `was removed (it was ${describeValue(change.before)})`;
  return `changed from ${describeValue(change.before)} to ${describeValue(change.after)}`;
}
