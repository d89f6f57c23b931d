import type { GitHubClient } from './client.js';
import { nextLink } from './link.js';
import { isRecord } from '../../internal/record.js';

/** The name of the ruleset `qualify init --protect` writes; found again by it, so a second run updates it. */
export const RULESET_NAME = 'vitest-qualify';

/**
 * The ruleset that makes `contexts` required status checks on the default
 * branch: the body of `POST /repos/{o}/{r}/rulesets` (and of the `PUT` that updates it).
 *
 * @example
 * rulesetBody(['eval', 'merge']).rules[0].parameters.required_status_checks
 * // [{ context: 'eval' }, { context: 'merge' }]
 */
export function rulesetBody(contexts: readonly string[]) {
  return {
    name: RULESET_NAME,
    target: 'branch',
    enforcement: 'active',
    conditions: { ref_name: { include: ['~DEFAULT_BRANCH'], exclude: [] as string[] } },
    rules: [
      {
        type: 'required_status_checks',
        parameters: {
          required_status_checks: contexts.map((context) => ({ context })),
          strict_required_status_checks_policy: false,
        },
      },
    ],
  };
}

/** What `protectDefaultBranch` did: the ruleset's id, and whether it was new. */
export interface Protected {
  action: 'created' | 'updated';
  id: number;
}

/** The id of the repository's own ruleset named `vitest-qualify`, reading every page; `undefined` when there is none. */
async function findRuleset(client: GitHubClient): Promise<number | undefined> {
  const { owner, repo } = client.target;
  let next: string | undefined = `/repos/${owner}/${repo}/rulesets?per_page=100&includes_parents=false`;
  while (next !== undefined) {
    const page = await client.request('GET', next);
    for (const ruleset of Array.isArray(page.data) ? page.data : []) {
      if (isRecord(ruleset) && ruleset['name'] === RULESET_NAME && typeof ruleset['id'] === 'number') {
        if (ruleset['source_type'] === undefined || ruleset['source_type'] === 'Repository')
          return ruleset['id'];
      }
    }
    next = nextLink(page.headers.get('link'));
  }
  return undefined;
}

/**
 * Make `contexts` required on the default branch with one ruleset named
 * `vitest-qualify`: created the first time (`POST`), replaced on every later run
 * (`PUT`), never a second one. Throws the client's `GitHubError` as GitHub answered.
 *
 * @example
 * await protectDefaultBranch(client, ['eval']) // { action: 'created', id: 42 }
 */
export async function protectDefaultBranch(
  client: GitHubClient,
  contexts: readonly string[],
): Promise<Protected> {
  const { owner, repo } = client.target;
  const body = rulesetBody(contexts);
  const existing = await findRuleset(client);
  if (existing !== undefined) {
    await client.request('PUT', `/repos/${owner}/${repo}/rulesets/${existing}`, body);
    return { action: 'updated', id: existing };
  }
  const { data } = await client.request('POST', `/repos/${owner}/${repo}/rulesets`, body);
  const id = isRecord(data) && typeof data['id'] === 'number' ? data['id'] : -1;
  return { action: 'created', id };
}
