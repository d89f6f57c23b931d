import { readFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { repoOfRemote, requiredChecks } from '../../../src/cli/commands/init/protect.js';
import { startFakeGitHub, type FakeGitHub } from '../../fake-github/index.js';
import { git, scratch, type Scratch } from '../../helpers/scratch.js';
import { qualify } from './io.js';

let gh: FakeGitHub;
beforeAll(async () => {
  gh = await startFakeGitHub();
});
afterEach(() => gh.reset());
afterAll(() => gh.close());

/** A git repository whose origin is `acme/support-agent` on GitHub (ssh form). */
async function repo(remote = 'git@github.com:acme/support-agent.git'): Promise<Scratch> {
  const dir = await scratch('qualify-init-protect-');
  git(dir.dir, 'init', '-q', '-b', 'main');
  if (remote) git(dir.dir, 'remote', 'add', 'origin', remote);
  return dir;
}

const env = (extra: Record<string, string> = {}) => ({
  env: { GITHUB_API_URL: gh.apiUrl, GITHUB_TOKEN: gh.token, ...extra },
  fetch: globalThis.fetch,
});

const RULESET_BODY = (contexts: string[]) => ({
  name: 'vitest-qualify',
  target: 'branch',
  enforcement: 'active',
  conditions: { ref_name: { include: ['~DEFAULT_BRANCH'], exclude: [] } },
  rules: [
    {
      type: 'required_status_checks',
      parameters: {
        required_status_checks: contexts.map((context) => ({ context })),
        strict_required_status_checks_policy: false,
      },
    },
  ],
});

const calls = () => gh.requests.map((r) => `${r.method} ${r.path}`);
const LIST = 'GET /repos/acme/support-agent/rulesets?per_page=100&includes_parents=false';

describe('qualify init --protect', () => {
  test('creates the ruleset vitest-qualify requiring eval on the default branch', async () => {
    await using dir = await repo();
    const { code, out, err } = await qualify(dir.dir, ['init', '--protect'], env());
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out.split('\n').at(-3)).toBe(
      'created the ruleset vitest-qualify on acme/support-agent: eval required on the default branch',
    );
    expect(calls()).toEqual([LIST, 'POST /repos/acme/support-agent/rulesets']);
    expect(JSON.parse(gh.requests[1]!.body)).toEqual(RULESET_BODY(['eval']));
    expect(gh.requests[1]!.headers['authorization']).toBe(`Bearer ${gh.token}`);
    expect(gh.rulesets.list('acme', 'support-agent').map((r) => [r.name, r.rules])).toEqual([
      ['vitest-qualify', RULESET_BODY(['eval']).rules],
    ]);
  });

  test('a second run updates the same ruleset with PUT; other rulesets are left alone', async () => {
    await using dir = await repo();
    const theirs = gh.rulesets.seed('acme', 'support-agent', {
      name: 'no force pushes',
      rules: [{ type: 'non_fast_forward' }],
    });
    expect((await qualify(dir.dir, ['init', '--protect'], env())).code).toBe(0);
    const [, ours] = gh.rulesets.list('acme', 'support-agent');
    gh.requests.length = 0;
    const { code, out } = await qualify(dir.dir, ['init', '--protect', '--json'], env());
    expect(code).toBe(0);
    expect(JSON.parse(out).ruleset).toEqual({
      action: 'updated',
      id: ours!.id,
      repo: 'acme/support-agent',
      checks: ['eval'],
    });
    expect(calls()).toEqual([LIST, `PUT /repos/acme/support-agent/rulesets/${ours!.id}`]);
    expect(gh.rulesets.list('acme', 'support-agent').map((r) => r.name)).toEqual([
      'no force pushes',
      'vitest-qualify',
    ]);
    expect(gh.rulesets.list('acme', 'support-agent')[0]).toEqual(theirs);
  });

  test('finds its ruleset on a later page of the list', async () => {
    await using dir = await repo();
    for (let i = 0; i < 100; i++) gh.rulesets.seed('acme', 'support-agent', { name: `rule ${i}` });
    const ours = gh.rulesets.seed('acme', 'support-agent', { name: 'vitest-qualify' });
    expect((await qualify(dir.dir, ['init', '--protect'], env())).code).toBe(0);
    expect(calls()).toEqual([
      LIST,
      `GET /repos/acme/support-agent/rulesets?per_page=100&includes_parents=false&page=2`,
      `PUT /repos/acme/support-agent/rulesets/${ours.id}`,
    ]);
    expect(gh.rulesets.list('acme', 'support-agent')).toHaveLength(101);
  });

  test('a sharded workflow: the merge job is required too', async () => {
    await using dir = await repo();
    await dir.write('.github/workflows/eval.yml', await readFile('.github/workflows/eval.yml', 'utf8'));
    const { code, out } = await qualify(dir.dir, ['init', '--protect'], env());
    expect(code).toBe(0);
    expect(out).toContain('on acme/support-agent: eval and merge required on the default branch\n');
    expect(JSON.parse(gh.requests.at(-1)!.body)).toEqual(RULESET_BODY(['eval', 'merge']));
  });

  test('--repo names the repository; GH_TOKEN is the token when GITHUB_TOKEN is unset', async () => {
    await using dir = await repo('');
    const { code } = await qualify(dir.dir, ['init', '--protect', '--repo', 'acme/other'], {
      env: { GITHUB_API_URL: gh.apiUrl, GH_TOKEN: gh.token },
      fetch: globalThis.fetch,
    });
    expect(code).toBe(0);
    expect(calls()).toEqual([
      'GET /repos/acme/other/rulesets?per_page=100&includes_parents=false',
      'POST /repos/acme/other/rulesets',
    ]);
  });

  test('a token without admin rights (403) or a repository it cannot see (404): one line with the fix', async () => {
    await using dir = await repo();
    gh.rulesets.admin = false;
    const denied = await qualify(dir.dir, ['init', '--protect'], env());
    expect(denied.code).toBe(2);
    expect(denied.err).toBe(
      'qualify init: GitHub answered 403 to POST /repos/acme/support-agent/rulesets: Resource not accessible by ' +
        'integration: writing the ruleset vitest-qualify needs admin rights on acme/support-agent (and ' +
        'acme/support-agent must exist): use the token of a repository admin (fine-grained: Administration read ' +
        'and write), or ask an admin to run the gh api line in the README\n',
    );
    expect(denied.out).toContain('wrote rubric.yaml\n'); // the files were written before GitHub said no
    expect(gh.rulesets.list('acme', 'support-agent')).toEqual([]);
    gh.reset();
    gh.failNext({ method: 'GET', status: 404, message: 'Not Found' });
    const hidden = await qualify(dir.dir, ['init', '--protect'], env());
    expect(hidden.code).toBe(2);
    expect(hidden.err).toMatch(
      /^qualify init: GitHub answered 404 to GET \/repos\/acme\/support-agent\/rulesets: Not Found: writing the ruleset vitest-qualify needs admin rights on acme\/support-agent \(and acme\/support-agent must exist\): [^\n]+\n$/,
    );
  });

  test('usage errors: no token, no remote, a remote not on GitHub, --repo without --protect, a bad --repo', async () => {
    await using dir = await repo('');
    const run = async (argv: string[], extra: Record<string, string> = {}) =>
      (
        await qualify(dir.dir, argv, {
          env: { GITHUB_API_URL: gh.apiUrl, ...extra },
          fetch: globalThis.fetch,
        })
      ).err;
    expect(await run(['init', '--protect'])).toBe(
      'qualify init: --protect: set GITHUB_TOKEN or GH_TOKEN to a token of a repository admin (GH_TOKEN=$(gh auth token) with gh)\n',
    );
    expect(await run(['init', '--protect'], { GITHUB_TOKEN: gh.token })).toBe(
      'qualify init: --protect: no git remote origin here to name the repository: pass --repo owner/repo\n',
    );
    git(dir.dir, 'remote', 'add', 'origin', '/srv/git/agent.git');
    expect(await run(['init', '--protect'], { GITHUB_TOKEN: gh.token })).toBe(
      'qualify init: --protect: the remote origin /srv/git/agent.git is not a GitHub repository URL: pass --repo owner/repo\n',
    );
    expect(await run(['init', '--repo', 'acme/agent'])).toBe(
      'qualify init: --repo names the repository --protect writes to: add --protect, or drop --repo\n',
    );
    expect(
      await run(['init', '--protect', '--repo', 'https://github.com/acme/agent'], { GITHUB_TOKEN: gh.token }),
    ).toBe(
      'qualify init: --repo "https://github.com/acme/agent": give it as owner/repo, e.g. --repo acme/support-agent\n',
    );
    expect(gh.requests).toEqual([]);
  });

  test('a workflow with no eval job is refused before GitHub is called', async () => {
    await using dir = await repo();
    await dir.write(
      '.github/workflows/eval.yml',
      'name: eval\non: pull_request\njobs:\n  qualify:\n    runs-on: ubuntu-latest\n',
    );
    const { code, err } = await qualify(dir.dir, ['init', '--protect'], env());
    expect(code).toBe(2);
    expect(err).toBe(
      'qualify init: .github/workflows/eval.yml has no job whose check is named eval (its jobs: qualify): name the ' +
        'qualification job eval (jobs: eval:), or a required check would never report and block every PR\n',
    );
    expect(gh.requests).toEqual([]);
  });
});

describe('the pieces of --protect', () => {
  test.each([
    ['git@github.com:acme/agent.git', 'acme/agent'],
    ['https://github.com/acme/agent', 'acme/agent'],
    ['https://github.com/acme/agent.git/', 'acme/agent'],
    ['ssh://git@github.com/acme/my.agent.git', 'acme/my.agent'],
    ['https://x-access-token:abc@ghe.example.com/acme/agent.git', 'acme/agent'],
    ['/srv/git/agent.git', undefined],
    ['https://github.com/acme', undefined],
  ])('repoOfRemote(%j) is %j', (url, expected) => {
    expect(repoOfRemote(url)).toBe(expected);
  });

  test('requiredChecks: eval, plus the job that merges the shards, by check name', () => {
    expect(
      requiredChecks({
        jobs: { eval: {}, plan: {}, merge: { steps: [{ run: 'npx vitest run --merge-reports' }] } },
      }),
    ).toEqual({ checks: ['eval', 'merge'], jobs: ['eval', 'plan', 'merge'] });
    expect(
      requiredChecks({
        jobs: {
          qualify: { name: 'eval' },
          combine: { name: 'Scorecard', steps: [{ run: 'x --merge-reports' }] },
        },
      }).checks,
    ).toEqual(['eval', 'Scorecard']);
    expect(requiredChecks('not a workflow')).toEqual({ checks: [], jobs: [] });
  });
});

test('the gh api line in the README writes the ruleset --protect writes', async () => {
  const readme = await readFile('README.md', 'utf8');
  const json = /gh api --method POST repos\/OWNER\/REPO\/rulesets --input - <<'EOF'\n(.*)\nEOF/.exec(
    readme,
  )?.[1];
  expect(JSON.parse(json ?? 'null')).toEqual(RULESET_BODY(['eval', 'merge']));
});
