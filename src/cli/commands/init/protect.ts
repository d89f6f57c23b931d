import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { QualifyError, UsageError } from '../../../errors.js';
import { GitError, gitIn } from '../../../internal/git.js';
import { isRecord } from '../../../internal/record.js';
import type { CommandIO } from '../../command.js';
import { createGitHubClient, GitHubError } from '../../github/client.js';
import { githubTarget } from '../../github/context.js';
import { protectDefaultBranch, RULESET_NAME, type Protected } from '../../github/rulesets.js';

/** The workflow whose checks `--protect` requires. */
export const WORKFLOW_FILE = '.github/workflows/eval.yml';

/** The check of the qualification job: the job `eval` (its name on GitHub is its `name:`, else its id). */
export const EVAL_CHECK = 'eval';

/**
 * `owner/repo` of a GitHub remote URL (https, ssh or scp-like), `undefined` for anything else.
 *
 * @example
 * repoOfRemote('git@github.com:acme/agent.git') // 'acme/agent'
 * repoOfRemote('https://github.com/acme/agent') // 'acme/agent'
 */
export function repoOfRemote(url: string): string | undefined {
  const match =
    /^(?:[a-z+]+:\/\/(?:[^@/]+@)?[^/]+\/|[^@:/]+@[^:]+:)([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)(?:\.git)?\/?$/.exec(
      url.trim(),
    );
  return match ? `${match[1]}/${match[2]}` : undefined;
}

/**
 * The status checks to require, from the workflow: `eval`, and the check of the
 * job that runs `--merge-reports` when the workflow shards (the merge job). A
 * skipped job reports success, so requiring both holds sharded or not.
 *
 * @example
 * requiredChecks({ jobs: { eval: {}, merge: { steps: [{ run: 'npx vitest run --merge-reports' }] } } }) // ['eval', 'merge']
 */
export function requiredChecks(workflow: unknown): { checks: string[]; jobs: string[] } {
  const jobs = isRecord(workflow) && isRecord(workflow['jobs']) ? workflow['jobs'] : {};
  const names = Object.entries(jobs).map(([id, job]) => ({
    check: isRecord(job) && typeof job['name'] === 'string' ? job['name'] : id,
    merges:
      isRecord(job) &&
      Array.isArray(job['steps']) &&
      job['steps'].some(
        (step) =>
          isRecord(step) && typeof step['run'] === 'string' && step['run'].includes('--merge-reports'),
      ),
  }));
  const checks = names.filter((n) => n.check === EVAL_CHECK || n.merges).map((n) => n.check);
  return { checks: [...new Set(checks)], jobs: names.map((n) => n.check) };
}

async function checksOf(cwd: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(path.join(cwd, WORKFLOW_FILE), 'utf8');
  } catch {
    throw new QualifyError(
      'E_PROTECT',
      `${WORKFLOW_FILE} does not exist here: run qualify init --protect at the root of the repository`,
    );
  }
  let workflow: unknown;
  try {
    workflow = parse(text);
  } catch (error) {
    throw new QualifyError(
      'E_PROTECT',
      `${WORKFLOW_FILE} is not valid YAML (${(error as Error).message.split('\n')[0]}): fix it, then run qualify init --protect again`,
    );
  }
  const { checks, jobs } = requiredChecks(workflow);
  if (!checks.includes(EVAL_CHECK)) {
    throw new QualifyError(
      'E_PROTECT',
      `${WORKFLOW_FILE} has no job whose check is named ${EVAL_CHECK} (its jobs: ${jobs.join(', ') || 'none'}): ` +
        `name the qualification job ${EVAL_CHECK} (jobs: ${EVAL_CHECK}:), or a required check would never report and block every PR`,
    );
  }
  return checks;
}

async function repository(io: CommandIO, given: string | undefined): Promise<string> {
  if (given !== undefined) {
    if (!/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(given)) {
      throw new UsageError(
        `--repo ${JSON.stringify(given)}: give it as owner/repo, e.g. --repo acme/support-agent`,
      );
    }
    return given;
  }
  let url: string;
  try {
    url = (await gitIn(io)(['remote', 'get-url', 'origin'])).trim();
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    throw new UsageError(
      '--protect: no git remote origin here to name the repository: pass --repo owner/repo',
    );
  }
  const repo = repoOfRemote(url);
  if (!repo)
    throw new UsageError(
      `--protect: the remote origin ${url} is not a GitHub repository URL: pass --repo owner/repo`,
    );
  return repo;
}

/**
 * `qualify init --protect`: require the qualification's checks on the default
 * branch with the ruleset `vitest-qualify` (created, or updated when it exists).
 * The token is `GITHUB_TOKEN`, else `GH_TOKEN`; the repository `--repo`, else
 * the remote origin.
 *
 * @example
 * await protect(io, undefined) // { action: 'created', id: 42, repo: 'acme/agent', checks: ['eval'] }
 */
export async function protect(
  io: CommandIO,
  repo: string | undefined,
): Promise<Protected & { repo: string; checks: string[] }> {
  const token = io.env['GITHUB_TOKEN']?.trim() || io.env['GH_TOKEN']?.trim();
  if (!token) {
    throw new UsageError(
      '--protect: set GITHUB_TOKEN or GH_TOKEN to a token of a repository admin (GH_TOKEN=$(gh auth token) with gh)',
    );
  }
  const checks = await checksOf(io.cwd);
  const slug = await repository(io, repo);
  const client = createGitHubClient(
    githubTarget({ ...io.env, GITHUB_TOKEN: token, GITHUB_REPOSITORY: slug }),
    io.fetch,
  );
  try {
    return { ...(await protectDefaultBranch(client, checks)), repo: slug, checks };
  } catch (error) {
    if (
      error instanceof GitHubError &&
      (error.status === 403 || error.status === 404) &&
      !error.rateLimited
    ) {
      throw new QualifyError(
        'E_PROTECT',
        `${error.message}: writing the ruleset ${RULESET_NAME} needs admin rights on ${slug} (and ${slug} must exist): ` +
          'use the token of a repository admin (fine-grained: Administration read and write), or ask an admin to run the gh api line in the README',
        { cause: error },
      );
    }
    throw error;
  }
}
