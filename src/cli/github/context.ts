import { UsageError } from '../../errors.js';
import { isRecord } from '../../internal/record.js';

/** Where the GitHub REST API is and which repository a command acts on. */
export interface GitHubTarget {
  /** API root without a trailing slash: `https://api.github.com`, or `https://ghe.example.com/api/v3`. */
  apiUrl: string;
  owner: string;
  repo: string;
  token: string;
}

const DEFAULT_API_URL = 'https://api.github.com';
const DEFAULT_SERVER_URL = 'https://github.com';

/**
 * The pull-request number of a GitHub Actions event payload: `pull_request.number`
 * (pull_request, pull_request_target), `issue.number` when the issue is a PR
 * (issue_comment), else a top-level `number`. `undefined` when the event is not
 * about a pull request.
 *
 * @example
 * pullNumberOf({ pull_request: { number: 42 } }) // 42
 * pullNumberOf({ ref: 'refs/heads/main' })       // undefined
 */
export function pullNumberOf(event: unknown): number | undefined {
  if (!isRecord(event)) return undefined;
  const pr = event['pull_request'];
  if (isRecord(pr) && isPositiveInt(pr['number'])) return pr['number'];
  const issue = event['issue'];
  if (isRecord(issue) && issue['pull_request'] !== undefined && isPositiveInt(issue['number'])) {
    return issue['number'];
  }
  return isPositiveInt(event['number']) ? event['number'] : undefined;
}

/**
 * Read the API root, repository and token from the environment GitHub Actions
 * sets. Throws a `UsageError` (exit 2) naming the variable that is missing or wrong.
 *
 * @example
 * githubTarget({ GITHUB_TOKEN: 't', GITHUB_REPOSITORY: 'acme/agent' })
 * // { apiUrl: 'https://api.github.com', owner: 'acme', repo: 'agent', token: 't' }
 */
export function githubTarget(env: Record<string, string | undefined>): GitHubTarget {
  const token = env['GITHUB_TOKEN']?.trim();
  if (!token) {
    throw new UsageError(
      'GITHUB_TOKEN is not set; pass it to the step (env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}) ' +
        'with permissions pull-requests: write',
    );
  }
  const repository = env['GITHUB_REPOSITORY']?.trim() ?? '';
  const match = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(repository);
  if (!match) {
    throw new UsageError(
      `GITHUB_REPOSITORY is ${repository ? JSON.stringify(repository) : 'not set'}; set it to owner/repo ` +
        '(GitHub Actions sets it for you)',
    );
  }
  return { apiUrl: apiUrlOf(env), owner: match[1]!, repo: match[2]!, token };
}

/**
 * The link to this workflow run (where its artifacts are), or `undefined`
 * outside GitHub Actions: `GITHUB_SERVER_URL/GITHUB_REPOSITORY/actions/runs/GITHUB_RUN_ID`.
 *
 * @example
 * runUrlOf({ GITHUB_REPOSITORY: 'acme/agent', GITHUB_RUN_ID: '7' }) // 'https://github.com/acme/agent/actions/runs/7'
 */
export function runUrlOf(env: Record<string, string | undefined>): string | undefined {
  const repository = env['GITHUB_REPOSITORY']?.trim();
  const runId = env['GITHUB_RUN_ID']?.trim();
  if (!repository || !runId || !/^\d+$/.test(runId)) return undefined;
  const server = (env['GITHUB_SERVER_URL']?.trim() || DEFAULT_SERVER_URL).replace(/\/+$/, '');
  return `${server}/${repository}/actions/runs/${runId}`;
}

function apiUrlOf(env: Record<string, string | undefined>): string {
  const written = env['GITHUB_API_URL']?.trim() || DEFAULT_API_URL;
  let url: URL;
  try {
    url = new URL(written);
  } catch {
    throw new UsageError(
      `GITHUB_API_URL is not a URL: ${JSON.stringify(written)}; unset it, or set it to https://<host>/api/v3`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UsageError(`GITHUB_API_URL must be an http(s) URL, not ${url.protocol}`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function isPositiveInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}
