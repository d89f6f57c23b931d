import type { CaseResult } from '../scorecard/types.js';

/** The key under `task.meta` where a case's result travels to the reporter. */
export const META_KEY = 'qualify';

/**
 * A case's result from a test's meta (`testCase.meta()`), if it has one. Typed
 * here rather than through `TaskMeta` so it reads the same on Vitest 4 and 5.
 *
 * @example
 * const result = readCaseMeta(testCase.meta())
 */
export function readCaseMeta(meta: object): CaseResult | undefined {
  return (meta as { [META_KEY]?: CaseResult })[META_KEY];
}

/** Attach a case's result to a running test's meta. */
export function writeCaseMeta(meta: object, result: CaseResult): void {
  (meta as { [META_KEY]?: CaseResult })[META_KEY] = result;
}
