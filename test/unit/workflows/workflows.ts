/**
 * The repository's workflows, read as YAML, with just enough types to walk them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

export interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}

export interface Job {
  if?: string;
  needs?: string | string[];
  'runs-on': string;
  'timeout-minutes'?: number;
  permissions?: Record<string, string> | string;
  strategy?: { 'fail-fast'?: boolean; matrix: Record<string, unknown> };
  outputs?: Record<string, string>;
  env?: Record<string, string>;
  steps: Step[];
}

export interface Workflow {
  name: string;
  on: Record<string, unknown>;
  permissions?: Record<string, string> | string;
  env?: Record<string, string>;
  concurrency?: { group: string; 'cancel-in-progress': boolean };
  jobs: Record<string, Job>;
}

/** The folder the workflows live in. */
export const WORKFLOWS_DIR = path.join(process.cwd(), '.github/workflows');

/**
 * Every workflow file name, sorted.
 *
 * @example
 * workflowFiles() // ['ci.yml', 'eval.yml', 'traffic.yml']
 */
export function workflowFiles(): string[] {
  return readdirSync(WORKFLOWS_DIR)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
}

/**
 * A workflow's text.
 *
 * @example
 * workflowText('eval.yml').startsWith('#') // true
 */
export function workflowText(file: string): string {
  return readFileSync(path.join(WORKFLOWS_DIR, file), 'utf8');
}

/**
 * A workflow, parsed.
 *
 * @example
 * readWorkflow('eval.yml').jobs.eval.steps.length // 7
 */
export function readWorkflow(file: string): Workflow {
  return parse(workflowText(file)) as Workflow;
}

/**
 * What a step does, in one string: its `run:` or its `uses:`.
 *
 * @example
 * describeStep({ run: 'npm ci' }) // 'npm ci'
 */
export function describeStep(step: Step): string {
  return step.run?.trim() ?? step.uses ?? '';
}
