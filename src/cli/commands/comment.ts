import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConfigError, isQualifyError, UsageError } from '../../errors.js';
import { stringOption } from '../args/options.js';
import { EXIT, type CommandIO, type CommandSpec, type ExitCode, type ParsedOptions } from '../command.js';
import { createGitHubClient, GitHubError } from '../github/client.js';
import { githubTarget, pullNumberOf, runUrlOf } from '../github/context.js';
import { DEFAULT_MARKER_ID, markerOf, upsertStickyComment } from '../github/sticky.js';
import { fitComment } from '../github/trim.js';

const DEFAULT_SCORECARD = 'eval/out/scorecard.md';
const NO_WRITE =
  'the token cannot write PR comments (a fork PR has a read-only token); the scorecard is in the step summary and the artifact';

/** What `qualify comment --json` prints. */
export interface CommentResult {
  action: 'created' | 'updated' | 'skipped';
  id?: number;
  url?: string;
  trimmed: boolean;
  /** Why nothing was posted, for `skipped`. */
  reason?: 'not-a-pull-request' | 'no-permission';
}

/**
 * `qualify comment`: create or update one sticky scorecard comment on the PR.
 *
 * @example
 * // in .github/workflows/eval.yml, after `npm run eval`:
 * //   - run: npx qualify comment --scorecard eval/out/scorecard.md
 * //     env: { GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }} }
 * await commentCommand.run({ positionals: [], options: { scorecard: 'eval/out/scorecard.md' } }, io)
 */
export const commentCommand: CommandSpec = {
  name: 'comment',
  summary: 'Create or update the one sticky scorecard comment on the pull request.',
  description:
    'Posts the scorecard markdown as a PR comment through the GitHub REST API, or updates the comment ' +
    'a previous run posted (found by a hidden marker), so a PR has one scorecard comment however often ' +
    'it runs. Reads GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_EVENT_PATH and GITHUB_API_URL (GitHub ' +
    'Enterprise). A scorecard over GitHub’s 65,536-character limit is trimmed at section boundaries ' +
    '(verdict, gates and failing cases kept) with a link to the artifact. Outside a PR, or with a ' +
    'read-only token (a fork PR), it says so and exits 0.',
  positionals: [],
  options: {
    scorecard: {
      type: 'string',
      value: '<md>',
      default: DEFAULT_SCORECARD,
      description: 'The scorecard markdown to post.',
    },
    'artifact-url': {
      type: 'string',
      value: '<url>',
      description: 'Where the full scorecard is, linked when it is trimmed. Default: the workflow run.',
    },
    marker: {
      type: 'string',
      value: '<id>',
      default: DEFAULT_MARKER_ID,
      description: 'Names the sticky comment; use one per scorecard when a PR posts several.',
    },
  },
  examples: [
    'npx qualify comment --scorecard eval/out/scorecard.md',
    'npx qualify comment --scorecard eval/out/drafter.md --marker scorecard-drafter --artifact-url "$ARTIFACT_URL"',
  ],
  async run({ options }, io) {
    try {
      return await comment(options, io);
    } catch (error) {
      return fail(error, options['json'] === true, io);
    }
  },
};

async function comment(options: ParsedOptions, io: CommandIO): Promise<ExitCode> {
  const json = options['json'] === true;
  const marker = markerOf(stringOption(options, 'marker') ?? DEFAULT_MARKER_ID);
  const artifactUrl = httpUrl(stringOption(options, 'artifact-url'));
  const scorecardPath = stringOption(options, 'scorecard') ?? DEFAULT_SCORECARD;
  const markdown = await readFile(resolve(io.cwd, scorecardPath), 'utf8').catch(
    (error: NodeJS.ErrnoException) => {
      throw new UsageError(
        `cannot read --scorecard ${scorecardPath} (${error.code ?? error.message}); ` +
          'run `vitest run --project eval` first, or pass the path of the scorecard markdown',
      );
    },
  );

  const found = await pullRequestOf(io);
  if ('notInPr' in found) {
    return done(io, json, { action: 'skipped', trimmed: false, reason: 'not-a-pull-request' }, found.notInPr);
  }
  const { pr } = found;
  const client = createGitHubClient(githubTarget(io.env), io.fetch);
  const fitted = fitComment({ marker, markdown, link: artifactUrl ?? runUrlOf(io.env) });
  try {
    const posted = await upsertStickyComment(client, { pr, marker, body: fitted.body });
    const note = fitted.trimmed
      ? ` (trimmed to fit GitHub’s limit; left out: ${fitted.leftOut.join(', ')})`
      : '';
    return done(
      io,
      json,
      { action: posted.action, id: posted.id, url: posted.url, trimmed: fitted.trimmed },
      `${posted.action} the scorecard comment on PR #${pr}: ${posted.url}${note}`,
    );
  } catch (error) {
    const denied = error instanceof GitHubError && (error.status === 403 || error.status === 404);
    if (!denied || error.rateLimited) throw error;
    return done(
      io,
      json,
      { action: 'skipped', trimmed: fitted.trimmed, reason: 'no-permission' },
      `GitHub answered ${error.status}: ${NO_WRITE}`,
    );
  }
}

/** The PR number from the event GitHub Actions wrote, or why there is none. */
async function pullRequestOf(io: CommandIO): Promise<{ pr: number } | { notInPr: string }> {
  const path = io.env['GITHUB_EVENT_PATH']?.trim();
  if (!path) return { notInPr: 'not in a pull request (GITHUB_EVENT_PATH is not set): no comment posted' };
  const text = await readFile(resolve(io.cwd, path), 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(
      `cannot read GITHUB_EVENT_PATH ${path} (${error.code ?? error.message}); unset it outside GitHub Actions`,
    );
  });
  let event: unknown;
  try {
    event = JSON.parse(text);
  } catch {
    throw new UsageError(`GITHUB_EVENT_PATH ${path} is not JSON; unset it outside GitHub Actions`);
  }
  const pr = pullNumberOf(event);
  if (pr !== undefined) return { pr };
  const name = io.env['GITHUB_EVENT_NAME']?.trim();
  return {
    notInPr: `not in a pull request (the ${name ? `${name} ` : ''}event names no PR number): no comment posted`,
  };
}

function done(io: CommandIO, json: boolean, result: CommentResult, message: string): ExitCode {
  if (json) {
    io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    if (result.action === 'skipped') io.stderr.write(`qualify comment: ${message}\n`);
  } else io.stdout.write(`qualify comment: ${message}\n`);
  return EXIT.ok;
}

/** A usage or config problem exits 2, a GitHub failure 1; with --json also `{ ok: false, error }` on stdout. */
function fail(error: unknown, json: boolean, io: CommandIO): ExitCode {
  if (!isQualifyError(error)) throw error;
  if (json)
    io.stdout.write(
      `${JSON.stringify({ ok: false, error: { code: error.code, message: error.message } }, null, 2)}\n`,
    );
  io.stderr.write(`qualify comment: ${error.message}\n`);
  return error instanceof UsageError || error instanceof ConfigError ? EXIT.usage : EXIT.no;
}

function httpUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    const url = new URL(value);
    if (url.protocol === 'https:' || url.protocol === 'http:') return url.href;
  } catch {
    // reported below
  }
  throw new UsageError(`--artifact-url ${JSON.stringify(value)} is not an http(s) URL`);
}
