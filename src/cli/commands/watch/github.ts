/**
 * What `qualify watch` asks and tells GitHub, over the REST API only: whether a model
 * was proposed already (a `model/` branch, or a pull request from it, open or closed),
 * and opening the proposal: a branch from the default branch's head, the one-line
 * `rubric.yaml` commit, the state-file commit, then the pull request.
 */
import { isRecord } from '../../../internal/record.js';
import { GitHubError, type GitHubClient } from '../../github/client.js';
import { parseRubricText, RUBRIC_FILE } from '../../files/rubric-file.js';
import { commitMessage, pullRequestText, type Candidate } from './plan.js';
import { setModelPrimary } from './rubric-edit.js';
import {
  EMPTY_STATE,
  parseWatchState,
  recordSeen,
  renderWatchState,
  WATCH_STATE_FILE,
} from './state-file.js';

/** A proposal GitHub already has for a model. */
export interface ExistingProposal {
  branch: string;
  /** The pull request from the branch, newest first, when there is one. */
  pr?: { number: number; url: string; state: string } | undefined;
}

/** A pull request `openProposal` opened. */
export interface OpenedProposal {
  branch: string;
  number: number;
  url: string;
  /** The commit of the rubric.yaml edit. */
  commit: string;
}

const enc = encodeURIComponent;
const refPath = (branch: string) => branch.split('/').map(enc).join('/');

/**
 * The branch or pull request GitHub has for `candidate`, or `undefined`. Pull requests are
 * looked up open and closed (`state=all`): a closed one is a decision, not to be reopened daily.
 *
 * @example
 * await existingProposal(gh, candidate) // { branch: 'model/openai-gpt-5-2', pr: { number: 12, ... } }
 */
export async function existingProposal(
  client: GitHubClient,
  candidate: Candidate,
): Promise<ExistingProposal | undefined> {
  const { owner, repo } = client.target;
  const pulls = await client.request(
    'GET',
    `/repos/${enc(owner)}/${enc(repo)}/pulls?head=${enc(`${owner}:${candidate.branch}`)}&state=all&per_page=10`,
  );
  const first = Array.isArray(pulls.data) ? (pulls.data as unknown[]).find(isRecord) : undefined;
  if (first && typeof first['number'] === 'number') {
    return {
      branch: candidate.branch,
      pr: {
        number: first['number'],
        url: typeof first['html_url'] === 'string' ? first['html_url'] : '',
        state: typeof first['state'] === 'string' ? first['state'] : 'open',
      },
    };
  }
  const ref = await getOrMissing(
    client,
    `/repos/${enc(owner)}/${enc(repo)}/git/ref/heads/${refPath(candidate.branch)}`,
  );
  return ref === undefined ? undefined : { branch: candidate.branch };
}

/** The repository's default branch (`main` unless GitHub says otherwise). */
export async function defaultBranch(client: GitHubClient): Promise<string> {
  const { owner, repo } = client.target;
  const { data } = await client.request('GET', `/repos/${enc(owner)}/${enc(repo)}`);
  return isRecord(data) && typeof data['default_branch'] === 'string' ? data['default_branch'] : 'main';
}

/**
 * Open the proposal for `candidate`: branch `model/<provider>-<model>` from the head of
 * `base`, `model_primary` changed on one line of rubric.yaml (the commit message names
 * the release date and the changelog), the model recorded in eval/watch-state.json (so
 * merging the PR records it on `base`), then the pull request into `base`.
 *
 * @example
 * await openProposal(gh, { candidate, base: 'main', today: '2026-12-03' })
 */
export async function openProposal(
  client: GitHubClient,
  input: { candidate: Candidate; base: string; today: string },
): Promise<OpenedProposal> {
  const { candidate, base, today } = input;
  const { owner, repo } = client.target;
  const root = `/repos/${enc(owner)}/${enc(repo)}`;
  const head = await client.request('GET', `${root}/git/ref/heads/${refPath(base)}`);
  const sha = shaOf(isRecord(head.data) ? head.data['object'] : undefined, `the head of ${base}`);
  await client.request('POST', `${root}/git/refs`, { ref: `refs/heads/${candidate.branch}`, sha });

  const rubric = await getFile(client, `${root}/contents/${RUBRIC_FILE}?ref=${enc(candidate.branch)}`);
  if (!rubric) throw new GitHubError(`${RUBRIC_FILE} is not on ${base}: commit it first`, {});
  const label = `${RUBRIC_FILE} on ${base}`;
  const previous = parseRubricText(rubric.text, label).rubric.model_primary;
  const edited = setModelPrimary(rubric.text, candidate.model, label);
  const put = await client.request('PUT', `${root}/contents/${RUBRIC_FILE}`, {
    message: commitMessage({ candidate, previous, today }),
    content: Buffer.from(edited, 'utf8').toString('base64'),
    sha: rubric.sha,
    branch: candidate.branch,
  });
  const commit = isRecord(put.data) ? shaOf(put.data['commit'], 'the rubric.yaml commit') : '';

  const state = await getFile(client, `${root}/contents/${WATCH_STATE_FILE}?ref=${enc(candidate.branch)}`);
  const current = state ? parseWatchState(state.text, `${WATCH_STATE_FILE} on ${base}`) : EMPTY_STATE;
  const recorded = recordSeen(current, candidate.model, { date: today, branch: candidate.branch });
  await client.request('PUT', `${root}/contents/${WATCH_STATE_FILE}`, {
    message: `qualify watch: record ${candidate.model} in ${WATCH_STATE_FILE}\n`,
    content: Buffer.from(renderWatchState(recorded), 'utf8').toString('base64'),
    ...(state ? { sha: state.sha } : {}),
    branch: candidate.branch,
  });

  const pr = pullRequestText({ candidate, previous, today });
  const opened = await client.request('POST', `${root}/pulls`, {
    title: pr.title,
    head: candidate.branch,
    base,
    body: pr.body,
  });
  const data = isRecord(opened.data) ? opened.data : {};
  const number = typeof data['number'] === 'number' ? data['number'] : 0;
  const url = typeof data['html_url'] === 'string' ? data['html_url'] : '';
  return { branch: candidate.branch, number, url, commit };
}

async function getOrMissing(client: GitHubClient, path: string): Promise<unknown> {
  try {
    return (await client.request('GET', path)).data;
  } catch (error) {
    if (error instanceof GitHubError && error.status === 404) return undefined;
    throw error;
  }
}

/** A file through the contents API: its text and blob sha; `undefined` when it does not exist. */
async function getFile(
  client: GitHubClient,
  path: string,
): Promise<{ text: string; sha: string } | undefined> {
  const data = await getOrMissing(client, path);
  if (data === undefined) return undefined;
  if (!isRecord(data) || typeof data['content'] !== 'string' || typeof data['sha'] !== 'string') {
    throw new GitHubError(`GitHub answered GET ${path.split('?')[0]} with something that is not a file`, {});
  }
  return { text: Buffer.from(data['content'], 'base64').toString('utf8'), sha: data['sha'] };
}

function shaOf(value: unknown, what: string): string {
  if (isRecord(value) && typeof value['sha'] === 'string') return value['sha'];
  throw new GitHubError(`GitHub gave no sha for ${what}`, {});
}
