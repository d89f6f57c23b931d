import { parse } from 'yaml';
import { describe, expect, test } from 'vitest';
import { watchWorkflowTemplate, workflowTemplate } from '../../../src/cli/templates/workflow.js';
import { workflowErrors } from '../workflows/parser.js';

interface Workflow {
  permissions: Record<string, string>;
  jobs: {
    eval: {
      steps: { uses?: string; name?: string; with?: Record<string, string>; env?: Record<string, string> }[];
    };
  };
}

describe('workflowTemplate', () => {
  test('a rubric on Vertex: id-token for workload identity federation, the google auth step before the run, project and location from vars', () => {
    const workflow = parse(workflowTemplate(['vertex', 'openai'])) as Workflow;
    expect(workflow.permissions).toEqual({ contents: 'read', 'pull-requests': 'write', 'id-token': 'write' });
    const steps = workflow.jobs.eval.steps;
    const auth = steps.findIndex((step) => step.uses === 'google-github-actions/auth@v2');
    const run = steps.findIndex((step) => step.name === 'Qualification');
    expect(auth).toBeGreaterThan(-1);
    expect(auth).toBeLessThan(run);
    expect(steps[auth]?.with).toEqual({
      workload_identity_provider: '${{ vars.GCP_WORKLOAD_IDENTITY_PROVIDER }}',
      service_account: '${{ vars.GCP_SERVICE_ACCOUNT }}',
    });
    expect(steps[run]?.env).toEqual({
      QUALIFY_BASELINE_REF: 'origin/${{ github.base_ref }}',
      GOOGLE_CLOUD_PROJECT: '${{ vars.GOOGLE_CLOUD_PROJECT }}',
      GOOGLE_CLOUD_LOCATION: '${{ vars.GOOGLE_CLOUD_LOCATION }}',
      OPENAI_API_KEY: '${{ secrets.OPENAI_API_KEY }}',
    });
  });

  test('Bedrock and Vertex together: one id-token permission, both credential steps before the run', async () => {
    const text = workflowTemplate(['bedrock', 'vertex']);
    expect(await workflowErrors('eval.yml', text)).toEqual([]);
    const workflow = parse(text) as Workflow;
    expect(workflow.permissions['id-token']).toBe('write');
    const steps = workflow.jobs.eval.steps.map((step) => step.uses ?? step.name);
    const run = steps.indexOf('Qualification');
    expect(steps.indexOf('aws-actions/configure-aws-credentials@v4')).toBeGreaterThan(-1);
    expect(steps.indexOf('aws-actions/configure-aws-credentials@v4')).toBeLessThan(run);
    expect(steps.indexOf('google-github-actions/auth@v2')).toBeGreaterThan(-1);
    expect(steps.indexOf('google-github-actions/auth@v2')).toBeLessThan(run);
  });

  test('watch.yml lists Bedrock models with OIDC credentials: id-token on the watch job only', async () => {
    const text = watchWorkflowTemplate(['bedrock', 'anthropic']);
    expect(await workflowErrors('watch.yml', text)).toEqual([]);
    const workflow = parse(text) as {
      permissions: Record<string, string>;
      jobs: { watch: { permissions: Record<string, string>; steps: { uses?: string; name?: string }[] } };
    };
    expect(workflow.permissions).toEqual({ contents: 'read' });
    expect(workflow.jobs.watch.permissions).toEqual({
      contents: 'write',
      'pull-requests': 'write',
      'id-token': 'write',
    });
    const steps = workflow.jobs.watch.steps.map((step) => step.uses ?? step.name);
    expect(steps.indexOf('aws-actions/configure-aws-credentials@v4')).toBeLessThan(
      steps.indexOf('Open a qualification PR for a new model release'),
    );
    expect(watchWorkflowTemplate(['anthropic'])).not.toContain('id-token');
  });

  test("GitHub's workflow parser accepts it, with and without Vertex", async () => {
    expect(await workflowErrors('eval.yml', workflowTemplate(['vertex', 'anthropic']))).toEqual([]);
    expect(await workflowErrors('eval.yml', workflowTemplate(['openai']))).toEqual([]);
  });

  test('a rubric without Vertex: no id-token, no google step', () => {
    const text = workflowTemplate(['anthropic']);
    const workflow = parse(text) as Workflow;
    expect(workflow.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
    expect(text).not.toContain('google-github-actions');
  });
});
