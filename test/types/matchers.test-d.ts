/**
 * Type tests: checked by `tsc` in `npm run typecheck` (Vitest 4) and again in
 * scripts/test-vitest5.sh (Vitest 5), where the two majors declare `Matchers`
 * with different type parameters.
 */
import { expect, expectTypeOf, test } from 'vitest';
import type { TaskMeta } from 'vitest';
import { readCaseMeta, type ScoredCase } from '../../src/index.js';
import type { CaseResult } from '../../src/scorecard/types.js';
import '../../src/vitest/meta.js';

declare const result: ScoredCase;

test('the matchers are typed on expect', () => {
  expect(result).toScoreAtLeast(0.82);
  expect(result).notRegressBeyond(3);
  expect(result).not.toScoreAtLeast(0.99);
  expectTypeOf(expect(result).toScoreAtLeast).parameters.toEqualTypeOf<[min: number]>();
  expectTypeOf(expect(result).notRegressBeyond).parameters.toEqualTypeOf<[points: number]>();
  // @ts-expect-error the threshold is a number
  expect(result).toScoreAtLeast('0.82');
});

test('task meta carries the case result as JSON text, read back by readCaseMeta', () => {
  expectTypeOf<TaskMeta['qualify']>().toEqualTypeOf<string | undefined>();
  expectTypeOf(readCaseMeta).returns.toEqualTypeOf<CaseResult | undefined>();
});
