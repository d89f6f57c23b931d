/**
 * What each workflow does, step by step, as the issue specifies it.
 */
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { watchWorkflowTemplate } from '../../../src/cli/templates/workflow.js';
import { workflowErrors } from './parser.js';
import { describeStep, readWorkflow, type Job, type Workflow } from './workflows.js';

/** The step that names the scorecard artifact after the branch (artifact-name.test.ts runs it). */
const NAME_STEP = `echo "name=scorecard-$(printf '%s' "$BRANCH" | tr '/\\\\":<>|*?\\r\\n' '-')" >> "$GITHUB_OUTPUT"`;

const steps = (job: Job) => job.steps.map((step) => [describeStep(step), step.if ?? null]);

describe('eval.yml', () => {
  const { jobs } = readWorkflow('eval.yml');

  test('one job by default: install, check a model PR, qualify against the base, comment, upload', () => {
    expect(jobs['eval']!.if).toBe("vars.QUALIFY_SHARDED != 'true'");
    expect(steps(jobs['eval']!)).toEqual([
      ['actions/checkout@v4', null],
      ['actions/setup-node@v4', null],
      ['npm ci', null],
      ['npm run build', null],
      ['npx qualify check-pr --base origin/${{ github.base_ref }}', "startsWith(github.head_ref, 'model/')"],
      ['npm run eval', null],
      ['npx qualify comment --scorecard eval/out/scorecard.md', 'always()'],
      [NAME_STEP, 'always()'],
      ['actions/upload-artifact@v4', 'always()'],
    ]);
    const [checkout, , , , , qualify, , naming, upload] = jobs['eval']!.steps;
    expect(checkout!.with).toEqual({ 'fetch-depth': 0, 'persist-credentials': false });
    expect(qualify!.env!['QUALIFY_BASELINE_REF']).toBe('origin/${{ github.base_ref }}');
    expect(naming!.env).toEqual({ BRANCH: '${{ github.head_ref || github.ref_name }}' });
    expect(upload!.with).toEqual({
      name: '${{ steps.artifact.outputs.name }}',
      path: 'eval/out/',
      'if-no-files-found': 'warn',
    });
  });

  test('sharded when QUALIFY_SHARDED is true: blob reports per shard, a merge job computes the scorecard', () => {
    expect(jobs['plan']!.if).toBe("vars.QUALIFY_SHARDED == 'true'");
    // The shard count from the cases in scope (qualify shards), built first: the command runs from dist/.
    expect(steps(jobs['plan']!)).toEqual([
      ['actions/checkout@v4', null],
      ['actions/setup-node@v4', null],
      ['npm ci', null],
      ['npm run build', null],
      ['npx qualify shards --per-shard 12500 --max 8 --github-output', null],
    ]);
    expect(jobs['plan']!.steps.at(-1)!.id).toBe('count');
    expect(jobs['plan']!.outputs).toEqual({
      shards: '${{ steps.count.outputs.shards }}',
      total: '${{ steps.count.outputs.total }}',
    });
    expect(jobs['shard']!.needs).toBe('plan');
    expect(jobs['shard']!.strategy!.matrix).toEqual({ shard: '${{ fromJSON(needs.plan.outputs.shards) }}' });
    // The blob's path spelled out, so the upload finds it on Vitest 5 (.vitest/blob/ by default) as on 4.
    expect(jobs['shard']!.steps.map(describeStep)).toContain(
      'npx vitest run --project eval --shard=${{ matrix.shard }}/${{ needs.plan.outputs.total }} --reporter=blob' +
        ' --outputFile=.vitest-reports/blob-${{ matrix.shard }}-${{ needs.plan.outputs.total }}.json',
    );
    expect(jobs['merge']!.needs).toEqual(['plan', 'shard']);
    expect(steps(jobs['merge']!).slice(3, 5)).toEqual([
      ['npm run build', null],
      ['npx qualify check-pr --base origin/${{ github.base_ref }}', "startsWith(github.head_ref, 'model/')"],
    ]);
    expect(steps(jobs['merge']!).slice(5)).toEqual([
      ['actions/download-artifact@v4', null],
      ['npx vitest run --project eval --merge-reports=.vitest-reports', null],
      ['npx qualify comment --scorecard eval/out/scorecard.md', 'always()'],
      [NAME_STEP, 'always()'],
      ['actions/upload-artifact@v4', 'always()'],
    ]);
  });
});

describe('ci.yml', () => {
  test('npm test on Node 20, 22 and 24', () => {
    const { test: job } = readWorkflow('ci.yml').jobs;
    expect(job!.strategy!.matrix).toEqual({ node: [20, 22, 24] });
    expect(job!.steps.map(describeStep)).toEqual([
      'actions/checkout@v4',
      'actions/setup-node@v4',
      'npm ci',
      'npm test',
    ]);
    expect(job!.steps[1]!.with).toEqual({ 'node-version': '${{ matrix.node }}', cache: 'npm' });
  });
});

describe('traffic.yml', () => {
  const workflow = readWorkflow('traffic.yml');

  test('nightly, and on demand', () => {
    expect(workflow.on).toEqual({ schedule: [{ cron: '17 3 * * *' }], workflow_dispatch: null });
  });

  test('imports the last 24 hours, runs the current primary live and sharded, uploads the scorecard', () => {
    const { import: importJob, shard, merge } = workflow.jobs;
    const described = importJob!.steps.map(describeStep);
    expect(described).toContain(
      'npx qualify import traces.jsonl --since 24h --out eval/cases/traffic --redact --tags traffic,nightly',
    );
    // Planned after the import is given to the drafter, so the imported cases count; built before, for dist/.
    const plan = described.indexOf('npx qualify shards --per-shard 12500 --max 8 --github-output');
    const drafter = importJob!.steps.findIndex((s) => s.name === 'Give the imported cases to the drafter');
    expect(drafter).toBeGreaterThan(-1);
    expect(plan).toBeGreaterThan(drafter);
    expect(described.indexOf('npm run build')).toBeGreaterThan(-1);
    expect(plan).toBeGreaterThan(described.indexOf('npm run build'));
    expect(importJob!.steps[plan]!.id).toBe('count');
    const run = shard!.steps.find((s) => describeStep(s).startsWith('npx vitest run'))!;
    expect(run.run).toBe(
      'npx vitest run --project eval --shard=${{ matrix.shard }}/${{ needs.import.outputs.total }} --reporter=blob' +
        ' --outputFile=.vitest-reports/blob-${{ matrix.shard }}-${{ needs.import.outputs.total }}.json',
    );
    expect(run.env!['QUALIFY_CACHE']).toBe('off');
    expect(merge!.steps.map(describeStep).slice(-3)).toEqual([
      'npx vitest run --project eval --merge-reports=.vitest-reports',
      NAME_STEP.replace('name=scorecard-', 'name=traffic-scorecard-'),
      'actions/upload-artifact@v4',
    ]);
    expect(merge!.steps.at(-1)!.with!['name']).toBe('${{ steps.artifact.outputs.name }}');
  });
});

describe('watch.yml', () => {
  const repository = readWorkflow('watch.yml');
  const template = parse(watchWorkflowTemplate(['anthropic', 'openai'])) as Workflow;

  test('daily, and on demand; one run at a time, never cut short', () => {
    for (const workflow of [repository, template]) {
      expect(workflow.on).toEqual({ schedule: [{ cron: '23 6 * * *' }], workflow_dispatch: null });
      expect(workflow.concurrency).toEqual({ group: 'watch', 'cancel-in-progress': false });
    }
  });

  test('only the watch job writes; its token is QUALIFY_WATCH_TOKEN, else GITHUB_TOKEN', () => {
    for (const workflow of [repository, template]) {
      expect(workflow.permissions).toEqual({ contents: 'read' });
      expect(Object.keys(workflow.jobs)).toEqual(['watch']);
      const job = workflow.jobs['watch']!;
      expect(job.permissions).toEqual({ contents: 'write', 'pull-requests': 'write' });
      const step = job.steps.at(-1)!;
      expect(step.run).toBe('npx qualify watch');
      expect(step.env!['GITHUB_TOKEN']).toBe('${{ secrets.QUALIFY_WATCH_TOKEN || secrets.GITHUB_TOKEN }}');
    }
    expect(Object.keys(template.jobs['watch']!.steps.at(-1)!.env!)).toEqual([
      'GITHUB_TOKEN',
      'ANTHROPIC_API_KEY',
      'OPENAI_API_KEY',
    ]);
  });

  test('the template validates, and says why a PAT or App token is needed', async () => {
    const text = watchWorkflowTemplate(['anthropic']);
    expect(await workflowErrors('watch.yml', text)).toEqual([]);
    expect(text).toContain(
      '# A pull request opened with GITHUB_TOKEN starts no workflow: eval.yml would not run on it.',
    );
  });
});
