import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { describe, expect, test } from 'vitest';
import { findBlocks } from '../../../src/cli/playbook/blocks.js';
import { loadProject } from '../../../src/config/load.js';
import { scratch } from '../../helpers/scratch.js';
import { workflowErrors } from '../workflows/parser.js';
import { qualify } from './io.js';

describe('qualify init: the workflow and the models', () => {
  test('the workflow: pull requests only, least privilege, one run per PR, a timeout, the whole pipeline', async () => {
    await using dir = await scratch('qualify-init-');
    await qualify(dir.dir, ['init']);
    const workflow = parse(await readFile(dir.path('.github/workflows/eval.yml'), 'utf8')) as {
      on: Record<string, { paths: string[] }>;
      permissions: Record<string, string>;
      concurrency: { group: string; 'cancel-in-progress': boolean };
      jobs: {
        eval: { 'timeout-minutes': number; steps: { run?: string; uses?: string; env?: object }[] };
      };
    };
    expect(Object.keys(workflow.on)).toEqual(['pull_request']);
    expect(workflow.on['pull_request']!.paths).toContain('rubric.yaml');
    expect(workflow.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
    expect(workflow.concurrency).toEqual({
      group: 'eval-${{ github.event.pull_request.number }}',
      'cancel-in-progress': true,
    });
    const job = workflow.jobs.eval;
    expect(job['timeout-minutes']).toBe(60);
    const steps = job.steps.map((s) => s.run ?? s.uses);
    expect(steps).toEqual([
      'actions/checkout@v4',
      'actions/setup-node@v4',
      'npm ci',
      'npx qualify check-pr --base "origin/$GITHUB_BASE_REF"',
      'npm run eval',
      'npx qualify comment --scorecard eval/out/scorecard.md',
      `echo "name=scorecard-$(printf '%s' "$BRANCH" | tr '/\\\\":<>|*?\\r\\n' '-')" >> "$GITHUB_OUTPUT"`,
      'actions/upload-artifact@v4',
    ]);
    // test/unit/workflows/artifact-name.test.ts runs the naming step: scorecard-<branch, / as ->.
    expect(job.steps.at(-1)).toMatchObject({ with: { name: '${{ steps.artifact.outputs.name }}' } });
    expect(job.steps[4]!.env).toEqual({
      QUALIFY_BASELINE_REF: 'origin/${{ github.base_ref }}',
      ANTHROPIC_API_KEY: '${{ secrets.ANTHROPIC_API_KEY }}',
      OPENAI_API_KEY: '${{ secrets.OPENAI_API_KEY }}',
    });
  });

  test('an openai-compatible setup: its block names the URL and key variables, no openai block or OPENAI_API_KEY', async () => {
    await using dir = await scratch('qualify-init-');
    const argv = [
      'init',
      '--model',
      'openai-compatible:llama-3.3-70b',
      '--judge',
      'openai-compatible:qwen3-32b',
      '--embeddings',
      'openai-compatible:bge-m3',
    ];
    expect((await qualify(dir.dir, argv)).code).toBe(0);
    const project = await loadProject({ cwd: dir.dir });
    expect(project.rubric.embeddings).toBe('openai-compatible:bge-m3');
    expect(project.rubric.providers).toEqual({
      'openai-compatible': {
        rpm: 60,
        max_in_flight: 4,
        timeout_s: 120,
        base_url_env: 'OPENAI_COMPATIBLE_BASE_URL',
        api_key_env: 'OPENAI_COMPATIBLE_API_KEY',
      },
    });
    const text = await readFile(dir.path('.github/workflows/eval.yml'), 'utf8');
    const workflow = parse(text) as { jobs: { eval: { steps: { env?: object }[] } } };
    expect(workflow.jobs.eval.steps[4]!.env).toEqual({
      QUALIFY_BASELINE_REF: 'origin/${{ github.base_ref }}',
      OPENAI_COMPATIBLE_API_KEY: '${{ secrets.OPENAI_COMPATIBLE_API_KEY }}',
      OPENAI_COMPATIBLE_BASE_URL: '${{ secrets.OPENAI_COMPATIBLE_BASE_URL }}',
    });
    expect(text).not.toContain('OPENAI_API_KEY');
    expect(text).not.toContain('ANTHROPIC');
    expect(await workflowErrors('eval.yml', text)).toEqual([]);
  });

  test('a bedrock setup: AWS credentials by OIDC (id-token: write, configure-aws-credentials), no AWS secret stored', async () => {
    await using dir = await scratch('qualify-init-');
    const argv = [
      'init',
      '--model',
      'bedrock:us.anthropic.claude-sonnet-4-6-v1:0',
      '--judge',
      'bedrock:us.anthropic.claude-opus-4-5-v1:0',
      '--embeddings',
      'bedrock:amazon.titan-embed-text-v2:0',
    ];
    expect((await qualify(dir.dir, argv)).code).toBe(0);
    const project = await loadProject({ cwd: dir.dir });
    expect(project.rubric.providers).toEqual({ bedrock: { rpm: 50, max_in_flight: 8, timeout_s: 60 } });
    const text = await readFile(dir.path('.github/workflows/eval.yml'), 'utf8');
    expect(await workflowErrors('eval.yml', text)).toEqual([]);
    const workflow = parse(text) as {
      permissions: Record<string, string>;
      jobs: { eval: { steps: { id?: string; run?: string; uses?: string; with?: object; env?: object }[] } };
    };
    expect(workflow.permissions).toEqual({ contents: 'read', 'pull-requests': 'write', 'id-token': 'write' });
    const steps = workflow.jobs.eval.steps;
    expect(steps.map((s) => (s.id === 'artifact' ? 'id: artifact' : (s.run ?? s.uses)))).toEqual([
      'actions/checkout@v4',
      'actions/setup-node@v4',
      'npm ci',
      'aws-actions/configure-aws-credentials@v4',
      'npx qualify check-pr --base "origin/$GITHUB_BASE_REF"',
      'npm run eval',
      'npx qualify comment --scorecard eval/out/scorecard.md',
      'id: artifact',
      'actions/upload-artifact@v4',
    ]);
    expect(steps[3]!.with).toEqual({
      'role-to-assume': '${{ secrets.AWS_ROLE_ARN }}',
      'aws-region': '${{ vars.AWS_REGION }}',
    });
    expect(steps[5]!.env).toEqual({ QUALIFY_BASELINE_REF: 'origin/${{ github.base_ref }}' });
    expect(text).not.toContain('OPENAI');
  });

  test('the secrets follow every provider named: azure primary, anthropic judge, openai embeddings by default', async () => {
    await using dir = await scratch('qualify-init-');
    const argv = ['init', '--model', 'azure:gpt-5-deploy', '--judge', 'anthropic:claude-opus-4-7'];
    expect((await qualify(dir.dir, argv)).code).toBe(0);
    const project = await loadProject({ cwd: dir.dir });
    expect(Object.keys(project.rubric.providers)).toEqual(['openai', 'anthropic', 'azure']); // in the schema's order
    const workflow = parse(await readFile(dir.path('.github/workflows/eval.yml'), 'utf8')) as {
      jobs: { eval: { steps: { env?: object }[] } };
    };
    const text = await readFile(dir.path('.github/workflows/eval.yml'), 'utf8');
    expect(await workflowErrors('eval.yml', text)).toEqual([]);
    expect(Object.keys(workflow.jobs.eval.steps[4]!.env!)).toEqual([
      'QUALIFY_BASELINE_REF',
      'AZURE_OPENAI_API_KEY',
      'AZURE_OPENAI_ENDPOINT',
      'OPENAI_API_VERSION',
      'ANTHROPIC_API_KEY',
      'OPENAI_API_KEY',
    ]);
  });

  test('an all-Vertex setup: a vertex block, workload identity federation in the workflow, no key secrets', async () => {
    await using dir = await scratch('qualify-init-');
    const argv = [
      'init',
      '--model',
      'vertex:gemini-2.5-pro',
      '--judge',
      'vertex:claude-sonnet-4-5@20250929',
      '--embeddings',
      'vertex:text-embedding-005',
    ];
    expect((await qualify(dir.dir, argv)).code).toBe(0);
    const project = await loadProject({ cwd: dir.dir });
    expect(project.rubric.providers).toEqual({ vertex: { rpm: 60, max_in_flight: 8, timeout_s: 60 } });
    const text = await readFile(dir.path('.github/workflows/eval.yml'), 'utf8');
    const workflow = parse(text) as {
      permissions: Record<string, string>;
      jobs: { eval: { steps: { uses?: string; run?: string; env?: object }[] } };
    };
    expect(workflow.permissions['id-token']).toBe('write');
    const steps = workflow.jobs.eval.steps;
    expect(steps.map((step) => step.run ?? step.uses)).toContain('google-github-actions/auth@v2');
    expect(steps.find((step) => step.run === 'npm run eval')!.env).toEqual({
      QUALIFY_BASELINE_REF: 'origin/${{ github.base_ref }}',
      GOOGLE_CLOUD_PROJECT: '${{ vars.GOOGLE_CLOUD_PROJECT }}',
      GOOGLE_CLOUD_LOCATION: '${{ vars.GOOGLE_CLOUD_LOCATION }}',
    });
    expect(text).not.toContain('API_KEY');
    expect(await workflowErrors('eval.yml', text)).toEqual([]);
  });

  test('a bad --embeddings is a usage error naming the flag', async () => {
    await using dir = await scratch('qualify-init-');
    expect(await qualify(dir.dir, ['init', '--embeddings', 'bge-m3'])).toEqual({
      code: 2,
      out: '',
      err: 'qualify init: --embeddings: "bge-m3" has no provider prefix: write provider:model, e.g. openai:gpt-5 (providers: openai, anthropic, azure, openai-compatible, bedrock, vertex)\n',
    });
  });

  test('models from flags: primary, fallback and judge, each provider with limits', async () => {
    await using dir = await scratch('qualify-init-');
    const argv = [
      'init',
      '--model',
      'openai:gpt-5.1',
      '--fallback',
      'anthropic:claude-sonnet-4-6',
      '--judge',
      'anthropic:claude-opus-4-7',
    ];
    expect((await qualify(dir.dir, argv)).code).toBe(0);
    const project = await loadProject({ cwd: dir.dir });
    expect([project.rubric.model_primary, project.rubric.model_fallback, project.rubric.judge]).toEqual([
      'openai:gpt-5.1',
      'anthropic:claude-sonnet-4-6',
      'anthropic:claude-opus-4-7',
    ]);
    expect(Object.keys(project.rubric.providers)).toEqual(['openai', 'anthropic']);
    const playbook = await readFile(dir.path('ops/failure_playbook.md'), 'utf8');
    expect(findBlocks(playbook, 'p').blocks.models.inner).toEqual([
      '| role | model | rpm | max_in_flight | timeout_s | max_retries |',
      '| --- | --- | --- | --- | --- | --- |',
      '| primary | openai:gpt-5.1 | 500 | 16 | 60 | - |',
      '| fallback | anthropic:claude-sonnet-4-6 | 50 | 8 | 60 | - |',
    ]);
  });

  test('asks on a terminal for what the flags leave out, and never when not a terminal', async () => {
    await using dir = await scratch('qualify-init-');
    const asked: string[] = [];
    const answers = ['openai:gpt-5-mini', '', '', 'openai:text-embedding-3-large'];
    const ask = async (question: string) => {
      asked.push(question);
      return answers.shift()!;
    };
    expect((await qualify(dir.dir, ['init'], { isTTY: true, ask })).code).toBe(0);
    expect(asked).toEqual([
      'Model the agent runs on (provider:model) [anthropic:claude-sonnet-4-6]: ',
      'Judge model (provider:model) [openai:gpt-5]: ',
      'Fallback model (provider:model) [none]: ',
      'Embedding model for answer relevancy (provider:model) [openai:text-embedding-3-small]: ',
    ]);
    const project = await loadProject({ cwd: dir.dir });
    expect([
      project.rubric.model_primary,
      project.rubric.judge,
      project.rubric.model_fallback,
      project.rubric.embeddings,
    ]).toEqual(['openai:gpt-5-mini', 'openai:gpt-5', undefined, 'openai:text-embedding-3-large']);

    await using other = await scratch('qualify-init-');
    const never = async () => {
      throw new Error('asked while not a terminal');
    };
    expect((await qualify(other.dir, ['init'], { isTTY: false, ask: never })).code).toBe(0);
  });
});
