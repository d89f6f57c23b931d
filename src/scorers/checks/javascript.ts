/**
 * `javascript`: a user function `(output, case, agent) => boolean | { pass, detail }`,
 * loaded from a module. A function that throws is a failed check quoting the error.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AgentOutput, Check, ScoringCase } from '../types.js';
import type { Outcome } from './outcome.js';

/** What a `javascript` check module exports. May be async. */
export type CheckFunction = (
  output: string,
  c: ScoringCase,
  agent: AgentOutput,
) => boolean | { pass: boolean; detail?: string } | Promise<boolean | { pass: boolean; detail?: string }>;

/** Loads a module by absolute path. */
export type ImportModule = (path: string) => Promise<Record<string, unknown>>;

/**
 * The default loader: dynamic `import()` of the file URL (Vitest transforms `.ts` modules).
 *
 * @example
 * const mod = await importByPath('/repo/checks/cites-policy.ts')
 */
export const importByPath: ImportModule = async (path) =>
  (await import(pathToFileURL(path).href)) as Record<string, unknown>;

/**
 * Runs a `javascript` check: the module path is resolved against `root`.
 *
 * @example
 * await javascriptCheck({ kind: 'javascript', value: 'checks/x.ts', export: 'default', name: 'x' },
 *   { output: 'hi' }, { id: 'c' }, { root: '/repo', importModule: importByPath })
 */
export async function javascriptCheck(
  check: Extract<Check, { kind: 'javascript' }>,
  agent: AgentOutput,
  c: ScoringCase,
  deps: { root: string; importModule: ImportModule },
): Promise<Outcome> {
  const where = `${check.value}#${check.export}`;
  let fn: unknown;
  try {
    fn = (await deps.importModule(resolve(deps.root, check.value)))[check.export];
  } catch (error) {
    return { pass: false, detail: `could not load ${where}: ${errorText(error)}` };
  }
  if (typeof fn !== 'function') {
    return { pass: false, detail: `${where} is not a function (got ${fn === null ? 'null' : typeof fn})` };
  }
  let result: unknown;
  try {
    result = await (fn as CheckFunction)(agent.output, c, agent);
  } catch (error) {
    return { pass: false, detail: `${where} threw: ${errorText(error)}` };
  }
  if (typeof result === 'boolean') return { pass: result, detail: `${where} returned ${result}` };
  if (
    typeof result === 'object' &&
    result !== null &&
    typeof (result as { pass?: unknown }).pass === 'boolean'
  ) {
    const { pass, detail } = result as { pass: boolean; detail?: unknown };
    return {
      pass,
      detail: typeof detail === 'string' && detail !== '' ? detail : `${where} returned pass: ${pass}`,
    };
  }
  return {
    pass: false,
    detail: `${where} returned ${describe(result)}; return a boolean or { pass, detail }`,
  };
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value)?.slice(0, 60) ?? String(value);
  } catch {
    return String(value);
  }
}
