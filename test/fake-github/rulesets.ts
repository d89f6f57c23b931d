/**
 * The repository rulesets endpoints of the fake GitHub (`qualify init --protect`),
 * validated as api.github.com validates the fields the CLI sends:
 * `GET /repos/{o}/{r}/rulesets` (paginated, `Link` headers), `GET`, `PUT` on
 * `/repos/{o}/{r}/rulesets/{id}`, and `POST /repos/{o}/{r}/rulesets` (201; a
 * second ruleset of the same name is a 422, as on GitHub).
 */

const DOCS = 'https://docs.github.com/rest/repos/rules';
const EPOCH = Date.parse('2026-11-27T00:00:00Z');

/** A required status check as the API holds it. */
export interface FakeStatusCheck {
  context: string;
  integration_id?: number;
}

/** One rule of a ruleset; only `required_status_checks` has its parameters checked. */
export interface FakeRule {
  type: string;
  parameters?: Record<string, unknown>;
}

/** A ruleset as `GET /repos/{o}/{r}/rulesets/{id}` returns it. */
export interface FakeRuleset {
  id: number;
  name: string;
  target: 'branch' | 'tag' | 'push';
  source_type: 'Repository' | 'Organization';
  source: string;
  enforcement: 'active' | 'disabled' | 'evaluate';
  conditions: { ref_name: { include: string[]; exclude: string[] } };
  rules: FakeRule[];
  bypass_actors: unknown[];
  created_at: string;
  updated_at: string;
}

/** What the server answers: a status, a JSON body, extra headers. */
export interface Routed {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const TARGETS = ['branch', 'tag', 'push'];
const ENFORCEMENTS = ['active', 'disabled', 'evaluate'];

const invalid = (message: string): Routed => ({
  status: 422,
  body: { message: 'Validation Failed', errors: [message], documentation_url: DOCS },
});

/** The rulesets of every repository, and the switch for a token without admin rights. */
export class FakeRulesets {
  /** Whether the token may write rulesets (admin). Without it writes answer 403, as for `GITHUB_TOKEN`. */
  admin = true;
  private nextId = 500;
  private readonly byRepo = new Map<string, FakeRuleset[]>();

  /** The rulesets of a repository, as the server holds them. */
  list(owner: string, repo: string): FakeRuleset[] {
    const key = `${owner}/${repo}`;
    let list = this.byRepo.get(key);
    if (!list) {
      list = [];
      this.byRepo.set(key, list);
    }
    return list;
  }

  /** Add a ruleset as if made in the settings page (or by an organization, `source_type: 'Organization'`). */
  seed(owner: string, repo: string, ruleset: Partial<FakeRuleset> & { name: string }): FakeRuleset {
    const at = new Date(EPOCH).toISOString();
    const made: FakeRuleset = {
      id: this.nextId++,
      target: 'branch',
      source_type: 'Repository',
      source: `${owner}/${repo}`,
      enforcement: 'active',
      conditions: { ref_name: { include: ['~DEFAULT_BRANCH'], exclude: [] } },
      rules: [],
      bypass_actors: [],
      created_at: at,
      updated_at: at,
      ...ruleset,
    };
    this.list(owner, repo).push(made);
    return made;
  }

  /** Answer a request for a rulesets path, or `undefined` when the path is not one. */
  route(method: string, path: string, url: URL, raw: string, readOnly: boolean): Routed | undefined {
    const all = /^\/repos\/([^/]+)\/([^/]+)\/rulesets$/.exec(path);
    const one = /^\/repos\/([^/]+)\/([^/]+)\/rulesets\/(\d+)$/.exec(path);
    if (!all && !one) return undefined;
    const [owner, repo] = [(all ?? one)![1]!, (all ?? one)![2]!];
    const write = method === 'POST' || method === 'PUT';
    if (write && (readOnly || !this.admin)) {
      return {
        status: 403,
        body: { message: 'Resource not accessible by integration', documentation_url: DOCS },
      };
    }
    const list = this.list(owner, repo);
    if (all && method === 'GET') return this.page(url, list);
    if (all && method === 'POST') {
      const parsed = this.parse(raw);
      if ('status' in parsed) return parsed;
      if (list.some((r) => r.name === parsed.name)) return invalid('Name must be unique');
      return {
        status: 201,
        body: this.seed(owner, repo, { ...parsed, created_at: new Date(EPOCH + 1000).toISOString() }),
      };
    }
    const found = one ? list.find((r) => r.id === Number(one[3])) : undefined;
    if (one && found && method === 'GET') return { status: 200, body: found };
    if (one && found && method === 'PUT') {
      const parsed = this.parse(raw);
      if ('status' in parsed) return parsed;
      if (list.some((r) => r.name === parsed.name && r.id !== found.id))
        return invalid('Name must be unique');
      Object.assign(found, parsed, {
        updated_at: new Date(Date.parse(found.updated_at) + 60_000).toISOString(),
      });
      return { status: 200, body: found };
    }
    return { status: 404, body: { message: 'Not Found', documentation_url: DOCS } };
  }

  reset(): void {
    this.admin = true;
    this.nextId = 500;
    this.byRepo.clear();
  }

  private page(url: URL, list: FakeRuleset[]): Routed {
    const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 30) || 30));
    const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
    const last = Math.max(1, Math.ceil(list.length / perPage));
    const summaries = list
      .slice((page - 1) * perPage, page * perPage)
      .map(({ conditions: _c, rules: _r, bypass_actors: _b, ...summary }) => summary);
    if (page >= last) return { status: 200, body: summaries };
    const next = new URL(url.href);
    next.searchParams.set('per_page', String(perPage));
    next.searchParams.set('page', String(page + 1));
    return { status: 200, body: summaries, headers: { link: `<${next.href}>; rel="next"` } };
  }

  /** The writable fields of a ruleset from a request body, or the 400/422 GitHub answers. */
  private parse(
    raw: string,
  ): Pick<FakeRuleset, 'name' | 'target' | 'enforcement' | 'conditions' | 'rules'> | Routed {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return { status: 400, body: { message: 'Problems parsing JSON', documentation_url: DOCS } };
    }
    const { name, target, enforcement, conditions, rules } = body;
    if (typeof name !== 'string' || name === '') return invalid('Invalid property /name: is missing');
    if (typeof target !== 'string' || !TARGETS.includes(target)) return invalid('Invalid property /target');
    if (typeof enforcement !== 'string' || !ENFORCEMENTS.includes(enforcement))
      return invalid('Invalid property /enforcement: is missing');
    const refName = (conditions as { ref_name?: { include?: unknown; exclude?: unknown } } | undefined)
      ?.ref_name;
    const include = refName?.include;
    if (!Array.isArray(include) || !include.every((p) => typeof p === 'string'))
      return invalid('Invalid property /conditions/ref_name/include');
    const exclude = refName?.exclude ?? [];
    if (!Array.isArray(exclude)) return invalid('Invalid property /conditions/ref_name/exclude');
    if (!Array.isArray(rules)) return invalid('Invalid property /rules');
    for (const rule of rules as FakeRule[]) {
      if (typeof rule?.type !== 'string') return invalid('Invalid property /rules: type is missing');
      if (rule.type !== 'required_status_checks') continue;
      const checks = rule.parameters?.['required_status_checks'];
      if (!Array.isArray(checks) || !checks.every((c) => typeof (c as FakeStatusCheck)?.context === 'string'))
        return invalid('Invalid property /rules/0/parameters/required_status_checks');
      if (typeof rule.parameters?.['strict_required_status_checks_policy'] !== 'boolean')
        return invalid(
          'Invalid property /rules/0/parameters/strict_required_status_checks_policy: is missing',
        );
    }
    return {
      name,
      target: target as FakeRuleset['target'],
      enforcement: enforcement as FakeRuleset['enforcement'],
      conditions: { ref_name: { include: include as string[], exclude: exclude as string[] } },
      rules: rules as FakeRule[],
    };
  }
}
