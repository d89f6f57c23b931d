import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { commentCommand } from '../../../src/cli/commands/comment.js';
import { runCli } from '../../../src/cli/main.js';
import { renderMarkdown } from '../../../src/scorecard/markdown.js';
import { startFakeGitHub, type FakeGitHub } from '../../fake-github/index.js';
import { captureIO, type CapturedIO } from '../../fake-github/io.js';
import { caseResult, scorecardOf } from '../../fake-github/scorecards.js';
import { scratch, type Scratch } from '../../helpers/scratch.js';

const MARKER = '<!-- vitest-qualify:scorecard -->';
const SHORT = '## ✅ `anthropic:claude-opus-4-7` qualifies\n\n**Verdict: PASS**\n';
const FORK_MESSAGE =
  'qualify comment: GitHub answered 403: the token cannot write PR comments (a fork PR has a read-only token); ' +
  'the scorecard is in the step summary and the artifact\n';

let gh: FakeGitHub;
beforeAll(async () => {
  gh = await startFakeGitHub();
});
afterEach(() => gh.reset());
afterAll(() => gh.close());

/** A repo folder with the scorecard and a pull_request event for PR #7 of acme/agent. */
async function setup(
  markdown: string,
  env: Record<string, string | undefined> = {},
): Promise<{ dir: Scratch; io: CapturedIO }> {
  const dir = await scratch('qualify-comment-');
  await dir.write('eval/out/scorecard.md', markdown);
  const event = await dir.write(
    'event.json',
    JSON.stringify({ action: 'synchronize', pull_request: { number: 7 } }),
  );
  const io = captureIO({
    cwd: dir.dir,
    env: {
      GITHUB_TOKEN: gh.token,
      GITHUB_REPOSITORY: 'acme/agent',
      GITHUB_EVENT_PATH: event,
      GITHUB_API_URL: gh.apiUrl,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_RUN_ID: '4242',
      ...env,
    },
  });
  return { dir, io };
}

const run = (io: CapturedIO, options: Record<string, string | boolean> = {}) =>
  commentCommand.run({ positionals: [], options: { scorecard: 'eval/out/scorecard.md', ...options } }, io);

const sentBody = (index: number): string => (JSON.parse(gh.requests[index]!.body) as { body: string }).body;

describe('qualify comment', () => {
  test('creates the comment when the PR has none: marker line, then the scorecard as written', async () => {
    const { dir, io } = await setup(SHORT);
    await using _ = dir;
    expect(await run(io, { json: true })).toBe(0);
    expect(gh.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /repos/acme/agent/issues/7/comments?per_page=100',
      'POST /repos/acme/agent/issues/7/comments',
    ]);
    const post = gh.requests[1]!;
    expect(post.headers['authorization']).toBe(`Bearer ${gh.token}`);
    expect(post.headers['accept']).toBe('application/vnd.github+json');
    expect(post.headers['x-github-api-version']).toBe('2022-11-28');
    expect(post.headers['content-type']).toBe('application/json');
    expect(post.body).toBe(JSON.stringify({ body: `${MARKER}\n${SHORT}` }));
    expect(JSON.parse(io.out())).toEqual({
      action: 'created',
      id: 1000,
      url: 'https://github.example.test/acme/agent/pull/7#issuecomment-1000',
      trimmed: false,
    });
    expect(io.err()).toBe('');
    expect(gh.comments('acme', 'agent', 7).map((c) => c.body)).toEqual([`${MARKER}\n${SHORT}`]);
  });

  test('updates the marked comment found on page 2 of 3, and never a comment that only quotes the marker', async () => {
    const bodies = Array.from({ length: 250 }, (_, i) => `comment ${i}`);
    bodies[40] = `> ${MARKER}\n> quoted by a reviewer`;
    bodies[150] = `${MARKER}\nthe previous scorecard`;
    const seeded = gh.seed('acme', 'agent', 7, bodies);
    const { dir, io } = await setup(SHORT);
    await using _ = dir;
    expect(await run(io)).toBe(0);
    const target = seeded[150]!;
    expect(gh.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /repos/acme/agent/issues/7/comments?per_page=100',
      'GET /repos/acme/agent/issues/7/comments?per_page=100&page=2',
      `PATCH /repos/acme/agent/issues/comments/${target.id}`,
    ]);
    expect(sentBody(2)).toBe(`${MARKER}\n${SHORT}`);
    const after = gh.comments('acme', 'agent', 7);
    expect(after).toHaveLength(250);
    expect(after[150]!.body).toBe(`${MARKER}\n${SHORT}`);
    expect(after[40]!.body).toBe(`> ${MARKER}\n> quoted by a reviewer`);
    expect(io.out()).toBe(
      `qualify comment: updated the scorecard comment on PR #7: https://github.example.test/acme/agent/pull/7#issuecomment-${target.id}\n`,
    );
  });

  test('--marker keeps a second sticky comment apart from the first', async () => {
    gh.seed('acme', 'agent', 7, [`${MARKER}\ndrafter scorecard`]);
    const { dir, io } = await setup(SHORT);
    await using _ = dir;
    expect(await run(io, { marker: 'scorecard-verifier', json: true })).toBe(0);
    expect(JSON.parse(io.out())).toMatchObject({ action: 'created', id: 1001 });
    expect(gh.comments('acme', 'agent', 7).map((c) => c.body)).toEqual([
      `${MARKER}\ndrafter scorecard`,
      `<!-- vitest-qualify:scorecard-verifier -->\n${SHORT}`,
    ]);
  });

  test('a scorecard over 65,536 characters is trimmed at section boundaries with the artifact link', async () => {
    const results = [
      caseResult('refund-window-basic', 0.5),
      ...Array.from({ length: 900 }, (_, i) =>
        caseResult(`passing-case-${String(i).padStart(4, '0')}`, 0.95),
      ),
    ];
    const markdown = renderMarkdown(scorecardOf(results));
    expect(markdown.length).toBeGreaterThan(65_536);
    const { dir, io } = await setup(markdown);
    await using _ = dir;
    const artifact = 'https://github.com/acme/agent/actions/runs/4242/artifacts/99';
    expect(await run(io, { json: true, 'artifact-url': artifact })).toBe(0);
    const body = sentBody(1);
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body.startsWith(`${MARKER}\n## ❌ \`anthropic:claude-opus-4-7\` does not qualify\n`)).toBe(true);
    expect(body).toContain(
      '**Verdict: FAIL** against `anthropic:claude-sonnet-4-6` · 901 cases: 900 pass, 0 new, 0 allowlisted, 1 fail, 0 error',
    );
    expect(body).toContain('### Gates');
    expect(body).toContain('| `refund-window-basic` | agent | fail | 50.0 | 90.0 | -40.0 |');
    expect(body).not.toContain('<details>');
    expect(body).toContain(`[The full scorecard](<${artifact}>) has everything.`);
    expect(body).toContain('left out: the full case table.');
    expect(JSON.parse(io.out())).toEqual({
      action: 'created',
      id: 1000,
      url: 'https://github.example.test/acme/agent/pull/7#issuecomment-1000',
      trimmed: true,
    });
  });

  test('without --artifact-url a trimmed scorecard links the workflow run', async () => {
    const results = Array.from({ length: 1200 }, (_, i) =>
      caseResult(`case-${String(i).padStart(4, '0')}`, 0.95),
    );
    const markdown = renderMarkdown(scorecardOf(results));
    expect(markdown.length).toBeGreaterThan(65_536);
    const { dir, io } = await setup(markdown);
    await using _ = dir;
    expect(await run(io)).toBe(0);
    expect(sentBody(1).length).toBeLessThanOrEqual(65_536);
    expect(sentBody(1)).toContain(
      '[The full scorecard](<https://github.com/acme/agent/actions/runs/4242>) has everything.',
    );
  });

  test('a fork PR (403 on write): says the token cannot write, exits 0', async () => {
    gh.setReadOnly(true);
    const { dir, io } = await setup(SHORT);
    await using _ = dir;
    expect(await run(io)).toBe(0);
    expect(io.out()).toBe(FORK_MESSAGE);
    expect(gh.comments('acme', 'agent', 7)).toEqual([]);
  });

  test('a 404 (no access to the repository) is the same message, and --json says skipped', async () => {
    gh.failNext({ method: 'GET', status: 404, message: 'Not Found' });
    const { dir, io } = await setup(SHORT);
    await using _ = dir;
    expect(await run(io, { json: true })).toBe(0);
    expect(JSON.parse(io.out())).toEqual({ action: 'skipped', trimmed: false, reason: 'no-permission' });
    expect(io.err()).toBe(FORK_MESSAGE.replace('403', '404'));
  });

  test('a 403 from the rate limiter is an error, not a permission problem', async () => {
    gh.failNext({ status: 403, message: 'API rate limit exceeded for installation ID 1.' });
    const { dir, io } = await setup(SHORT);
    await using _ = dir;
    expect(await run(io)).toBe(1);
    expect(io.err()).toBe(
      'qualify comment: GitHub answered 403 to GET /repos/acme/agent/issues/7/comments: API rate limit exceeded for installation ID 1.\n',
    );
  });

  test('another HTTP error exits 1 with the status and GitHub’s message, never the token', async () => {
    gh.failNext({ method: 'POST', status: 500, message: `internal error for token ${gh.token}` });
    const { dir, io } = await setup(SHORT);
    await using _ = dir;
    expect(await run(io)).toBe(1);
    expect(io.err()).toBe(
      'qualify comment: GitHub answered 500 to POST /repos/acme/agent/issues/7/comments: internal error for token ***\n',
    );
    expect(io.out()).toBe('');
  });

  test.each([
    [
      'no event file',
      { GITHUB_EVENT_PATH: undefined },
      undefined,
      'not in a pull request (GITHUB_EVENT_PATH is not set): no comment posted',
    ],
    [
      'a push event',
      { GITHUB_EVENT_NAME: 'push' },
      { ref: 'refs/heads/main' },
      'not in a pull request (the push event names no PR number): no comment posted',
    ],
  ])('not in a PR (%s): says so, exits 0, calls nothing', async (_name, env, event, message) => {
    const { dir, io } = await setup(SHORT, env);
    await using _ = dir;
    if (event) await dir.write('event.json', JSON.stringify(event));
    expect(await run(io, { json: true })).toBe(0);
    expect(JSON.parse(io.out())).toEqual({ action: 'skipped', trimmed: false, reason: 'not-a-pull-request' });
    expect(io.err()).toBe(`qualify comment: ${message}\n`);
    expect(gh.requests).toEqual([]);
  });

  test('a missing token is a usage error naming GITHUB_TOKEN (exit 2)', async () => {
    const { dir, io } = await setup(SHORT, { GITHUB_TOKEN: undefined });
    await using _ = dir;
    expect(await run(io)).toBe(2);
    expect(io.err()).toBe(
      'qualify comment: GITHUB_TOKEN is not set; pass it to the step (env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}) with permissions pull-requests: write\n',
    );
    expect(gh.requests).toEqual([]);
  });

  test('--json prints a usage error as { ok: false, error } on stdout too', async () => {
    const { dir, io } = await setup(SHORT, { GITHUB_REPOSITORY: 'not a repo' });
    await using _ = dir;
    expect(await run(io, { json: true })).toBe(2);
    const message =
      'GITHUB_REPOSITORY is "not a repo"; set it to owner/repo (GitHub Actions sets it for you)';
    expect(JSON.parse(io.out())).toEqual({ ok: false, error: { code: 'E_USAGE', message } });
    expect(io.err()).toBe(`qualify comment: ${message}\n`);
  });

  test('through the CLI: `qualify comment --json` reads eval/out/scorecard.md by default', async () => {
    const { dir, io } = await setup(SHORT);
    await using _ = dir;
    expect(await runCli(['comment', '--json'], io)).toBe(0);
    expect(JSON.parse(io.out())).toMatchObject({ action: 'created', trimmed: false });
    expect(sentBody(1)).toBe(`${MARKER}\n${SHORT}`);
  });

  test('a missing scorecard file is a usage error (exit 2)', async () => {
    const { dir, io } = await setup(SHORT);
    await using _ = dir;
    expect(await run(io, { scorecard: 'eval/out/nope.md' })).toBe(2);
    expect(io.err()).toBe(
      'qualify comment: cannot read --scorecard eval/out/nope.md (ENOENT); run `vitest run --project eval` first, or pass the path of the scorecard markdown\n',
    );
  });

  test('a hostile scorecard is sent byte for byte as renderMarkdown escaped it', async () => {
    const hostile =
      '@org/team please look </details><img src=x onerror=alert(1)> | broken | [link](https://evil.example)';
    const card = scorecardOf([
      caseResult('hostile-row', null, {
        tags: ['@org/team', '</details>'],
        error: { kind: 'agent', code: 'E_AGENT', message: hostile },
      }),
      caseResult('calm-row', 0.9),
    ]);
    const markdown = renderMarkdown(card);
    const { dir, io } = await setup(markdown);
    await using _ = dir;
    expect(await run(io)).toBe(0);
    expect(gh.requests[1]!.body).toBe(JSON.stringify({ body: `${MARKER}\n${markdown}` }));
    const body = sentBody(1);
    expect(body).not.toMatch(/@org/);
    expect(body).toContain('@\u200borg/team');
    expect(body.match(/<\/details>/g)).toEqual(['</details>']);
    expect(body).not.toContain('<img');
  });
});

describe('qualify comment on GitHub Enterprise', () => {
  test('GITHUB_API_URL with a path prefix: every call goes under it', async () => {
    const ghe = await startFakeGitHub({ basePath: '/api/v3', token: 'ghe_token' });
    try {
      const { dir, io } = await setup(SHORT, { GITHUB_API_URL: `${ghe.apiUrl}/`, GITHUB_TOKEN: 'ghe_token' });
      await using _ = dir;
      expect(await run(io)).toBe(0);
      expect(ghe.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
        'GET /api/v3/repos/acme/agent/issues/7/comments?per_page=100',
        'POST /api/v3/repos/acme/agent/issues/7/comments',
      ]);
      expect(gh.requests).toEqual([]);
    } finally {
      await ghe.close();
    }
  });
});
