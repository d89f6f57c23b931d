/**
 * `tool_trajectory`: the agent called the expected tools, in a pinned sequence (`exact`), in that order
 * with others between (`in_order`), or in any order (`subset`). Arguments match as a subset after
 * normalisation (keys sorted, strings trimmed): the keys given, with these values; extra keys allowed.
 */
import { normaliseArguments, normaliseValue } from '../../internal/tool-arguments.js';
import type { ExpectedToolCall } from '../../config/schema/check-normalize.js';
import type { ToolCall } from '../../providers/types.js';
import type { Check } from '../types.js';
import { snippet, type Outcome } from './outcome.js';
import { partialMismatch } from './tool-called.js';

/** Why `call` is not the `expected` one, or `undefined` when it is. */
function mismatch(expected: ExpectedToolCall, call: ToolCall): string | undefined {
  if (call.name !== expected.name) return `expected ${snippet(expected.name)}, got ${snippet(call.name)}`;
  if (expected.arguments === undefined) return undefined;
  const problem = partialMismatch(normaliseValue(expected.arguments), normaliseArguments(call.rawArguments));
  return problem === undefined ? undefined : `${snippet(call.name)} arguments ${problem}`;
}

const list = (calls: readonly ToolCall[]): string =>
  calls.length === 0 ? 'no calls' : `calls made: ${calls.map((c) => c.name).join(', ')}`;

/**
 * `tool_trajectory`; the detail of a failure says the first difference.
 *
 * @example
 * toolTrajectoryCheck({ kind: 'tool_trajectory', value: { calls: [{ name: 'lookup_order' }, { name: 'refund' }], mode: 'exact' }, name: 'x' }, [lookup])
 * // { pass: false, detail: 'call 2: expected "refund", no more calls; calls made: lookup_order' }
 */
export function toolTrajectoryCheck(
  check: Extract<Check, { kind: 'tool_trajectory' }>,
  calls: readonly ToolCall[],
): Outcome {
  const { calls: expected, mode } = check.value;
  if (mode === 'exact') {
    for (const [i, want] of expected.entries()) {
      const call = calls[i];
      if (!call)
        return {
          pass: false,
          detail: `call ${i + 1}: expected ${snippet(want.name)}, no more calls; ${list(calls)}`,
        };
      const problem = mismatch(want, call);
      if (problem !== undefined) return { pass: false, detail: `call ${i + 1}: ${problem}; ${list(calls)}` };
    }
    const extra = calls[expected.length];
    if (extra) {
      return {
        pass: false,
        detail: `call ${expected.length + 1}: extra call ${snippet(extra.name)} after the ${expected.length} expected; ${list(calls)}`,
      };
    }
    return { pass: true, detail: `${expected.length} calls as expected` };
  }
  if (mode === 'in_order') {
    let at = 0;
    for (const [i, want] of expected.entries()) {
      const start = at;
      while (at < calls.length && mismatch(want, calls[at]!) !== undefined) at++;
      if (at === calls.length) {
        const after = start === 0 ? '' : ` after call ${start}`;
        const near = calls.slice(start).find((c) => c.name === want.name);
        const why = near ? `: ${mismatch(want, near)}` : '';
        return {
          pass: false,
          detail: `expected call ${i + 1} ${snippet(want.name)} not made${after}${why}; ${list(calls)}`,
        };
      }
      at++;
    }
    return { pass: true, detail: `${expected.length} calls in order` };
  }
  const used = new Set<number>();
  for (const [i, want] of expected.entries()) {
    const found = calls.findIndex((call, k) => !used.has(k) && mismatch(want, call) === undefined);
    if (found < 0) {
      const near = calls.find((c, k) => !used.has(k) && c.name === want.name);
      const why = near ? `: ${mismatch(want, near)}` : '';
      return {
        pass: false,
        detail: `expected call ${i + 1} ${snippet(want.name)} not made${why}; ${list(calls)}`,
      };
    }
    used.add(found);
  }
  return { pass: true, detail: `${expected.length} expected calls made` };
}
