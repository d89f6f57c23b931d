/**
 * The watch job of watch.yml, run for real: its steps in order in a scratch clone of this
 * repository (its rubric.yaml watches `claude-sonnet-*`), `npm ci` from the npm cache, the build,
 * then `npx qualify watch` against the fake provider (Anthropic lists a new Sonnet) and the fake
 * GitHub API. Without QUALIFY_WATCH_TOKEN the job's GITHUB_TOKEN opens the PR; a second run, with
 * the secret set, opens none.
 *
 * Slow by nature (a full install and build): about a minute.
 */
import { appendFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startFakeGitHub, type FakeGitHub } from '../fake-github/index.js';
import { startFakeProvider, type FakeProvider } from '../fake-provider/index.js';
import { scratch, type Scratch } from '../helpers/scratch.js';
import { readWorkflow, type Step } from '../unit/workflows/workflows.js';
import { checkoutPullRequest } from './workflow-pull-request.js';
import { machineEnv, removeNpxEntries } from './workflow-env.js';
import { runJob, type Contexts } from './workflow-runner.js';

const BRANCH = 'model/anthropic-claude-sonnet-5';

let dir: Scratch;
let github: FakeGitHub;
let provider: FakeProvider;
beforeAll(async () => {
  dir = await scratch('qualify-watch-workflow-');
  [github, provider] = await Promise.all([startFakeGitHub(), startFakeProvider()]);
});
afterAll(async () => {
  await removeNpxEntries(dir.dir);
  await Promise.all([github.close(), provider.close()]);
  await dir[Symbol.asyncDispose]();
});

function runnerEnv(workspace: string): NodeJS.ProcessEnv {
  return {
    ...machineEnv(),
    GITHUB_WORKFLOW: 'watch',
    GITHUB_JOB: 'watch',
    GITHUB_EVENT_NAME: 'schedule',
    GITHUB_REPOSITORY: 'acme/support-agent',
    GITHUB_SERVER_URL: 'https://github.example.test',
    GITHUB_API_URL: github.apiUrl,
    GITHUB_WORKSPACE: workspace,
    ANTHROPIC_BASE_URL: provider.anthropicBaseURL,
  };
}

test('a new Sonnet opens one PR with GITHUB_TOKEN; the next run, with QUALIFY_WATCH_TOKEN, opens none', async () => {
  // The workspace is main plus a blank line: the PR machinery is only a way to build a clone.
  const { workspace } = await checkoutPullRequest({
    source: process.cwd(),
    dir: dir.dir,
    branch: 'scratch',
    change: (repo) => appendFile(path.join(repo, 'CONTRIBUTING.md'), '\n'), // a branch needs a commit
  });
  const rubric = await readFile(path.join(workspace, 'rubric.yaml'), 'utf8');
  const state = await readFile(path.join(workspace, 'eval/watch-state.json'), 'utf8');
  github.repos.seed('acme', 'support-agent', { 'rubric.yaml': rubric, 'eval/watch-state.json': state });
  provider.setModels(
    [
      { id: 'claude-sonnet-4-6', createdAt: '2026-06-01T00:00:00Z' },
      { id: 'claude-opus-4-7', createdAt: '2026-09-01T00:00:00Z' },
      { id: 'claude-sonnet-5', createdAt: '2026-12-01T00:00:00Z' },
    ],
    { vendor: 'anthropic' },
  );

  const workflow = readWorkflow('watch.yml');
  const job = workflow.jobs['watch']!;
  const uses = async (step: Step): Promise<number> => {
    if (step.uses === 'actions/checkout@v4') return 0;
    if (step.uses === 'actions/setup-node@v4')
      return Number(process.versions.node.split('.')[0]) >= 20 ? 0 : 1;
    throw new Error(`the test runner does not know ${step.uses}`);
  };
  const contexts = (secrets: Record<string, string>): Contexts => ({
    github: { event_name: 'schedule' },
    secrets: { ANTHROPIC_API_KEY: 'sk-ant-ci', GITHUB_TOKEN: github.token, ...secrets },
    vars: {},
  });
  const outcomes = await runJob(job, {
    cwd: workspace,
    env: runnerEnv(workspace),
    contexts: contexts({}),
    uses,
  });
  const report = outcomes.map((o) => `$ ${o.step} -> ${o.code}\n${o.output.slice(-3000)}`).join('\n');
  expect(
    outcomes.map((o) => [o.step, o.code]),
    report,
  ).toEqual([
    ['actions/checkout@v4', 0],
    ['actions/setup-node@v4', 0],
    ['npm ci', 0],
    ['npm run build', 0],
    ['npx qualify watch', 0],
  ]);
  expect(outcomes.at(-1)!.output).toContain(
    'qualify watch: opened PR #1 for anthropic:claude-sonnet-5 (released 2026-12-01): ' +
      'https://github.example.test/acme/support-agent/pull/1',
  );
  const pulls = github.repos.pulls('acme', 'support-agent');
  expect(pulls.map((p) => [p.head.ref, p.base.ref, p.state])).toEqual([[BRANCH, 'main', 'open']]);
  expect(github.repos.file('acme', 'support-agent', BRANCH, 'rubric.yaml')).toBe(
    rubric.replace(
      '\nmodel_primary: anthropic:claude-sonnet-4-6\n',
      '\nmodel_primary: anthropic:claude-sonnet-5\n',
    ),
  );
  expect(new Set(github.requests.map((r) => r.headers['authorization']))).toEqual(
    new Set([`Bearer ${github.token}`]),
  );

  // The second day: the secret is set (the fake takes any token it was started with: use the same value).
  const watchStep = job.steps.at(-1)!;
  const again = await runJob(
    { ...job, steps: [watchStep] },
    {
      cwd: workspace,
      env: runnerEnv(workspace),
      contexts: contexts({ QUALIFY_WATCH_TOKEN: github.token, GITHUB_TOKEN: 'ghs_not_this_one' }),
      uses,
    },
  );
  expect(again.map((o) => [o.step, o.code])).toEqual([['npx qualify watch', 0]]);
  expect(again[0]!.output).toContain(
    'qualify watch: anthropic:claude-sonnet-5: already proposed: PR #1 (open)',
  );
  expect(github.repos.pulls('acme', 'support-agent')).toHaveLength(1);
}, 600_000);
