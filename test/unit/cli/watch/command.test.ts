/**
 * `qualify watch` through `runCli`, the SDKs against the fake provider and the REST calls
 * against the fake GitHub: what it says and exits with when there is nothing to do, a provider
 * cannot be listed, the state file knows the model, several are new, or GitHub refuses.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { startFakeGitHub, type FakeGitHub } from '../../../fake-github/index.js';
import { startFakeProvider, type FakeProvider } from '../../../fake-provider/index.js';
import { scratch } from '../../../helpers/scratch.js';
import { qualify } from '../io.js';

const rubric = (watch: string) =>
  `model_primary: anthropic:claude-opus-4-7\njudge: openai:gpt-5\nthresholds: {}\n${watch}`;

let github: FakeGitHub;
let provider: FakeProvider;
beforeAll(async () => {
  [github, provider] = await Promise.all([startFakeGitHub(), startFakeProvider()]);
});
afterEach(() => {
  github.reset();
  provider.reset();
});
afterAll(async () => {
  await Promise.all([github.close(), provider.close()]);
});

function env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    ANTHROPIC_API_KEY: 'sk-ant-test',
    ANTHROPIC_BASE_URL: provider.anthropicBaseURL,
    OPENAI_API_KEY: 'sk-test',
    OPENAI_BASE_URL: provider.openaiBaseURL,
    GITHUB_TOKEN: github.token,
    GITHUB_REPOSITORY: 'acme/agent',
    GITHUB_API_URL: github.apiUrl,
    ...extra,
  };
}

async function run(files: Record<string, string>, args: string[] = [], extraEnv?: Record<string, string>) {
  await using dir = await scratch('qualify-watch-unit-');
  for (const [file, text] of Object.entries(files)) await dir.write(file, text);
  return qualify(dir.dir, ['watch', ...args], {
    env: env(extraEnv),
    fetch: globalThis.fetch,
    now: () => new Date('2026-12-03T06:00:00Z'),
  });
}

describe('qualify watch', () => {
  test('no watch: in rubric.yaml: says so, calls nobody, exit 0', async () => {
    expect(await run({ 'rubric.yaml': rubric('') })).toEqual({
      code: 0,
      out: 'qualify watch: nothing to watch: rubric.yaml has no watch: section (docs/cli.md "qualify watch")\n',
      err: '',
    });
    expect(provider.modelListRequests).toEqual([]);
    expect(github.requests).toEqual([]);
  });

  test('a provider that cannot list says one line; the others are still watched; exit 1', async () => {
    provider.setModels([{ id: 'claude-opus-4-7' }]);
    const result = await run({
      'rubric.yaml': rubric('watch:\n  bedrock: "anthropic.*"\n  anthropic: "claude-*"\n'),
    });
    const lines = result.out.split('\n');
    expect([result.code, result.err, lines.length]).toEqual([1, '', 3]);
    expect(lines[0]).toBe('qualify watch: anthropic: 1 listed, 1 matching claude-*, 0 new');
    // No AWS credentials in the environment: the one line says which to set.
    expect(lines[1]).toMatch(/^qualify watch: bedrock: cannot list models: .*set AWS_ACCESS_KEY_ID/);
  });

  test('azure cannot be listed: its models are deployments the user names', async () => {
    const result = await run({ 'rubric.yaml': rubric('watch: { azure: "gpt-*" }\n') });
    expect(result).toEqual({
      code: 1,
      out: 'qualify watch: azure: cannot list models (an Azure model is a deployment you name: watch openai instead)\n',
      err: '',
    });
    expect(provider.modelListRequests).toEqual([]);
  });

  test('no credentials: the provider cannot be listed, named with the variable; exit 1', async () => {
    const result = await run({ 'rubric.yaml': rubric('watch: { anthropic: "claude-*" }\n') }, [], {
      ANTHROPIC_API_KEY: '',
    });
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/^qualify watch: anthropic: cannot list models: .*ANTHROPIC_API_KEY/);
    expect(provider.modelListRequests).toEqual([]);
  });

  test('a model in eval/watch-state.json is not new: no GitHub call at all', async () => {
    provider.setModels([{ id: 'claude-opus-5', createdAt: '2026-12-01T00:00:00Z' }]);
    const state = JSON.stringify({
      version: 1,
      seen: { 'anthropic:claude-opus-5': { date: '2026-12-01', note: 'declined' } },
    });
    const result = await run({
      'rubric.yaml': rubric('watch: { anthropic: "claude-opus-*" }\n'),
      'eval/watch-state.json': state,
    });
    expect(result.out).toBe(
      'qualify watch: anthropic: 1 listed, 1 matching claude-opus-*, 0 new\nqualify watch: nothing new\n',
    );
    expect(github.requests).toEqual([]);
  });

  test('several new: the newest gets the PR, the rest wait (--max-prs); --json', async () => {
    github.repos.seed('acme', 'agent', { 'rubric.yaml': rubric('') });
    provider.setModels([
      { id: 'claude-opus-5', createdAt: '2026-12-01T00:00:00Z' },
      { id: 'claude-opus-5-1', createdAt: '2026-12-02T00:00:00Z' },
    ]);
    const result = await run({ 'rubric.yaml': rubric('watch: { anthropic: "claude-opus-*" }\n') }, [
      '--json',
    ]);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.out) as Record<string, unknown>;
    expect(json['opened']).toEqual([
      {
        model: 'anthropic:claude-opus-5-1',
        branch: 'model/anthropic-claude-opus-5-1',
        number: 1,
        url: 'https://github.example.test/acme/agent/pull/1',
        commit: expect.stringMatching(/^[0-9a-f]{40}$/),
      },
    ]);
    expect(json['deferred']).toEqual(['anthropic:claude-opus-5']);
    expect(github.repos.branches('acme', 'agent')).toEqual(['main', 'model/anthropic-claude-opus-5-1']);
  });

  test('Bedrock is listed through ListFoundationModels (AWS credentials from the environment)', async () => {
    provider.on(
      { api: 'bedrock.models' },
      { models: ['anthropic.claude-opus-4-7-v1:0', 'anthropic.claude-opus-5-v1:0'] },
    );
    const result = await run(
      { 'rubric.yaml': rubric('watch: { bedrock: "anthropic.claude-opus-5*" }\n') },
      ['--dry-run'],
      {
        GITHUB_TOKEN: '',
        AWS_ACCESS_KEY_ID: 'AKIDWATCH',
        AWS_SECRET_ACCESS_KEY: 'watch-secret',
        AWS_REGION: 'us-east-1',
        AWS_ENDPOINT_URL_BEDROCK: provider.bedrockEndpoint,
      },
    );
    expect(result.out).toContain(
      'qualify watch: bedrock: 2 listed, 1 matching anthropic.claude-opus-5*, 1 new: bedrock:anthropic.claude-opus-5-v1:0\n',
    );
    expect(result.out).toContain('would open a PR for bedrock:anthropic.claude-opus-5-v1:0');
    const listed = provider.requests.filter((r) => r.api === 'bedrock.models');
    expect(listed).toHaveLength(1);
    expect(listed[0]!.headers['authorization']).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDWATCH\//);
  });

  test('--dry-run without a token: what would be opened, nothing asked of GitHub', async () => {
    provider.setModels([{ id: 'claude-opus-5' }]);
    const result = await run(
      { 'rubric.yaml': rubric('watch: { anthropic: "claude-opus-*" }\n') },
      ['--dry-run'],
      {
        GITHUB_TOKEN: '',
      },
    );
    expect(result.out).toBe(
      'qualify watch: anthropic: 1 listed, 1 matching claude-opus-*, 1 new: anthropic:claude-opus-5\n' +
        'qualify watch: not checked against GitHub: GITHUB_TOKEN is not set\n' +
        'qualify watch: would open a PR for anthropic:claude-opus-5 (release date unknown, 2026-12-03 (today) used) ' +
        'on branch model/anthropic-claude-opus-5\n',
    );
    expect(github.requests).toEqual([]);
  });

  test('a new model without GITHUB_TOKEN: a usage error naming the variable, exit 2', async () => {
    provider.setModels([{ id: 'claude-opus-5' }]);
    const result = await run({ 'rubric.yaml': rubric('watch: { anthropic: "claude-opus-*" }\n') }, [], {
      GITHUB_TOKEN: '',
    });
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/^qualify watch: GITHUB_TOKEN is not set; /);
  });

  test('GitHub refuses the branch: what was listed, then one line with the status; exit 1, no PR', async () => {
    github.repos.seed('acme', 'agent', { 'rubric.yaml': rubric('') });
    github.setReadOnly(true);
    provider.setModels([{ id: 'claude-opus-5' }]);
    const result = await run({ 'rubric.yaml': rubric('watch: { anthropic: "claude-opus-*" }\n') });
    expect(result).toEqual({
      code: 1,
      out: 'qualify watch: anthropic: 1 listed, 1 matching claude-opus-*, 1 new: anthropic:claude-opus-5\n',
      err: 'qualify watch: GitHub answered 403 to POST /repos/acme/agent/git/refs: Resource not accessible by integration\n',
    });
    expect(github.repos.pulls('acme', 'agent')).toEqual([]);
  });

  test('a bad --max-prs is a usage error', async () => {
    const result = await run({ 'rubric.yaml': rubric('') }, ['--max-prs', '0']);
    expect(result).toEqual({
      code: 2,
      out: '',
      err: 'qualify watch: --max-prs takes a whole number of at least 1; found 0\n',
    });
  });
});
