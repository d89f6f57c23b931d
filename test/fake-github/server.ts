/**
 * A fake GitHub REST API on 127.0.0.1 (a random port): the issue-comment
 * endpoints `qualify comment` calls, paginated with `Link` headers as GitHub
 * does, behind a bearer token, recording every request byte for byte.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeRulesets } from './rulesets.js';
import { FakeRepos } from './repo-contents.js';
import { FakeGitHubState, type FakeComment, type RecordedRequest, type ScriptedFailure } from './state.js';

/** GitHub's limit on a comment body. */
const BODY_LIMIT = 65_536;
const DOCS = 'https://docs.github.com/rest/issues/comments';

export interface FakeGitHubOptions {
  /** The token requests must carry as `authorization: Bearer <token>`. Default `ghs_fake_token`. */
  token?: string;
  /** Where the API lives on the server: `''` (github.com) or `/api/v3` (GitHub Enterprise). */
  basePath?: string;
}

export interface FakeGitHub {
  /** The value for GITHUB_API_URL: origin plus base path, no trailing slash. */
  apiUrl: string;
  token: string;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** Make writes answer 403 "Resource not accessible by integration", as for a fork PR. */
  setReadOnly(readOnly: boolean): void;
  /** Answer the next request (of `method`, if given) with this status and message. */
  failNext(failure: ScriptedFailure): void;
  /** Add comments to an issue / PR; returns them with their ids. */
  seed(owner: string, repo: string, issue: number, bodies: string[], login?: string): FakeComment[];
  /** Repositories: branches, commits, contents and pull requests (repo-contents.ts). */
  repos: FakeRepos;
  /** The comments of an issue / PR, as the server holds them. */
  comments(owner: string, repo: string, issue: number): FakeComment[];
  /** The rulesets endpoints' data (rulesets.ts): `list`, `seed`, and `admin = false` for a token without admin rights. */
  rulesets: FakeRulesets;
  reset(): void;
  close(): Promise<void>;
}

/**
 * Start the fake on a random loopback port.
 *
 * @example
 * const gh = await startFakeGitHub({ basePath: '/api/v3' })
 * gh.seed('acme', 'agent', 7, ['first comment'])
 * const env = { GITHUB_API_URL: gh.apiUrl, GITHUB_TOKEN: gh.token, GITHUB_REPOSITORY: 'acme/agent' }
 */
export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const token = options.token ?? 'ghs_fake_token';
  const basePath = (options.basePath ?? '').replace(/\/+$/, '');
  const state = new FakeGitHubState('https://github.example.test');
  const rulesets = new FakeRulesets();
  const repos = new FakeRepos(state);
  let origin = '';
  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      send(res, 500, { message: `fake GitHub crashed: ${(error as Error).message}` });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    }
    const method = req.method ?? 'GET';
    const recorded = { method, path: req.url ?? '/', headers, body: Buffer.concat(chunks).toString('utf8') };
    state.requests.push(recorded);

    if (headers['authorization'] !== `Bearer ${token}`) {
      send(res, 401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
      return;
    }
    const failure = state.takeFailure(method);
    if (failure) {
      send(res, failure.status, { message: failure.message, documentation_url: DOCS });
      return;
    }
    const url = new URL(recorded.path, origin);
    const path = url.pathname.startsWith(`${basePath}/`) ? url.pathname.slice(basePath.length) : undefined;
    const routed =
      path === undefined ? undefined : rulesets.route(method, path, url, recorded.body, state.readOnly);
    if (routed) return send(res, routed.status, routed.body, routed.headers);
    const list = path && /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(path);
    const one = path && /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/.exec(path);
    if (path && repos.route(method, path, url, recorded.body, (status, body) => send(res, status, body)))
      return;
    if (list && method === 'GET') listComments(res, url, list[1]!, list[2]!, Number(list[3]));
    else if (list && method === 'POST')
      write(res, recorded.body, (body) => state.add(list[1]!, list[2]!, Number(list[3]), body));
    else if (one && method === 'PATCH') {
      const comment = state.find(one[1]!, one[2]!, Number(one[3]));
      if (!comment) send(res, 404, { message: 'Not Found', documentation_url: DOCS });
      else
        write(
          res,
          recorded.body,
          (body) => {
            comment.body = body;
            comment.updated_at = new Date(Date.parse(comment.updated_at) + 60_000).toISOString();
            return comment;
          },
          200,
        );
    } else send(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
  }

  function listComments(res: ServerResponse, url: URL, owner: string, repo: string, issue: number): void {
    const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 30) || 30));
    const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
    const all = state.thread(owner, repo, issue);
    const last = Math.max(1, Math.ceil(all.length / perPage));
    const at = (n: number): string => {
      const link = new URL(url.href);
      link.searchParams.set('per_page', String(perPage));
      link.searchParams.set('page', String(n));
      return link.href;
    };
    const links: string[] = [];
    if (page < last) links.push(`<${at(page + 1)}>; rel="next"`, `<${at(last)}>; rel="last"`);
    if (page > 1) links.push(`<${at(1)}>; rel="first"`, `<${at(page - 1)}>; rel="prev"`);
    const extra = links.length ? { link: links.join(', ') } : {};
    send(res, 200, all.slice((page - 1) * perPage, page * perPage), extra);
  }

  function write(res: ServerResponse, raw: string, apply: (body: string) => FakeComment, status = 201): void {
    if (state.readOnly) {
      send(res, 403, { message: 'Resource not accessible by integration', documentation_url: DOCS });
      return;
    }
    let body: unknown;
    try {
      body = (JSON.parse(raw) as { body?: unknown }).body;
    } catch {
      send(res, 400, { message: 'Problems parsing JSON', documentation_url: DOCS });
      return;
    }
    if (typeof body !== 'string' || body.length > BODY_LIMIT) {
      const message =
        typeof body === 'string'
          ? `body is too long (maximum is ${BODY_LIMIT} characters)`
          : 'body is missing';
      send(res, 422, {
        message: 'Validation Failed',
        errors: [{ resource: 'IssueComment', code: 'custom', field: 'body', message }],
        documentation_url: DOCS,
      });
      return;
    }
    send(res, status, apply(body));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    apiUrl: `${origin}${basePath}`,
    token,
    requests: state.requests,
    setReadOnly: (readOnly) => {
      state.readOnly = readOnly;
    },
    failNext: (failure) => {
      state.failures.push(failure);
    },
    seed: (owner, repo, issue, bodies, login) => bodies.map((b) => state.add(owner, repo, issue, b, login)),
    comments: (owner, repo, issue) => state.thread(owner, repo, issue),
    rulesets,
    repos,
    reset: () => {
      state.reset();
      rulesets.reset();
      repos.reset();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'x-github-request-id': 'FAKE:0001',
    ...headers,
  });
  res.end(text);
}
