/**
 * The security properties of the workflows, read from their YAML: triggers a
 * fork cannot abuse, least-privilege permissions, secrets only where they are
 * used, timeouts and concurrency.
 */
import { describe, expect, test } from 'vitest';
import { describeStep, readWorkflow, workflowFiles, type Job, type Workflow } from './workflows.js';

const all = (): [string, Workflow][] => workflowFiles().map((file) => [file, readWorkflow(file)]);
const jobs = (): [string, string, Job][] =>
  all().flatMap(([file, workflow]) =>
    Object.entries(workflow.jobs).map(([id, job]) => [file, id, job] as [string, string, Job]),
  );
const SECRET = /\$\{\{\s*secrets\./;

describe('triggers', () => {
  test('no workflow runs fork code with the base repository’s token and secrets', () => {
    for (const [file, workflow] of all()) {
      expect([
        file,
        Object.keys(workflow.on).filter((t) => ['pull_request_target', 'workflow_run'].includes(t)),
      ]).toEqual([file, []]);
    }
  });

  test('eval.yml runs on pull requests that touch the agent, the cases, the rubric or the playbook', () => {
    expect(readWorkflow('eval.yml').on).toEqual({
      pull_request: { paths: ['agents/**', 'eval/**', 'rubric.yaml', 'ops/failure_playbook.md'] },
    });
  });
});

describe('permissions', () => {
  test('every workflow defaults to reading the contents, nothing more', () => {
    for (const [file, workflow] of all())
      expect([file, workflow.permissions]).toEqual([file, { contents: 'read' }]);
  });

  test('a job may add pull-requests: write only to post the scorecard comment, contents: write only to open a watch PR', () => {
    for (const [file, id, job] of jobs()) {
      const permissions = job.permissions ?? { contents: 'read' };
      expect([file, id, typeof permissions]).toEqual([file, id, 'object']);
      const granted = Object.entries(permissions as Record<string, string>);
      const runs = (command: string) => job.steps.some((step) => describeStep(step).startsWith(command));
      const expected = runs('npx qualify watch')
        ? [
            ['contents', 'write'],
            ['pull-requests', 'write'],
          ]
        : runs('npx qualify comment')
          ? [
              ['contents', 'read'],
              ['pull-requests', 'write'],
            ]
          : [['contents', 'read']];
      expect([file, id, granted]).toEqual([file, id, expected]);
    }
  });
});

describe('secrets and tokens', () => {
  test('secrets reach a step only through its own env, never a job, a script or an action input', () => {
    for (const [file, workflow] of all()) {
      expect([file, SECRET.test(JSON.stringify(workflow.env ?? {}))]).toEqual([file, false]);
      for (const [id, job] of Object.entries(workflow.jobs)) {
        expect([file, id, SECRET.test(JSON.stringify(job.env ?? {}))]).toEqual([file, id, false]);
        for (const step of job.steps) {
          const where = [file, id, describeStep(step)];
          expect([
            ...where,
            SECRET.test(step.run ?? ''),
            SECRET.test(JSON.stringify(step.with ?? {})),
          ]).toEqual([...where, false, false]);
        }
      }
    }
  });

  test('in a job that can write, only the eval step holds provider keys and only the comment step the token (watch: its one step both)', () => {
    for (const [file, id, job] of jobs()) {
      const permissions = (job.permissions ?? {}) as Record<string, string>;
      if (!Object.values(permissions).includes('write')) continue;
      const holders = job.steps
        .filter(
          (step) =>
            SECRET.test(JSON.stringify(step.env ?? {})) ||
            /github\.token/.test(JSON.stringify(step.env ?? {})),
        )
        .map((step) => [describeStep(step), Object.keys(step.env!).sort()]);
      const expected =
        id === 'eval'
          ? [
              ['npm run eval', ['ANTHROPIC_API_KEY', 'OPENAI_API_KEY', 'QUALIFY_BASELINE_REF']],
              ['npx qualify comment --scorecard eval/out/scorecard.md', ['GITHUB_TOKEN']],
            ]
          : id === 'watch'
            ? [['npx qualify watch', ['ANTHROPIC_API_KEY', 'GITHUB_TOKEN']]]
            : [['npx qualify comment --scorecard eval/out/scorecard.md', ['GITHUB_TOKEN']]];
      expect([file, id, holders]).toEqual([file, id, expected]);
    }
  });

  test('every action comes from GitHub’s own actions organisation, pinned to a major version', () => {
    for (const [file, id, job] of jobs()) {
      for (const step of job.steps.filter((s) => s.uses)) {
        expect([file, id, step.uses]).toEqual([file, id, expect.stringMatching(/^actions\/[a-z-]+@v\d+$/)]);
      }
    }
  });
});

describe('timeouts and concurrency', () => {
  test('every job has a timeout of at most two hours', () => {
    for (const [file, id, job] of jobs()) {
      const minutes = job['timeout-minutes'];
      expect([file, id, typeof minutes === 'number' && minutes > 0 && minutes <= 120]).toEqual([
        file,
        id,
        true,
      ]);
    }
  });

  test('a new push to a pull request cancels the superseded run; the nightly and daily runs are never cut short', () => {
    expect(
      all().map(([file, w]) => [file, w.concurrency?.group, w.concurrency?.['cancel-in-progress']]),
    ).toEqual([
      ['ci.yml', 'ci-${{ github.event.pull_request.number || github.ref }}', true],
      ['eval.yml', 'eval-${{ github.event.pull_request.number || github.ref }}', true],
      ['traffic.yml', 'traffic', false],
      ['watch.yml', 'watch', false],
    ]);
  });
});
