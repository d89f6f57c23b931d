/**
 * `tool_called`: the agent called a tool, optionally with arguments that include
 * the given ones (a deep partial match).
 */
import { isRecord } from '../../internal/record.js';
import type { ToolCall } from '../../providers/types.js';
import type { Check } from '../types.js';
import { snippet, type Outcome } from './outcome.js';

/**
 * Where `actual` fails to include `expected`, or `undefined` when it does. Objects match
 * when every expected key matches (extra keys allowed); arrays element by element with
 * the same length; anything else by strict equality.
 *
 * @example
 * partialMismatch({ order: { id: 7 } }, { order: { id: 8, total: 3 } }) // 'at .order.id expected 7, got 8'
 * partialMismatch({ order: { id: 7 } }, { order: { id: 7, total: 3 } }) // undefined
 */
export function partialMismatch(expected: unknown, actual: unknown, path = ''): string | undefined {
  const at = path === '' ? '(root)' : path;
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `at ${at} expected an array, got ${describe(actual)}`;
    if (actual.length !== expected.length) {
      return `at ${at} expected ${expected.length} items, got ${actual.length}`;
    }
    for (const [i, item] of expected.entries()) {
      const problem = partialMismatch(item, actual[i], `${path}[${i}]`);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }
  if (isRecord(expected)) {
    if (!isRecord(actual)) return `at ${at} expected an object, got ${describe(actual)}`;
    for (const [key, value] of Object.entries(expected)) {
      const child = `${path}.${key}`;
      if (!(key in actual)) return `at ${child} missing`;
      const problem = partialMismatch(value, actual[key], child);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }
  return Object.is(expected, actual)
    ? undefined
    : `at ${at} expected ${describe(expected)}, got ${describe(actual)}`;
}

/**
 * `tool_called`.
 *
 * @example
 * toolCalledCheck({ kind: 'tool_called', value: { name: 'refund' }, name: 'x' }, [])
 * // { pass: false, detail: 'no tool calls; expected "refund"' }
 */
export function toolCalledCheck(
  check: Extract<Check, { kind: 'tool_called' }>,
  calls: readonly ToolCall[],
): Outcome {
  const wanted = check.value;
  if (calls.length === 0) return { pass: false, detail: `no tool calls; expected ${snippet(wanted.name)}` };
  const named = calls.filter((call) => call.name === wanted.name);
  if (named.length === 0) {
    const made = [...new Set(calls.map((call) => call.name))].join(', ');
    return { pass: false, detail: `no call to ${snippet(wanted.name)}; calls made: ${made}` };
  }
  if (wanted.arguments === undefined) {
    return { pass: true, detail: `${snippet(wanted.name)} called ${times(named.length)}` };
  }
  const problems = named.map((call) =>
    call.arguments === undefined
      ? `arguments are not JSON: ${snippet(call.rawArguments)}`
      : partialMismatch(wanted.arguments, call.arguments),
  );
  const matched = problems.findIndex((problem) => problem === undefined);
  if (matched >= 0) {
    return {
      pass: true,
      detail: `${snippet(wanted.name)} called with matching arguments (call ${matched + 1})`,
    };
  }
  return {
    pass: false,
    detail: `${snippet(wanted.name)} called ${times(named.length)}, arguments never matched: ${problems[0] ?? ''}`,
  };
}

const times = (n: number) => (n === 1 ? 'once' : `${n} times`);

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}
