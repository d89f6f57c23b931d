/**
 * The deterministic checks of a case. A failed check makes the case score 0; a check
 * that cannot run (a bad regex, a user function that throws) is a failed check whose
 * detail says why, never a crash.
 */
import { jsonCheck, jsonSchemaCheck } from './checks/json.js';
import { importByPath, javascriptCheck, type ImportModule } from './checks/javascript.js';
import type { Outcome } from './checks/outcome.js';
import { containsCheck, equalsCheck, lengthCheck, regexCheck, startsWithCheck } from './checks/text.js';
import { toolCalledCheck } from './checks/tool-called.js';
import { toolTrajectoryCheck } from './checks/tool-trajectory.js';
import type { AgentOutput, Check, CheckResult, ScoringCase } from './types.js';

export type { CheckFunction, ImportModule } from './checks/javascript.js';

/**
 * What the checks take from the world.
 *
 * @example
 * await runChecks(checks, out, c, { root: repoRoot, importModule: (path) => import(path) })
 */
export interface CheckDeps {
  /** Loads a `javascript` check module by absolute path; default dynamic `import()`. */
  importModule?: ImportModule | undefined;
  /** What `javascript` paths are relative to (the repository root); default `process.cwd()`. */
  root?: string | undefined;
}

/**
 * Runs every check, in order, and reports each with its name, pass and detail.
 *
 * @example
 * const results = await runChecks(
 *   [{ kind: 'not_contains', value: ['guarantee'], ignore_case: false, name: 'no promises' }],
 *   { output: 'We guarantee it.' }, { id: 'refund' })
 * // [{ name: 'no promises', pass: false, detail: 'found "guarantee" at char 3' }]
 */
export async function runChecks(
  checks: readonly Check[],
  agent: AgentOutput,
  c: ScoringCase,
  deps: CheckDeps = {},
): Promise<CheckResult[]> {
  const context = { root: deps.root ?? process.cwd(), importModule: deps.importModule ?? importByPath };
  const results: CheckResult[] = [];
  for (const check of checks) {
    let outcome: Outcome;
    try {
      outcome = await runCheck(check, agent, c, context);
    } catch (error) {
      outcome = {
        pass: false,
        detail: `could not run: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
    results.push({ name: check.name, ...outcome });
  }
  return results;
}

async function runCheck(
  check: Check,
  agent: AgentOutput,
  c: ScoringCase,
  deps: { root: string; importModule: ImportModule },
): Promise<Outcome> {
  switch (check.kind) {
    case 'contains':
    case 'not_contains':
      return containsCheck(check, agent.output);
    case 'regex':
    case 'not_regex':
      return regexCheck(check, agent.output);
    case 'equals':
      return equalsCheck(check, agent.output);
    case 'starts_with':
      return startsWithCheck(check, agent.output);
    case 'max_chars':
    case 'min_chars':
      return lengthCheck(check, agent.output);
    case 'json':
      return jsonCheck(agent.output);
    case 'json_schema':
      return jsonSchemaCheck(check, agent.output);
    case 'tool_called':
      return toolCalledCheck(check, agent.toolCalls ?? []);
    case 'tool_trajectory':
      return toolTrajectoryCheck(check, agent.toolCalls ?? []);
    case 'javascript':
      return javascriptCheck(check, agent, c, deps);
  }
}
