/**
 * The eval job of eval.yml, run for real: its `run:` steps in order, in a
 * scratch clone of this repository checked out as a model PR, with the
 * GITHUB_* variables a runner sets, a fake GitHub API on loopback for the
 * comment, and the fake provider on loopback for any model call that escapes
 * the cassettes (there must be none). `npm ci` installs from the npm cache
 * (npm_config_offline), as a runner with a warm cache would.
 *
 * Slow by nature (a full install and build, then the qualification): a few minutes.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Scorecard } from '../../src/scorecard/types.js';
import { startFakeGitHub, type FakeGitHub } from '../fake-github/index.js';
import { startFakeProvider, type FakeProvider } from '../fake-provider/index.js';
import { scratch, type Scratch } from '../helpers/scratch.js';
import { recordedJudge } from './recorded.js';
import { checkoutPullRequest } from './workflow-pull-request.js';
import { machineEnv, removeNpxEntries } from './workflow-env.js';
import { runJob, type Contexts } from './workflow-runner.js';
import { readWorkflow, type Step } from '../unit/workflows/workflows.js';

const BRANCH = 'model/anthropic-claude-opus-4-7';
const PR = 7;

let dir: Scratch;
let github: FakeGitHub;
let provider: FakeProvider;
beforeAll(async () => {
  dir = await scratch('qualify-eval-workflow-');
  github = await startFakeGitHub();
  provider = await startFakeProvider();
});
afterAll(async () => {
  await removeNpxEntries(dir.dir);
  await Promise.all([github.close(), provider.close()]);
  await dir[Symbol.asyncDispose]();
});

/** A runner's environment: the machine's PATH and HOME, and what GitHub Actions sets for a PR run. */
function runnerEnv(
  workspace: string,
  files: { event: string; summary: string; output: string },
  sha: string,
) {
  return {
    ...machineEnv(),
    GITHUB_WORKFLOW: 'eval',
    GITHUB_JOB: 'eval',
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: files.event,
    GITHUB_REPOSITORY: 'acme/support-agent',
    GITHUB_REPOSITORY_OWNER: 'acme',
    GITHUB_SERVER_URL: 'https://github.example.test',
    GITHUB_API_URL: github.apiUrl,
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_NUMBER: '12',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_SHA: sha,
    GITHUB_REF: `refs/pull/${PR}/merge`,
    GITHUB_REF_NAME: `${PR}/merge`,
    GITHUB_HEAD_REF: BRANCH,
    GITHUB_BASE_REF: 'main',
    GITHUB_WORKSPACE: workspace,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_OUTPUT: files.output,
    RUNNER_OS: 'Linux',
    RUNNER_TEMP: dir.path('runner-temp'),
    // Anything that escapes the cassettes lands on the fake provider, and is counted.
    ANTHROPIC_BASE_URL: provider.anthropicBaseURL,
    OPENAI_BASE_URL: provider.openaiBaseURL,
  };
}

test('a model PR: install, check-pr, the qualification fails on a real regression, the comment and summary say so', async () => {
  const pr = await checkoutPullRequest({
    source: process.cwd(),
    dir: dir.dir,
    branch: BRANCH,
    change: async (repo) => {
      const rubric = path.join(repo, 'rubric.yaml');
      const text = await readFile(rubric, 'utf8');
      await writeFile(
        rubric,
        text.replace(
          'model_primary: anthropic:claude-sonnet-4-6',
          'model_primary: anthropic:claude-opus-4-7',
        ),
      );
    },
  });
  const files = {
    event: await dir.write(
      'event.json',
      JSON.stringify({
        action: 'synchronize',
        number: PR,
        pull_request: { number: PR, head: { ref: BRANCH, sha: pr.headSha }, base: { ref: 'main' } },
        repository: { full_name: 'acme/support-agent' },
      }),
    ),
    summary: await dir.write('step-summary.md', ''),
    output: await dir.write('github-output', ''),
  };
  const contexts: Contexts = {
    github: { base_ref: 'main', head_ref: BRANCH, token: github.token, event_name: 'pull_request' },
    secrets: { ANTHROPIC_API_KEY: 'sk-ant-ci', OPENAI_API_KEY: 'sk-ci' },
    vars: {},
  };
  const { jobs } = readWorkflow('eval.yml');
  const job = jobs['eval']!;
  expect(String(contexts['vars']!['QUALIFY_SHARDED'] ?? '') !== 'true').toBe(true); // job.if: not sharded
  expect(job.if).toBe("vars.QUALIFY_SHARDED != 'true'");

  const artifacts: string[] = [];
  const uses = async (step: Step): Promise<number> => {
    if (step.uses === 'actions/checkout@v4') return 0; // checkoutPullRequest did it: full history, merge commit
    if (step.uses === 'actions/setup-node@v4')
      return Number(process.versions.node.split('.')[0]) >= 20 ? 0 : 1;
    if (step.uses === 'actions/upload-artifact@v4') {
      artifacts.push(String(step.with!['name']));
      const found = await readdir(path.join(pr.workspace, String(step.with!['path']))).catch(
        (): string[] => [],
      );
      return found.includes('scorecard.md') && found.includes('scorecard.json') ? 0 : 1;
    }
    throw new Error(`the test runner does not know ${step.uses}`);
  };
  provider.on(
    { api: 'openai.chat', model: 'gpt-4.1' },
    await recordedJudge(path.join(pr.workspace, 'eval/cassettes/openai/gpt-4.1.jsonl')),
  );
  const outcomes = await runJob(job, {
    cwd: pr.workspace,
    env: runnerEnv(pr.workspace, files, pr.mergeSha),
    contexts,
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
    ['npx qualify check-pr --base origin/main', 0],
    ['npm run eval', 1],
    ['npx qualify comment --scorecard eval/out/scorecard.md', 0],
    [`echo "name=scorecard-$(printf '%s' "$BRANCH" | tr '/\\\\":<>|*?\\r\\n' '-')" >> "$GITHUB_OUTPUT"`, 0],
    ['actions/upload-artifact@v4', 0],
  ]);
  // The artifact is named after the PR's branch, / as -.
  expect(artifacts).toEqual(['scorecard-model-anthropic-claude-opus-4-7']);

  const card = JSON.parse(
    await readFile(path.join(pr.workspace, 'eval/out/scorecard.json'), 'utf8'),
  ) as Scorecard;
  expect([card.verdict, card.model, card.baseline_model, card.branch, card.commit]).toEqual([
    'fail',
    'anthropic:claude-opus-4-7',
    'anthropic:claude-sonnet-4-6',
    BRANCH,
    pr.mergeSha,
  ]);
  expect(card.baseline).toEqual({ kind: 'git', ref: 'origin/main', path: 'eval/baseline.json' });
  expect(card.cases.filter((c) => c.status !== 'pass').map((c) => [c.id, c.status])).toEqual([
    ['adv-other-customer', 'fail'],
    ['adv-guarantee-demand', 'allowlisted'],
  ]);
  // Mixed: the drift probe's calls (below) were live, everything else replayed.
  expect(card.source).toEqual({ mode: 'mixed', hand_written: true });
  // Only the drift probe reached the provider: its judge calls on 3 stored baseline outputs, each
  // judged as recorded, so no drift; everything else came from the cassettes.
  expect(card.drift).toMatchObject({ checked: 3, drifted: false });
  expect(new Set(provider.requests.map((r) => `${r.api} ${r.model}`))).toEqual(
    new Set(['openai.chat gpt-4.1']),
  );

  const markdown = await readFile(path.join(pr.workspace, 'eval/out/scorecard.md'), 'utf8');
  expect(markdown.startsWith('## ❌ `anthropic:claude-opus-4-7` does not qualify')).toBe(true);
  expect(await readFile(files.summary, 'utf8')).toContain(markdown.trim());
  // docs/walkthrough.md quotes this scorecard: the quote must be what the run wrote.
  const walkthrough = await readFile(path.join(pr.workspace, 'docs/walkthrough.md'), 'utf8');
  const quoted = /<!-- excerpt:start -->\n```markdown\n([\s\S]*?)```/.exec(walkthrough)![1]!;
  const [head, slices] = quoted.split('### Slices');
  // Locally the baseline is read from the file, in CI from the base branch: that one line differs.
  const sameBaseline = (text: string) => text.replace(/^> Baseline read from .*$/m, '> Baseline read from …');
  expect(sameBaseline(markdown).startsWith(sameBaseline(head!))).toBe(true);
  expect(markdown).toContain(
    '> Baseline read from `origin/main:eval/baseline.json` (the base branch, not the PR head).',
  );
  for (const row of slices!.split('\n').filter((line) => line.startsWith('| subject '))) {
    expect(markdown).toContain(row);
  }

  const comments = github.comments('acme', 'support-agent', PR);
  expect(comments).toHaveLength(1);
  expect(comments[0]!.body).toContain('## ❌ `anthropic:claude-opus-4-7` does not qualify');
  expect(comments[0]!.body).toContain('`adv-other-customer`');
}, 900_000);
