/**
 * A small stand-in for a GitHub Actions runner: evaluates the expressions the
 * workflows use, and runs a job's steps in order the way a runner does (`bash
 * -eo pipefail`, `if:` with `success()` by default, step `env` over the job's,
 * a fresh `GITHUB_OUTPUT` file per step read into `steps.<id>.outputs`).
 * Expressions it does not know make it throw, so a workflow that grows a new
 * one fails this test loudly rather than running wrong.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Job, Step } from '../unit/workflows/workflows.js';

/** The expression contexts of a run: `github`, `secrets`, `vars`, and the rest as needed. */
export type Contexts = Record<string, Record<string, unknown>>;

/** How one step went. `code` is `null` when it was skipped. */
export interface StepOutcome {
  step: string;
  code: number | null;
  output: string;
  /** The step's `id`, when it has one. */
  id?: string | undefined;
  /** What a `run:` step with an `id` wrote to its `GITHUB_OUTPUT`. */
  outputs?: Record<string, string> | undefined;
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
  if (e === '!cancelled()') return true;
  const either = e.split(/\s*\|\|\s*/);
  if (either.length > 1) {
    // GitHub's ||: the first operand that is truthy ('' , 0, null and false are not), else the last.
    const values = either.map((operand) => evaluate(operand, contexts, status));
    return (
      values.find(
        (value) => value !== '' && value !== 0 && value !== null && value !== undefined && value !== false,
      ) ?? values.at(-1)
    );
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
 * The outputs a step wrote to its `GITHUB_OUTPUT` file: `name=value` lines and
 * `name<<DELIMITER` blocks, as the runner reads them.
 *
 * @example
 * parseOutputs('name=scorecard-main\n') // { name: 'scorecard-main' }
 */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const block = /^([^=<]+)<<(.+)$/.exec(line);
    if (block) {
      const end = lines.indexOf(block[2]!, i + 1);
      if (end === -1) throw new Error(`GITHUB_OUTPUT: ${block[1]} has no closing ${block[2]}`);
      outputs[block[1]!] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (line.includes('=')) {
      outputs[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    } else if (line !== '') throw new Error(`GITHUB_OUTPUT: cannot read ${JSON.stringify(line)}`);
  }
  return outputs;
}

/**
 * Run a job's steps in order: `run:` steps in bash, `uses:` steps by `uses`
 * (which returns the step's exit code; it gets the step with its `with:`
 * values interpolated). A failed step makes the job fail; later steps run
 * only if their `if:` says so.
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
  const steps: Record<string, { outputs: Record<string, string> }> = {};
  const contexts: Contexts = { ...options.contexts, steps };
  const outputs = await mkdtemp(path.join(tmpdir(), 'qualify-runner-'));
  try {
    for (const [index, step] of job.steps.entries()) {
      const label = step.run ? interpolate(step.run.trim(), contexts) : (step.uses ?? '');
      // `if:` may be written bare or inside ${{ }}.
      const condition = step.if?.replace(/^\s*\$\{\{(.*)\}\}\s*$/, '$1');
      const wanted = condition === undefined ? status === 'success' : evaluate(condition, contexts, status);
      if (!wanted) {
        outcomes.push({ step: label, code: null, output: '' });
        continue;
      }
      let result: { code: number; output: string; outputs?: Record<string, string> };
      if (step.run) {
        const output = path.join(outputs, `step-${index}`);
        await writeFile(output, '');
        const env: NodeJS.ProcessEnv = { ...options.env, GITHUB_OUTPUT: output };
        for (const [name, value] of Object.entries({ ...job.env, ...step.env })) {
          env[name] = interpolate(String(value), contexts);
        }
        result = await bash(label, options.cwd, env);
        if (step.id) {
          steps[step.id] = { outputs: parseOutputs(await readFile(output, 'utf8')) };
          result.outputs = steps[step.id]!.outputs;
        }
      } else {
        const given = Object.entries(step.with ?? {}).map(([key, value]) => [
          key,
          typeof value === 'string' ? interpolate(value, contexts) : value,
        ]);
        result = { code: await options.uses({ ...step, with: Object.fromEntries(given) }), output: '' };
      }
      outcomes.push({ step: label, ...result, ...(step.id ? { id: step.id } : {}) });
      if (result.code !== 0) status = 'failure';
    }
  } finally {
    await rm(outputs, { recursive: true, force: true });
  }
  return outcomes;
}

/**
 * A job's `outputs:` as the runner computes them once the job ran: each value interpolated with the
 * `steps` context of its outcomes.
 *
 * @example
 * jobOutputs(workflow.jobs.import, outcomes) // { shards: '[1,2,3,4]', total: '4' }
 */
export function jobOutputs(job: Job, outcomes: readonly StepOutcome[]): Record<string, string> {
  const steps = Object.fromEntries(
    outcomes.filter((o) => o.id !== undefined).map((o) => [o.id!, { outputs: o.outputs ?? {} }]),
  );
  return Object.fromEntries(
    Object.entries(job.outputs ?? {}).map(([name, value]) => [name, interpolate(value, { steps })]),
  );
}
