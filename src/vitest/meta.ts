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
  const value = (meta as { [META_KEY]?: string | CaseResult })[META_KEY];
  // An object: a blob written by an earlier release, which kept the result as objects.
  return typeof value === 'string' ? (JSON.parse(value) as CaseResult) : value;
}

/**
 * Attach a case's result to a running test's meta, as JSON text: Vitest keeps every test's meta
 * in the worker's and the main process's task trees, and sends it between them; one string per
 * case is a fraction of the memory of the same result as objects (bench/FINDINGS.md, issue 16).
 */
export function writeCaseMeta(meta: object, result: CaseResult): void {
  (meta as { [META_KEY]?: string })[META_KEY] = JSON.stringify(result);
}
