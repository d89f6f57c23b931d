import { createHash } from 'node:crypto';
import path from 'node:path';
import type { CaseModule } from '../run/context.js';

/**
 * The module generated from a case file: the runtime imported, its cases passed
 * as one JSON string, and a loader for each user module its cases run (agent
 * entries, `javascript` check files). A string literal is one token to Vite's
 * import analysis and to V8, where an object literal of 500 cases is a syntax
 * tree of tens of thousands of nodes (parsed in the main process, compiled in
 * the worker).
 *
 * The loaders are literal `import()`s in this module because it is the user's
 * case file, which Vite transforms: the runtime, installed in node_modules, is
 * not, so an `import()` of a `.ts` agent from there would reach Node unchanged
 * (`Unknown file extension ".ts"` on Node 20). Through the case file, the agent
 * and what it imports go through Vite, tsconfig `paths` included.
 * @internal
 *
 * @example
 * caseModuleCode('/pkg/vitest/runtime.js', { file: '/repo/eval/cases.yaml', cases }, ['/repo/agents/returns.ts'])
 * // import { defineCaseTests } from "/pkg/vitest/runtime.js";
 * // defineCaseTests(JSON.parse("{\"file\":...}"), {
 * //   "/repo/agents/returns.ts": () => import("/repo/agents/returns.ts"),
 * // });
 */
export function caseModuleCode(
  runtime: string,
  payload: CaseModule | string,
  modules: readonly string[] = [],
): string {
  // The payload as JSON text already (`casesPayload`), or as the object.
  const json = JSON.stringify(typeof payload === 'string' ? payload : JSON.stringify(payload));
  const loaders = modules.map(
    (file) => `  ${JSON.stringify(file)}: () => import(${JSON.stringify(file.split(path.sep).join('/'))}),\n`,
  );
  return (
    `import { defineCaseTests } from ${JSON.stringify(runtime)};\n` +
    `defineCaseTests(JSON.parse(${json}), {\n${loaders.join('')}});\n`
  );
}

/**
 * The hash a case file's text is remembered by: a file whose text no longer
 * matches was edited since its cases were loaded (watch mode).
 * @internal
 */
export function caseFileHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
