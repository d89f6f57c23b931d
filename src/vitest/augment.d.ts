/**
 * Type augmentations for Vitest 4 and 5 at once. The two majors declare
 * `Matchers` with different type parameters and export `TaskMeta` from different
 * modules, so one `.ts` declaration cannot satisfy both; declaration files are
 * exempt under `skipLibCheck` (which Vitest projects set), and each major picks
 * up the declaration that fits it. Proven by test/types/*.test-d.ts on both.
 */
// A module, so the declarations below augment Vitest's rather than replace them.
export {};

declare module '@vitest/runner' {
  // Vitest 4: TaskMeta lives in @vitest/runner.
  interface TaskMeta {
    /** The case's result (a `CaseResult`) as JSON, set by vitest-qualify's generated tests; survives blob sharding. */
    qualify?: string;
  }
}

declare module 'vitest' {
  // Vitest 5: TaskMeta is declared by vitest itself.
  interface TaskMeta {
    /** The case's result (a `CaseResult`) as JSON, set by vitest-qualify's generated tests; survives blob sharding. */
    qualify?: string;
  }
  // The Vitest 4 form; Vitest 5 accepts it under skipLibCheck.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- must match Vitest 4's declaration to merge
  interface Matchers<T = any> {
    /** The case's score (0..1) reaches `min`. */
    toScoreAtLeast(min: number): T;
    /** The case regressed at most `points` (0-100 scale) versus its baseline, and any drop is allowlisted. */
    notRegressBeyond(points: number): T;
  }
}
