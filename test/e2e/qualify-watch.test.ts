/**
 * `qualify watch`, end to end: a scratch repository whose rubric.yaml watches Anthropic and
 * OpenAI globs, the official SDKs listing models from the fake provider, the GitHub REST API
 * faked on loopback. A new release opens exactly one PR (branch, one-line diff, commit message);
 * the next runs open none, also after the PR is closed and its branch deleted; and the branch it
 * opened passes `qualify check-pr`.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startFakeGitHub, type FakeGitHub } from '../fake-github/index.js';
import { startFakeProvider, type FakeProvider } from '../fake-provider/index.js';
import { git, scratch, type Scratch } from '../helpers/scratch.js';
import { qualify } from '../unit/cli/io.js';

const RUBRIC = [
  '# rubric.yaml of the agent',
  'model_primary: anthropic:claude-opus-4-7  # qualified 2026-09-03',
  'model_fallback: openai:gpt-5',
  'judge: openai:gpt-5-mini',
  'thresholds: {}',
  'watch:',
  '  anthropic: "claude-opus-*"',
  '  openai: ["gpt-5*", "o9-*"]',
  '',
].join('\n');

const ANTHROPIC = [
  { id: 'claude-opus-4-5', createdAt: '2026-03-01T00:00:00Z' },
  { id: 'claude-sonnet-5', createdAt: '2026-11-30T00:00:00Z' },
  { id: 'claude-opus-4-7', createdAt: '2026-09-01T00:00:00Z' },
  { id: 'claude-haiku-4-5', createdAt: '2026-05-01T00:00:00Z' },
];
const OPENAI = [{ id: 'gpt-5', createdAt: '2026-08-07T00:00:00Z' }, { id: 'gpt-4.1' }];
const RELEASE = { id: 'claude-opus-5', createdAt: '2026-12-01T16:00:00Z' };
const BRANCH = 'model/anthropic-claude-opus-5';

let dir: Scratch;
let github: FakeGitHub;
let provider: FakeProvider;
let env: Record<string, string>;
beforeAll(async () => {
  dir = await scratch('qualify-watch-');
  [github, provider] = await Promise.all([startFakeGitHub(), startFakeProvider()]);
  env = {
    ANTHROPIC_API_KEY: 'sk-ant-test',
    ANTHROPIC_BASE_URL: provider.anthropicBaseURL,
    OPENAI_API_KEY: 'sk-test',
    OPENAI_BASE_URL: provider.openaiBaseURL,
    GITHUB_TOKEN: github.token,
    GITHUB_REPOSITORY: 'acme/agent',
    GITHUB_API_URL: github.apiUrl,
  };
});
afterAll(async () => {
  await Promise.all([github.close(), provider.close()]);
  await dir[Symbol.asyncDispose]();
});

const watch = (args: string[] = []) =>
  qualify(dir.dir, ['watch', ...args], {
    env,
    fetch: globalThis.fetch,
    now: () => new Date('2026-12-03T06:00:00Z'),
  });
const writes = () => github.requests.filter((r) => r.method !== 'GET');

test('a new release opens exactly one PR, once', { timeout: 60_000 }, async () => {
  await dir.write('rubric.yaml', RUBRIC);
  github.repos.seed('acme', 'agent', { 'rubric.yaml': RUBRIC, 'agents/agent.ts': 'export {}\n' });
  provider.setModels(ANTHROPIC, { vendor: 'anthropic', pageSize: 2 });
  provider.setModels(OPENAI, { vendor: 'openai' });

  // Nothing new yet: what matches is the primary, the fallback, or older than the primary.
  expect(await watch()).toEqual({
    code: 0,
    out:
      'qualify watch: openai: 2 listed, 1 matching gpt-5*, o9-*, 0 new\n' +
      'qualify watch: anthropic: 4 listed, 2 matching claude-opus-*, 0 new\n' +
      'qualify watch: nothing new\n',
    err: '',
  });
  expect(writes()).toEqual([]);

  // The release: Anthropic lists it (on a later page).
  provider.setModels([...ANTHROPIC, RELEASE], { vendor: 'anthropic', pageSize: 2 });
  const dry = await watch(['--dry-run']);
  expect(dry.out).toContain(
    `qualify watch: would open a PR for anthropic:claude-opus-5 (released 2026-12-01) on branch ${BRANCH}\n`,
  );
  expect(writes()).toEqual([]);

  const opened = await watch();
  expect(opened).toEqual({
    code: 0,
    out:
      'qualify watch: openai: 2 listed, 1 matching gpt-5*, o9-*, 0 new\n' +
      'qualify watch: anthropic: 5 listed, 3 matching claude-opus-*, 1 new: anthropic:claude-opus-5\n' +
      'qualify watch: opened PR #1 for anthropic:claude-opus-5 (released 2026-12-01): https://github.example.test/acme/agent/pull/1\n',
    err: '',
  });
  const pulls = github.repos.pulls('acme', 'agent');
  expect(pulls.map((p) => [p.number, p.state, p.title, p.head.ref, p.base.ref])).toEqual([
    [1, 'open', 'Qualify anthropic:claude-opus-5', BRANCH, 'main'],
  ]);

  // The diff: one line of rubric.yaml, and the state file; nothing else.
  const after = github.repos.file('acme', 'agent', BRANCH, 'rubric.yaml')!;
  expect(after).toBe(RUBRIC.replace('anthropic:claude-opus-4-7  #', 'anthropic:claude-opus-5  #'));
  const before = RUBRIC.split('\n');
  expect(after.split('\n').flatMap((line, i) => (line === before[i] ? [] : [[before[i], line]]))).toEqual([
    [
      'model_primary: anthropic:claude-opus-4-7  # qualified 2026-09-03',
      'model_primary: anthropic:claude-opus-5  # qualified 2026-09-03',
    ],
  ]);
  expect(github.repos.file('acme', 'agent', BRANCH, 'agents/agent.ts')).toBe('export {}\n');
  expect(JSON.parse(github.repos.file('acme', 'agent', BRANCH, 'eval/watch-state.json')!)).toEqual({
    version: 1,
    seen: { 'anthropic:claude-opus-5': { date: '2026-12-03', branch: BRANCH } },
  });
  const log = github.repos.log('acme', 'agent', BRANCH).map((c) => c.message);
  expect(log).toEqual([
    'qualify watch: record anthropic:claude-opus-5 in eval/watch-state.json\n',
    [
      'Qualify anthropic:claude-opus-5 (released 2026-12-01)',
      '',
      'model_primary: anthropic:claude-opus-4-7 -> anthropic:claude-opus-5',
      'Release date: 2026-12-01 (from the anthropic models list)',
      'Changelog: https://docs.anthropic.com/en/release-notes/api',
      'Matched watch pattern: claude-opus-*',
      '',
      'Opened by `qualify watch`.',
      '',
    ].join('\n'),
    'Initial commit',
  ]);
  expect(github.repos.file('acme', 'agent', 'main', 'rubric.yaml')).toBe(RUBRIC);

  // The second run (the state file on main not updated yet: the PR is open) opens nothing.
  const count = writes().length;
  const again = await watch();
  expect(again.code).toBe(0);
  expect(again.out).toContain(
    'qualify watch: anthropic:claude-opus-5: already proposed: PR #1 (open) https://github.example.test/acme/agent/pull/1\n',
  );
  expect(writes().length).toBe(count);

  // Declined: the PR closed and its branch deleted. Still nothing: a closed PR is a decision.
  github.repos.closePull('acme', 'agent', 1, true);
  expect(github.repos.branches('acme', 'agent')).toEqual(['main']);
  expect((await watch()).out).toContain('already proposed: PR #1 (closed)');
  expect(writes().length).toBe(count);
  expect(github.repos.pulls('acme', 'agent')).toHaveLength(1);
});

test('the branch it opened passes qualify check-pr', { timeout: 60_000 }, async () => {
  await using repo = await scratch('qualify-watch-git-');
  const files = { 'rubric.yaml': RUBRIC, 'agents/agent.ts': 'export {}\n' };
  github.reset();
  github.repos.seed('acme', 'agent', files);
  provider.setModels([...ANTHROPIC, RELEASE], { vendor: 'anthropic' });
  provider.setModels(OPENAI, { vendor: 'openai' });
  expect((await watch()).code).toBe(0);

  for (const [file, text] of Object.entries(files)) await repo.write(file, text);
  git(repo.dir, 'init', '-q', '-b', 'main');
  git(repo.dir, 'add', '-A');
  git(repo.dir, 'commit', '-qm', 'main');
  git(repo.dir, 'switch', '-qc', BRANCH);
  // The branch's commits replayed as GitHub made them: their files and their messages (check-pr
  // reads the message of the commit that changes model_primary for the release date and link).
  const opened = github.repos.log('acme', 'agent', BRANCH).slice(0, -1).reverse();
  expect(opened).toHaveLength(2);
  for (const commit of opened) {
    for (const [file, text] of commit.files) await repo.write(file, text);
    git(repo.dir, 'add', '-A');
    git(repo.dir, 'commit', '-qm', commit.message);
  }
  const checked = await qualify(repo.dir, ['check-pr', '--base', 'main']);
  expect(checked.err).toBe('');
  expect(checked.code).toBe(0);
  expect(checked.out).toContain('qualification PR');
});
