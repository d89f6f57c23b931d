/**
 * A small stand-in for a GitHub Actions runner: evaluates the expressions the
 * workflows use, and runs a job's steps in order the way a runner does (`bash
 * -eo pipefail`, `if:` with `success()` by default, step `env` over the job's).
 * Expressions it does not know make it throw, so a workflow that grows a new
 * one fails this test loudly rather than running wrong.
 */
import { spawn } from 'node:child_process';
import type { Job, Step } from '../unit/workflows/workflows.js';

/** The expression contexts of a run: `github`, `secrets`, `vars`, and the rest as needed. */
export type Contexts = Record<string, Record<string, unknown>>;

/** How one step went. `code` is `null` when it was skipped. */
export interface StepOutcome {
  step: string;
  code: number | null;
  output: string;
}

function lookup(path: string, contexts: Contexts): unknown {
  const [head, ...rest] = path.split('.');
  if (!head || !Object.hasOwn(contexts, head))
    throw new Error(`the test runner has no ${head} context (${path})`);
  return rest.reduce<unknown>(
    (value, key) => (value as Record<string, unknown> | undefined)?.[key],
    contexts[head],
  );
}

/**
 * The value of one expression (without `${{ }}`).
 *
 * @example
 * evaluate("startsWith(github.head_ref, 'model/')", { github: { head_ref: 'model/x' } }, 'success') // true
 */
export function evaluate(expression: string, contexts: Contexts, status: 'success' | 'failure'): unknown {
  const e = expression.trim();
  if (e === 'always()') return true;
  if (e === 'success()') return status === 'success';
  if (e === 'failure()') return status === 'failure';
  // `a || b`: the first truthy operand (an unset secret is '', falsy), as GitHub evaluates it.
  if (/^[\w.-]+(\s*\|\|\s*[\w.-]+)+$/.test(e)) {
    const operands = e.split('||').map((part) => evaluate(part, contexts, status));
    return operands.find(Boolean) ?? operands.at(-1);
  }
  const starts = /^startsWith\((.+),\s*'([^']*)'\)$/.exec(e);
  if (starts) return String(evaluate(starts[1]!, contexts, status) ?? '').startsWith(starts[2]!);
  const compare = /^(.+?)\s*(==|!=)\s*'([^']*)'$/.exec(e);
  if (compare) {
    const value = String(evaluate(compare[1]!, contexts, status) ?? '');
    return compare[2] === '==' ? value === compare[3] : value !== compare[3];
  }
  if (/^[A-Za-z_][\w-]*(\.[\w-]+)+$/.test(e)) return lookup(e, contexts);
  throw new Error(`the test runner cannot evaluate \${{ ${e} }}`);
}

/**
 * A text with every `${{ expression }}` replaced by its value.
 *
 * @example
 * interpolate('--base origin/${{ github.base_ref }}', { github: { base_ref: 'main' } }) // '--base origin/main'
 */
export function interpolate(text: string, contexts: Contexts): string {
  return text.replace(/\$\{\{(.*?)\}\}/g, (_, expression: string) =>
    String(evaluate(expression, contexts, 'success') ?? ''),
  );
}

function bash(
  script: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], { cwd, env });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

/**
 * Run a job's steps in order: `run:` steps in bash, `uses:` steps by `uses`
 * (which returns the step's exit code). A failed step makes the job fail;
 * later steps run only if their `if:` says so.
 *
 * @example
 * const outcomes = await runJob(workflow.jobs.eval, { cwd, env, contexts, uses: async () => 0 })
 */
export async function runJob(
  job: Job,
  options: { cwd: string; env: NodeJS.ProcessEnv; contexts: Contexts; uses: (step: Step) => Promise<number> },
): Promise<StepOutcome[]> {
  const outcomes: StepOutcome[] = [];
  let status: 'success' | 'failure' = 'success';
  for (const step of job.steps) {
    const label = step.run ? interpolate(step.run.trim(), options.contexts) : (step.uses ?? '');
    const wanted = step.if === undefined ? status === 'success' : evaluate(step.if, options.contexts, status);
    if (!wanted) {
      outcomes.push({ step: label, code: null, output: '' });
      continue;
    }
    let result: { code: number; output: string };
    if (step.run) {
      const env = { ...options.env };
      for (const [name, value] of Object.entries({ ...job.env, ...step.env })) {
        env[name] = interpolate(String(value), options.contexts);
      }
      result = await bash(label, options.cwd, env);
    } else {
      result = { code: await options.uses(step), output: '' };
    }
    outcomes.push({ step: label, ...result });
    if (result.code !== 0) status = 'failure';
  }
  return outcomes;
}
