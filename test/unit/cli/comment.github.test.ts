import { describe, expect, test } from 'vitest';
import { createGitHubClient, GitHubError } from '../../../src/cli/github/client.js';
import { githubTarget, pullNumberOf, runUrlOf } from '../../../src/cli/github/context.js';
import { nextLink } from '../../../src/cli/github/link.js';
import { isMarked, markerOf } from '../../../src/cli/github/sticky.js';
import { UsageError } from '../../../src/errors.js';

describe('pullNumberOf', () => {
  test.each([
    ['pull_request', { action: 'opened', number: 3, pull_request: { number: 3 } }, 3],
    ['pull_request_target', { pull_request: { number: 12 } }, 12],
    ['issue_comment on a PR', { issue: { number: 9, pull_request: { url: 'x' } } }, 9],
    ['issue_comment on an issue', { issue: { number: 9 } }, undefined],
    ['a top-level number', { number: 5 }, 5],
    ['push', { ref: 'refs/heads/main' }, undefined],
    ['a string number', { number: '5' }, undefined],
    ['not an object', [1, 2], undefined],
  ])('%s', (_name, event, expected) => {
    expect(pullNumberOf(event)).toBe(expected);
  });
});

describe('githubTarget and runUrlOf', () => {
  test('defaults to api.github.com; a GHE URL keeps its path without the trailing slash', () => {
    expect(githubTarget({ GITHUB_TOKEN: 't', GITHUB_REPOSITORY: 'acme/agent' })).toEqual({
      apiUrl: 'https://api.github.com',
      owner: 'acme',
      repo: 'agent',
      token: 't',
    });
    expect(
      githubTarget({
        GITHUB_TOKEN: 't',
        GITHUB_REPOSITORY: 'a/b',
        GITHUB_API_URL: 'https://ghe.example.com/api/v3/',
      }).apiUrl,
    ).toBe('https://ghe.example.com/api/v3');
  });

  test.each([
    [{ GITHUB_REPOSITORY: 'a/b' }, /^GITHUB_TOKEN is not set;/],
    [{ GITHUB_TOKEN: 't' }, /^GITHUB_REPOSITORY is not set; set it to owner\/repo/],
    [{ GITHUB_TOKEN: 't', GITHUB_REPOSITORY: 'just-a-name' }, /^GITHUB_REPOSITORY is "just-a-name";/],
    [
      { GITHUB_TOKEN: 't', GITHUB_REPOSITORY: 'a/b', GITHUB_API_URL: 'ftp://x' },
      /^GITHUB_API_URL must be an http\(s\) URL/,
    ],
  ])('%o is a usage error', (env, message) => {
    expect(() => githubTarget(env)).toThrow(UsageError);
    expect(() => githubTarget(env)).toThrow(message);
  });

  test('the run URL needs the repository and a numeric run id', () => {
    expect(
      runUrlOf({
        GITHUB_REPOSITORY: 'a/b',
        GITHUB_RUN_ID: '7',
        GITHUB_SERVER_URL: 'https://ghe.example.com/',
      }),
    ).toBe('https://ghe.example.com/a/b/actions/runs/7');
    expect(runUrlOf({ GITHUB_REPOSITORY: 'a/b', GITHUB_RUN_ID: '7' })).toBe(
      'https://github.com/a/b/actions/runs/7',
    );
    expect(runUrlOf({ GITHUB_REPOSITORY: 'a/b' })).toBeUndefined();
    expect(runUrlOf({ GITHUB_REPOSITORY: 'a/b', GITHUB_RUN_ID: '7; rm' })).toBeUndefined();
  });
});

describe('nextLink', () => {
  test.each([
    ['<https://x/c?page=2>; rel="next", <https://x/c?page=5>; rel="last"', 'https://x/c?page=2'],
    ['<https://x/c?page=1>; rel="prev", <https://x/c?page=3>; rel="next"', 'https://x/c?page=3'],
    ['<https://x/c?page=1>; rel="first", <https://x/c?page=1>; rel="prev"', undefined],
    ['<https://x/c?a=1,2>; rel=next', 'https://x/c?a=1,2'],
    ['<https://x/c?page=4>; rel="last next"', 'https://x/c?page=4'],
    ['', undefined],
    [null, undefined],
  ])('%s', (header, expected) => {
    expect(nextLink(header)).toBe(expected);
  });
});

describe('markers', () => {
  test('the marker is a hidden HTML comment at the start of the body', () => {
    expect(markerOf('scorecard')).toBe('<!-- vitest-qualify:scorecard -->');
    expect(isMarked('\n<!-- vitest-qualify:scorecard -->\n## x', markerOf('scorecard'))).toBe(true);
    expect(isMarked('> <!-- vitest-qualify:scorecard -->', markerOf('scorecard'))).toBe(false);
    expect(isMarked('<!-- vitest-qualify:scorecard-2 -->', markerOf('scorecard'))).toBe(false);
  });

  test('a marker id that could close the HTML comment is refused', () => {
    expect(() => markerOf('x --> <script>')).toThrow(
      '--marker "x --> <script>" is not a usable id; use letters, digits and . _ : / - (e.g. scorecard-drafter)',
    );
  });
});

describe('the GitHub client', () => {
  test('refuses to follow a URL outside the API root, so the token cannot leak', async () => {
    const calls: string[] = [];
    const fetchSpy = (async (url: string) => {
      calls.push(url);
      return new Response('[]');
    }) as unknown as typeof fetch;
    const gh = createGitHubClient(
      { apiUrl: 'https://api.github.com', owner: 'a', repo: 'b', token: 't' },
      fetchSpy,
    );
    await expect(gh.request('GET', 'https://evil.example/repos/a/b')).rejects.toThrow(GitHubError);
    await expect(gh.request('GET', 'https://api.github.com.evil.example/x')).rejects.toThrow(
      'refusing to send the token to "https://api.github.com.evil.example/x": it is not under GITHUB_API_URL https://api.github.com',
    );
    expect(calls).toEqual([]);
  });

  test('a network failure is a GitHubError without a status', async () => {
    const down = (async () => {
      throw new TypeError('fetch failed');
    }) as unknown as typeof fetch;
    const gh = createGitHubClient(
      { apiUrl: 'https://api.github.com', owner: 'a', repo: 'b', token: 'ghs_secret' },
      down,
    );
    const error = (await gh.request('GET', '/repos/a/b').catch((e: unknown) => e)) as GitHubError;
    expect(error.code).toBe('E_GITHUB_UNREACHABLE');
    expect(error.status).toBeUndefined();
    expect(error.message).toBe(
      'could not reach GitHub at https://api.github.com (GET /repos/a/b): fetch failed',
    );
  });
});
