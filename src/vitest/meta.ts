import type { CaseResult } from '../scorecard/types.js';

/** The key under `task.meta` where a case's result travels to the reporter. */
export const META_KEY = 'qualify';

declare module '@vitest/runner' {
  interface TaskMeta {
    /** The case's scores, set by vitest-qualify's generated tests; survives blob sharding. */
    qualify?: CaseResult;
  }
}
