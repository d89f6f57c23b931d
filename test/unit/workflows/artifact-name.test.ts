/**
 * The scorecard artifact is named after the branch: the naming step and the
 * upload step of every job that keeps a scorecard, run for real (bash, a
 * GITHUB_OUTPUT file, the expressions) for a pull request and a push.
 */
import { parse } from 'yaml';
import { describe, expect, test } from 'vitest';
import { workflowTemplate } from '../../../src/cli/templates/workflow.js';
import { parseOutputs, runJob, type Contexts } from '../../e2e/workflow-runner.js';
import { readWorkflow, type Job, type Workflow } from './workflows.js';

const UPLOAD = 'actions/upload-artifact@v4';

/** The artifact name the upload step of `job` gets, after the steps before it that name it. */
async function artifactName(job: Job, github: Record<string, unknown>): Promise<string> {
  const at = job.steps.findIndex((s) => s.uses === UPLOAD && s.with?.['path'] === 'eval/out/');
  const naming = job.steps[at - 1]!;
  expect(naming.id).toBe('artifact');
  let name: unknown;
  const outcomes = await runJob(
    { ...job, steps: [naming, job.steps[at]!] },
    {
      cwd: process.cwd(),
      env: { PATH: process.env['PATH'] },
      contexts: { github } satisfies Contexts,
      uses: async (step) => {
        name = step.with?.['name'];
        return 0;
      },
    },
  );
  expect(outcomes.map((o) => o.code)).toEqual([0, 0]);
  return String(name);
}

const pullRequest = (branch: string) => ({
  event_name: 'pull_request',
  head_ref: branch,
  ref_name: '7/merge',
});
const push = (branch: string) => ({ event_name: 'push', head_ref: '', ref_name: branch });

const jobs: [string, Job, string][] = [
  ['eval.yml eval', readWorkflow('eval.yml').jobs['eval']!, 'scorecard'],
  ['eval.yml merge', readWorkflow('eval.yml').jobs['merge']!, 'scorecard'],
  ['traffic.yml merge', readWorkflow('traffic.yml').jobs['merge']!, 'traffic-scorecard'],
  ['the init template', (parse(workflowTemplate(['openai'])) as Workflow).jobs['eval']!, 'scorecard'],
];

describe.each(jobs)('%s: the scorecard artifact', (_name, job, prefix) => {
  test('a pull request: named after its head branch, / as -', async () => {
    expect(await artifactName(job, pullRequest('model/anthropic-claude-4-7-opus'))).toBe(
      `${prefix}-model-anthropic-claude-4-7-opus`,
    );
  });

  test('a push (or a scheduled run): named after github.ref_name', async () => {
    expect(await artifactName(job, push('main'))).toBe(`${prefix}-main`);
    expect(await artifactName(job, push('release/2026/11'))).toBe(`${prefix}-release-2026-11`);
  });

  test('every character an artifact name cannot hold becomes -, and nothing else changes', async () => {
    // git allows " < > | in branch names; : * ? \ and newlines are refused by git, kept here for the rule.
    expect(await artifactName(job, pullRequest('a/"b"<c>|d:e*f?g\\h.i_j'))).toBe(
      `${prefix}-a--b--c--d-e-f-g-h.i_j`,
    );
  });
});

test('parseOutputs reads name=value lines and name<<DELIMITER blocks', () => {
  expect(parseOutputs('name=scorecard-main\ntotal=2\nnotes<<EOF\na=b\nc\nEOF\n')).toEqual({
    name: 'scorecard-main',
    total: '2',
    notes: 'a=b\nc',
  });
});
