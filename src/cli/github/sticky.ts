import { UsageError } from '../../errors.js';
import { GitHubError, type GitHubClient } from './client.js';
import { nextLink } from './link.js';

/** The marker id `qualify comment` uses unless `--marker` names another. */
export const DEFAULT_MARKER_ID = 'scorecard';

/** A page is 100 comments; 300 pages is far more than any PR, and stops a `Link` loop. */
const MAX_PAGES = 300;

/** A PR comment as the CLI needs it. */
export interface IssueComment {
  id: number;
  url: string;
}

/**
 * The hidden HTML comment that identifies the sticky comment: `<!-- vitest-qualify:<id> -->`.
 * Throws a `UsageError` for an id that could break out of the HTML comment.
 *
 * @example
 * markerOf('scorecard') // '<!-- vitest-qualify:scorecard -->'
 */
export function markerOf(id: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}$/.test(id)) {
    throw new UsageError(
      `--marker ${JSON.stringify(id)} is not a usable id; use letters, digits and . _ : / - (e.g. scorecard-drafter)`,
    );
  }
  return `<!-- vitest-qualify:${id} -->`;
}

/**
 * Whether a comment body is ours: it starts with the marker. A comment that
 * merely quotes the marker further down (a reply, a `>` quote) is not.
 *
 * @example
 * isMarked('<!-- vitest-qualify:scorecard -->\n## ✅ ...', markerOf('scorecard')) // true
 */
export function isMarked(body: string, marker: string): boolean {
  return body.trimStart().startsWith(marker);
}

/**
 * Walk the PR's comments, 100 a page, following `Link: rel="next"`, and return
 * the first one that carries the marker.
 *
 * @example
 * const found = await findMarkedComment(gh, 42, markerOf('scorecard'))
 */
export async function findMarkedComment(
  client: GitHubClient,
  pr: number,
  marker: string,
): Promise<IssueComment | undefined> {
  const { owner, repo } = client.target;
  let next: string | undefined = `/repos/${owner}/${repo}/issues/${pr}/comments?per_page=100`;
  const seen = new Set<string>();
  while (next !== undefined) {
    if (seen.has(next) || seen.size >= MAX_PAGES) {
      throw new GitHubError(
        `stopped listing the comments of PR #${pr} after ${seen.size} pages (the Link header loops or the PR has too many comments); ` +
          'delete old comments or pass another --marker',
        {},
      );
    }
    seen.add(next);
    const page = await client.request('GET', next);
    for (const item of Array.isArray(page.data) ? page.data : []) {
      const comment = asComment(item);
      if (comment && isMarked(comment.body, marker)) return { id: comment.id, url: comment.url };
    }
    next = nextLink(page.headers.get('link'));
  }
  return undefined;
}

/**
 * Create the sticky comment, or update it in place when a comment with the
 * marker exists. `body` must start with the marker so the next run finds it.
 *
 * @example
 * await upsertStickyComment(gh, { pr: 42, marker, body: `${marker}\n${markdown}` })
 * // { action: 'updated', id: 1001, url: 'https://github.com/acme/agent/pull/42#issuecomment-1001' }
 */
export async function upsertStickyComment(
  client: GitHubClient,
  input: { pr: number; marker: string; body: string },
): Promise<IssueComment & { action: 'created' | 'updated' }> {
  const { owner, repo } = client.target;
  const existing = await findMarkedComment(client, input.pr, input.marker);
  const response = existing
    ? await client.request('PATCH', `/repos/${owner}/${repo}/issues/comments/${existing.id}`, {
        body: input.body,
      })
    : await client.request('POST', `/repos/${owner}/${repo}/issues/${input.pr}/comments`, {
        body: input.body,
      });
  const written = asComment(response.data);
  const id = written?.id ?? existing?.id;
  if (id === undefined) {
    throw new GitHubError(`GitHub accepted the comment on PR #${input.pr} but sent back no comment id`, {
      status: response.status,
    });
  }
  return { action: existing ? 'updated' : 'created', id, url: written?.url ?? existing?.url ?? '' };
}

function asComment(item: unknown): { id: number; body: string; url: string } | undefined {
  if (typeof item !== 'object' || item === null) return undefined;
  const { id, body, html_url: url } = item as { id?: unknown; body?: unknown; html_url?: unknown };
  if (typeof id !== 'number') return undefined;
  return { id, body: typeof body === 'string' ? body : '', url: typeof url === 'string' ? url : '' };
}
