/**
 * The fake GitHub's repositories: branches as git refs, commits with whole-tree
 * snapshots, the contents API (GET and PUT with GitHub's sha check) and pull
 * requests (list with `head=` and `state=`, create). Enough for `qualify watch`
 * to open a qualification PR the way it does against api.github.com.
 */
import { createHash } from 'node:crypto';
import type { FakeGitHubState } from './state.js';

/** A commit: its message, parent and the whole tree after it. */
export interface FakeCommit {
  sha: string;
  message: string;
  parent: string | undefined;
  files: ReadonlyMap<string, string>;
}

/** A pull request as the REST API returns it (the fields the CLI reads, and a few more). */
export interface FakePull {
  number: number;
  state: 'open' | 'closed';
  title: string;
  body: string;
  html_url: string;
  head: { ref: string; label: string };
  base: { ref: string };
}

interface FakeRepo {
  defaultBranch: string;
  branches: Map<string, string>;
  pulls: FakePull[];
}

type Send = (status: number, body: unknown) => void;

const DOCS = 'https://docs.github.com/rest';

/** git's blob id of `text`, as the contents API reports `sha`. */
export function blobSha(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  return createHash('sha1')
    .update(Buffer.concat([Buffer.from(`blob ${bytes.length}\0`), bytes]))
    .digest('hex');
}

export class FakeRepos {
  private readonly repos = new Map<string, FakeRepo>();
  private readonly commitsBySha = new Map<string, FakeCommit>();
  private nextPull = 1;
  private commitCount = 0;

  constructor(private readonly state: FakeGitHubState) {}

  /** A repository whose default branch holds `files` in one commit. */
  seed(owner: string, repo: string, files: Record<string, string>, defaultBranch = 'main'): void {
    const sha = this.commit('Initial commit', undefined, new Map(Object.entries(files)));
    this.repos.set(`${owner}/${repo}`, {
      defaultBranch,
      branches: new Map([[defaultBranch, sha]]),
      pulls: [],
    });
  }

  /** The text of `file` at the head of `branch`; `undefined` when absent. */
  file(owner: string, repo: string, branch: string, file: string): string | undefined {
    const head = this.repo(owner, repo)?.branches.get(branch);
    return head === undefined ? undefined : this.commitsBySha.get(head)?.files.get(file);
  }

  /** The commits of `branch`, newest first, down to the root. */
  log(owner: string, repo: string, branch: string): FakeCommit[] {
    const out: FakeCommit[] = [];
    let sha = this.repo(owner, repo)?.branches.get(branch);
    while (sha !== undefined) {
      const commit = this.commitsBySha.get(sha)!;
      out.push(commit);
      sha = commit.parent;
    }
    return out;
  }

  branches(owner: string, repo: string): string[] {
    return [...(this.repo(owner, repo)?.branches.keys() ?? [])];
  }

  pulls(owner: string, repo: string): FakePull[] {
    return this.repo(owner, repo)?.pulls ?? [];
  }

  /** Close a PR and, with `deleteBranch`, delete its branch, as "Close" then "Delete branch" do. */
  closePull(owner: string, repo: string, number: number, deleteBranch = false): void {
    const found = this.repo(owner, repo);
    const pull = found?.pulls.find((p) => p.number === number);
    if (!found || !pull) throw new Error(`fake GitHub: no PR #${number} in ${owner}/${repo}`);
    pull.state = 'closed';
    if (deleteBranch) found.branches.delete(pull.head.ref);
  }

  reset(): void {
    this.repos.clear();
    this.commitsBySha.clear();
    this.nextPull = 1;
    this.commitCount = 0;
  }

  /** Answer `method path` if it is a repository endpoint; `false` when it is not one. */
  route(method: string, path: string, url: URL, raw: string, send: Send): boolean {
    const m = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(path);
    if (!m) return false;
    const owner = decodeURIComponent(m[1]!);
    const name = decodeURIComponent(m[2]!);
    const rest = m[3] ?? '';
    const repo = this.repo(owner, name);
    const routes: [RegExp, string, (match: RegExpExecArray, repo: FakeRepo) => void][] = [
      [/^$/, 'GET', (_, r) => send(200, { full_name: `${owner}/${name}`, default_branch: r.defaultBranch })],
      [/^\/git\/ref\/heads\/(.+)$/, 'GET', (x, r) => this.getRef(r, decodeURIComponent(x[1]!), send)],
      [/^\/git\/refs$/, 'POST', (_, r) => this.createRef(r, raw, send)],
      [/^\/contents\/(.+)$/, 'GET', (x, r) => this.getContents(r, decodeURIComponent(x[1]!), url, send)],
      [/^\/contents\/(.+)$/, 'PUT', (x, r) => this.putContents(r, decodeURIComponent(x[1]!), raw, send)],
      [/^\/pulls$/, 'GET', (_, r) => this.listPulls(r, url, send)],
      [/^\/pulls$/, 'POST', (_, r) => this.createPull(owner, name, r, raw, send)],
    ];
    for (const [pattern, verb, answer] of routes) {
      const hit = pattern.exec(rest);
      if (!hit || verb !== method) continue;
      if (!repo) send(404, { message: 'Not Found', documentation_url: DOCS });
      else if (verb !== 'GET' && this.state.readOnly)
        send(403, { message: 'Resource not accessible by integration', documentation_url: DOCS });
      else answer(hit, repo);
      return true;
    }
    return false;
  }

  private repo(owner: string, name: string): FakeRepo | undefined {
    return this.repos.get(`${owner}/${name}`);
  }

  private commit(message: string, parent: string | undefined, files: Map<string, string>): string {
    this.commitCount += 1;
    const sha = createHash('sha1').update(`commit ${this.commitCount} ${message}`).digest('hex');
    this.commitsBySha.set(sha, { sha, message, parent, files });
    return sha;
  }

  private getRef(repo: FakeRepo, branch: string, send: Send): void {
    const sha = repo.branches.get(branch);
    if (sha === undefined) send(404, { message: 'Not Found', documentation_url: DOCS });
    else send(200, { ref: `refs/heads/${branch}`, object: { sha, type: 'commit' } });
  }

  private createRef(repo: FakeRepo, raw: string, send: Send): void {
    const body = json(raw);
    const ref = typeof body?.['ref'] === 'string' ? body['ref'] : '';
    const sha = typeof body?.['sha'] === 'string' ? body['sha'] : '';
    if (!ref.startsWith('refs/heads/') || !this.commitsBySha.has(sha)) {
      send(422, { message: 'Reference update failed', documentation_url: DOCS });
      return;
    }
    const branch = ref.slice('refs/heads/'.length);
    if (repo.branches.has(branch)) {
      send(422, { message: 'Reference already exists', documentation_url: DOCS });
      return;
    }
    repo.branches.set(branch, sha);
    send(201, { ref, object: { sha, type: 'commit' } });
  }

  private getContents(repo: FakeRepo, file: string, url: URL, send: Send): void {
    const branch = url.searchParams.get('ref') ?? repo.defaultBranch;
    const head = repo.branches.get(branch);
    const text = head === undefined ? undefined : this.commitsBySha.get(head)!.files.get(file);
    if (text === undefined) {
      send(404, { message: 'Not Found', documentation_url: DOCS });
      return;
    }
    // As GitHub does: base64 wrapped at 60 characters.
    const content = (
      Buffer.from(text, 'utf8')
        .toString('base64')
        .match(/.{1,60}/g) ?? []
    ).join('\n');
    send(200, { type: 'file', encoding: 'base64', path: file, sha: blobSha(text), content });
  }

  private putContents(repo: FakeRepo, file: string, raw: string, send: Send): void {
    const body = json(raw);
    const message = body?.['message'];
    const content = body?.['content'];
    const branch = typeof body?.['branch'] === 'string' ? body['branch'] : repo.defaultBranch;
    const head = repo.branches.get(branch);
    if (typeof message !== 'string' || typeof content !== 'string' || head === undefined) {
      send(422, { message: 'Invalid request.', documentation_url: DOCS });
      return;
    }
    const files = new Map(this.commitsBySha.get(head)!.files);
    const before = files.get(file);
    if (before !== undefined && body?.['sha'] === undefined) {
      send(422, { message: 'Invalid request.\n\n"sha" wasn\'t supplied.', documentation_url: DOCS });
      return;
    }
    if (before !== undefined && body?.['sha'] !== blobSha(before)) {
      send(409, { message: `${file} does not match ${String(body?.['sha'])}`, documentation_url: DOCS });
      return;
    }
    const text = Buffer.from(content, 'base64').toString('utf8');
    files.set(file, text);
    const sha = this.commit(message, head, files);
    repo.branches.set(branch, sha);
    send(before === undefined ? 201 : 200, {
      content: { path: file, sha: blobSha(text) },
      commit: { sha, message },
    });
  }

  private listPulls(repo: FakeRepo, url: URL, send: Send): void {
    const head = url.searchParams.get('head');
    const state = url.searchParams.get('state') ?? 'open';
    send(
      200,
      repo.pulls
        .filter((p) => head === null || p.head.label === head)
        .filter((p) => state === 'all' || p.state === state)
        .slice()
        .reverse(),
    );
  }

  private createPull(owner: string, name: string, repo: FakeRepo, raw: string, send: Send): void {
    const body = json(raw);
    const head = typeof body?.['head'] === 'string' ? body['head'] : '';
    const base = typeof body?.['base'] === 'string' ? body['base'] : '';
    const invalid = (message: string) =>
      send(422, {
        message: 'Validation Failed',
        errors: [{ resource: 'PullRequest', code: 'custom', message }],
        documentation_url: DOCS,
      });
    if (!repo.branches.has(head) || !repo.branches.has(base)) return invalid(`head or base does not exist`);
    if (repo.branches.get(head) === repo.branches.get(base))
      return invalid(`No commits between ${base} and ${head}`);
    if (repo.pulls.some((p) => p.state === 'open' && p.head.ref === head)) {
      return invalid(`A pull request already exists for ${owner}:${head}.`);
    }
    const number = this.nextPull++;
    const pull: FakePull = {
      number,
      state: 'open',
      title: typeof body?.['title'] === 'string' ? body['title'] : '',
      body: typeof body?.['body'] === 'string' ? body['body'] : '',
      html_url: `${this.state.htmlOrigin}/${owner}/${name}/pull/${number}`,
      head: { ref: head, label: `${owner}:${head}` },
      base: { ref: base },
    };
    repo.pulls.push(pull);
    send(201, pull);
  }
}

function json(raw: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(raw) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
