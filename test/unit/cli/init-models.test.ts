import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { describe, expect, test } from 'vitest';
import { findBlocks } from '../../../src/cli/playbook/blocks.js';
import { loadProject } from '../../../src/config/load.js';
import { scratch } from '../../helpers/scratch.js';
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
        qualify: { 'timeout-minutes': number; steps: { run?: string; uses?: string; env?: object }[] };
      };
    };
    expect(Object.keys(workflow.on)).toEqual(['pull_request']);
    expect(workflow.on['pull_request']!.paths).toContain('rubric.yaml');
    expect(workflow.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
    expect(workflow.concurrency).toEqual({
      group: 'eval-${{ github.event.pull_request.number }}',
      'cancel-in-progress': true,
    });
    const job = workflow.jobs.qualify;
    expect(job['timeout-minutes']).toBe(60);
    const steps = job.steps.map((s) => s.run ?? s.uses);
    expect(steps).toEqual([
      'actions/checkout@v4',
      'actions/setup-node@v4',
      'npm ci',
      'npx qualify check-pr --base "origin/$GITHUB_BASE_REF"',
      'npm run eval',
      'npx qualify comment --scorecard eval/out/scorecard.md',
      'actions/upload-artifact@v4',
    ]);
    expect(job.steps[4]!.env).toMatchObject({ QUALIFY_BASELINE_REF: 'origin/${{ github.base_ref }}' });
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
      '| primary | openai:gpt-5.1 | 500 | 16 | 60 | 4 |',
      '| fallback | anthropic:claude-sonnet-4-6 | 50 | 8 | 60 | 4 |',
    ]);
  });

  test('asks on a terminal for what the flags leave out, and never when not a terminal', async () => {
    await using dir = await scratch('qualify-init-');
    const asked: string[] = [];
    const answers = ['openai:gpt-5-mini', '', ''];
    const ask = async (question: string) => {
      asked.push(question);
      return answers.shift()!;
    };
    expect((await qualify(dir.dir, ['init'], { isTTY: true, ask })).code).toBe(0);
    expect(asked).toEqual([
      'Model the agent runs on (provider:model) [anthropic:claude-sonnet-4-6]: ',
      'Judge model (provider:model) [openai:gpt-5]: ',
      'Fallback model (provider:model) [none]: ',
    ]);
    const project = await loadProject({ cwd: dir.dir });
    expect([project.rubric.model_primary, project.rubric.judge, project.rubric.model_fallback]).toEqual([
      'openai:gpt-5-mini',
      'openai:gpt-5',
      undefined,
    ]);

    await using other = await scratch('qualify-init-');
    const never = async () => {
      throw new Error('asked while not a terminal');
    };
    expect((await qualify(other.dir, ['init'], { isTTY: false, ask: never })).code).toBe(0);
  });
});
