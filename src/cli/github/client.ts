import { QualifyError } from '../../errors.js';
import type { GitHubTarget } from './context.js';

/**
 * GitHub said no (an HTTP status other than 2xx), or could not be reached
 * (`status` undefined). The message is one line with the status and GitHub's
 * own message; it never contains the token.
 */
export class GitHubError extends QualifyError {
  readonly status: number | undefined;
  /** GitHub's `message` field (and `errors[].message`), when it answered. */
  readonly githubMessage: string | undefined;
  /** A 403/429 from the rate limiter, not a missing permission. */
  readonly rateLimited: boolean;

  constructor(
    message: string,
    details: { status?: number; githubMessage?: string; rateLimited?: boolean; cause?: unknown },
  ) {
    super(details.status === undefined ? 'E_GITHUB_UNREACHABLE' : 'E_GITHUB_HTTP', message, {
      cause: details.cause,
    });
    this.status = details.status;
    this.githubMessage = details.githubMessage;
    this.rateLimited = details.rateLimited ?? false;
  }
}

/** A successful answer: the parsed JSON body and the headers (for `Link`). */
export interface GitHubResponse {
  status: number;
  data: unknown;
  headers: Headers;
}

/** The few REST calls the CLI makes; paths are relative to the API root. */
export interface GitHubClient {
  readonly target: GitHubTarget;
  /** `pathOrUrl` is `/repos/...`, or an absolute URL under the API root (a `Link` header's). */
  request(
    method: 'GET' | 'POST' | 'PATCH' | 'PUT',
    pathOrUrl: string,
    body?: unknown,
  ): Promise<GitHubResponse>;
}

const TIMEOUT_MS = 30_000;

/**
 * A REST client over an injected `fetch`: bearer token, the v3 media type and
 * API version, a timeout, JSON in and out. Absolute URLs must stay under the
 * API root, so a `Link` header cannot send the token anywhere else.
 *
 * @example
 * const gh = createGitHubClient(githubTarget(process.env), fetch)
 * const { data } = await gh.request('GET', '/repos/acme/agent/issues/7/comments?per_page=100')
 */
export function createGitHubClient(
  target: GitHubTarget,
  fetchImpl: typeof globalThis.fetch,
  options: { timeoutMs?: number } = {},
): GitHubClient {
  const timeoutMs = options.timeoutMs ?? TIMEOUT_MS;
  return {
    target,
    async request(method, pathOrUrl, body) {
      const url = resolveUrl(target.apiUrl, pathOrUrl);
      const where = `${method} ${new URL(url).pathname}`;
      const headers: Record<string, string> = {
        accept: 'application/vnd.github+json',
        authorization: `Bearer ${target.token}`,
        'user-agent': 'vitest-qualify',
        'x-github-api-version': '2022-11-28',
      };
      if (body !== undefined) headers['content-type'] = 'application/json';
      let response: Response;
      try {
        response = await fetchImpl(url, {
          method,
          headers,
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        const reason = scrub((error as Error).message ?? String(error), target.token);
        throw new GitHubError(`could not reach GitHub at ${target.apiUrl} (${where}): ${reason}`, {
          cause: error,
        });
      }
      const text = await response.text();
      const data = parseJson(text);
      if (response.ok) return { status: response.status, data, headers: response.headers };
      const githubMessage = scrub(messageOf(data) ?? text.slice(0, 200), target.token);
      const rateLimited =
        response.status === 429 ||
        (response.status === 403 &&
          (response.headers.get('x-ratelimit-remaining') === '0' || /rate limit/i.test(githubMessage)));
      throw new GitHubError(`GitHub answered ${response.status} to ${where}: ${githubMessage}`, {
        status: response.status,
        githubMessage,
        rateLimited,
      });
    },
  };
}

function resolveUrl(apiUrl: string, pathOrUrl: string): string {
  if (pathOrUrl.startsWith('/')) return `${apiUrl}${pathOrUrl}`;
  if (pathOrUrl.startsWith(`${apiUrl}/`)) return pathOrUrl;
  throw new GitHubError(
    `refusing to send the token to ${JSON.stringify(pathOrUrl.slice(0, 100))}: it is not under GITHUB_API_URL ${apiUrl}`,
    {},
  );
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** GitHub's `message`, with the validation errors' messages when there are any. */
function messageOf(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const record = data as { message?: unknown; errors?: unknown };
  if (typeof record.message !== 'string') return undefined;
  const details = Array.isArray(record.errors)
    ? record.errors
        .map((e: unknown) =>
          typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string'
            ? (e as { message: string }).message
            : undefined,
        )
        .filter((m): m is string => m !== undefined)
    : [];
  const text = details.length ? `${record.message} (${details.join('; ')})` : record.message;
  return text.replace(/\s+/g, ' ').trim();
}

/** The token never reaches a message, whatever a server or a proxy echoes back. */
function scrub(text: string, token: string): string {
  return token ? text.split(token).join('***') : text;
}
