/** The fake GitHub's data: issue comments per repository and issue, and the switches tests flip. */

/** A comment as the REST API returns it (the fields the CLI reads, and a few it does not). */
export interface FakeComment {
  id: number;
  body: string;
  html_url: string;
  user: { login: string; type: 'Bot' | 'User' };
  created_at: string;
  updated_at: string;
}

/** One request as it reached the server, for byte-level assertions. */
export interface RecordedRequest {
  method: string;
  /** Path and query as sent, e.g. `/repos/acme/agent/issues/7/comments?per_page=100&page=2`. */
  path: string;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  /** The raw request body (empty for GET). */
  body: string;
}

/** A canned error answered instead of the next matching request. */
export interface ScriptedFailure {
  method?: string;
  status: number;
  message: string;
}

const EPOCH = Date.parse('2026-11-27T00:00:00Z');

export class FakeGitHubState {
  readonly requests: RecordedRequest[] = [];
  /** Writes (POST, PATCH) answer 403, as for a fork PR's read-only token. */
  readOnly = false;
  readonly failures: ScriptedFailure[] = [];
  private nextId = 1000;
  private readonly threads = new Map<string, FakeComment[]>();

  constructor(readonly htmlOrigin: string) {}

  thread(owner: string, repo: string, issue: number): FakeComment[] {
    const key = `${owner}/${repo}#${issue}`;
    let list = this.threads.get(key);
    if (!list) {
      list = [];
      this.threads.set(key, list);
    }
    return list;
  }

  add(owner: string, repo: string, issue: number, body: string, login = 'github-actions[bot]'): FakeComment {
    const id = this.nextId++;
    const at = new Date(EPOCH + id * 1000).toISOString();
    const comment: FakeComment = {
      id,
      body,
      html_url: `${this.htmlOrigin}/${owner}/${repo}/pull/${issue}#issuecomment-${id}`,
      user: { login, type: login.endsWith('[bot]') ? 'Bot' : 'User' },
      created_at: at,
      updated_at: at,
    };
    this.thread(owner, repo, issue).push(comment);
    return comment;
  }

  find(owner: string, repo: string, id: number): FakeComment | undefined {
    const prefix = `${owner}/${repo}#`;
    for (const [key, list] of this.threads) {
      if (!key.startsWith(prefix)) continue;
      const found = list.find((c) => c.id === id);
      if (found) return found;
    }
    return undefined;
  }

  /** The scripted failure for this request, removed once used. */
  takeFailure(method: string): ScriptedFailure | undefined {
    const index = this.failures.findIndex((f) => f.method === undefined || f.method === method);
    return index === -1 ? undefined : this.failures.splice(index, 1)[0];
  }

  reset(): void {
    this.requests.length = 0;
    this.failures.length = 0;
    this.readOnly = false;
    this.threads.clear();
    this.nextId = 1000;
  }
}
