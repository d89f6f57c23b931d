import path from 'node:path';
import { readConfigText } from '../../config/read-file.js';
import { ConfigError, isQualifyError, UsageError } from '../../errors.js';
import { createAdapter } from '../../providers/adapters.js';
import { SUPPORTED_PROVIDERS, type ProviderSettings, type SupportedProvider } from '../../providers/types.js';
import { booleanOption, numberOption } from '../args/options.js';
import { EXIT, type CommandIO, type CommandSpec, type ExitCode, type ParsedOptions } from '../command.js';
import { readRubricFile } from '../files/rubric-file.js';
import { createGitHubClient } from '../github/client.js';
import { githubTarget } from '../github/context.js';
import { printResult } from '../output.js';
import { defaultBranch, existingProposal, openProposal, type ExistingProposal } from './watch/github.js';
import {
  findCandidates,
  newestFirst,
  releaseDate,
  type Candidate,
  type ProviderFindings,
} from './watch/plan.js';
import { EMPTY_STATE, parseWatchState, WATCH_STATE_FILE } from './watch/state-file.js';

const DEFAULT_TIMEOUT_S = 60;

/** One watched provider in `qualify watch --json`. */
export interface WatchedProvider extends Partial<ProviderFindings> {
  provider: string;
  /** How many models the provider listed; absent when it could not list them. */
  listed?: number;
  /** Why the provider could not be listed. */
  error?: string;
}

/** What `qualify watch --json` prints. */
export interface WatchResult {
  ok: boolean;
  dry_run: boolean;
  providers: WatchedProvider[];
  opened: { model: string; branch: string; number: number; url: string; commit: string }[];
  /** Candidates GitHub already has a branch or PR for. */
  existing: ({ model: string } & ExistingProposal)[];
  /** With --dry-run: what would be opened. */
  would_open: { model: string; branch: string; released: string }[];
  /** New models left for a later run (over --max-prs). */
  deferred: string[];
}

/**
 * `qualify watch`: list the models of each provider under `watch:` in rubric.yaml and
 * open one qualification PR for a new release (docs/cli.md).
 *
 * @example
 * // .github/workflows/watch.yml, daily:
 * //   - run: npx qualify watch
 * //     env: { GITHUB_TOKEN: ${{ secrets.QUALIFY_WATCH_TOKEN || secrets.GITHUB_TOKEN }}, ANTHROPIC_API_KEY: ... }
 * await watch.run({ positionals: [], options: { 'dry-run': true } }, io)
 */
export const watch: CommandSpec = {
  name: 'watch',
  summary: 'Open a qualification PR when a provider lists a new model matching watch: in rubric.yaml.',
  description:
    "Lists the models of each provider under `watch:` in rubric.yaml through its SDK's models endpoint " +
    '(OpenAI, Anthropic, openai-compatible, Bedrock, Vertex; a provider that cannot list says so, Azure among them: its models ' +
    'are deployments you name). A model is new when its id matches one of ' +
    "the provider's globs and it is not `model_primary` or `model_fallback`, not in `eval/watch-state.json`, " +
    'not released before `model_primary` (when the list dates both), and GitHub has no branch ' +
    '`model/<provider>-<model>` nor a pull request from it, open or closed. For the newest new model ' +
    '(`--max-prs` of them), through the GitHub REST API only: the branch from the head of the default branch, ' +
    'one commit changing the `model_primary` line of rubric.yaml (every other byte kept; the message names ' +
    "the release date and the provider's changelog), one commit recording the model in " +
    '`eval/watch-state.json`, and the pull request. Reads GITHUB_TOKEN, GITHUB_REPOSITORY and GITHUB_API_URL. ' +
    'Exit 0 when done or nothing is new, 1 when a provider could not be listed or GitHub refused, 2 on a ' +
    'usage or config error.',
  positionals: [],
  options: {
    'dry-run': {
      type: 'boolean',
      description:
        'Print what would be opened; write nothing to GitHub (read-only lookups when a token is set).',
    },
    'max-prs': {
      type: 'string',
      value: '<n>',
      default: '1',
      description:
        'Open at most this many PRs in one run, newest release first; the rest wait for the next run.',
    },
  },
  examples: ['npx qualify watch --dry-run', 'npx qualify watch'],
  async run({ options }, io) {
    const lines: string[] = [];
    try {
      return await runWatch(options, io, lines);
    } catch (error) {
      if (!isQualifyError(error)) throw error;
      // What was done before the failure (a PR opened, the listings) is still said.
      if (!booleanOption(options, 'json')) io.stdout.write(lines.map((line) => `${line}\n`).join(''));
      if (booleanOption(options, 'json')) {
        io.stdout.write(
          `${JSON.stringify({ ok: false, error: { code: error.code, message: error.message } }, null, 2)}\n`,
        );
      }
      io.stderr.write(`qualify watch: ${error.message}\n`);
      return error instanceof UsageError || error instanceof ConfigError ? EXIT.usage : EXIT.no;
    }
  },
};

/** `lines` collects what is printed at the end, so a failure half-way can print it too. */
async function runWatch(options: ParsedOptions, io: CommandIO, lines: string[]): Promise<ExitCode> {
  const json = booleanOption(options, 'json');
  const dryRun = booleanOption(options, 'dry-run');
  const maxPrs = numberOption(options, 'max-prs') ?? 1;
  if (!Number.isInteger(maxPrs) || maxPrs < 1) {
    throw new UsageError(`--max-prs takes a whole number of at least 1; found ${maxPrs}`);
  }
  const { rubric } = await readRubricFile(io.cwd);
  const result: WatchResult = {
    ok: true,
    dry_run: dryRun,
    providers: [],
    opened: [],
    existing: [],
    would_open: [],
    deferred: [],
  };
  const say = (line: string) => lines.push(`qualify watch: ${line}`);
  const finish = (code: ExitCode): ExitCode => {
    printResult(io, json, result, lines);
    return code;
  };
  if (rubric.watch === undefined || Object.values(rubric.watch).every((g) => g === undefined)) {
    say('nothing to watch: rubric.yaml has no watch: section (docs/cli.md "qualify watch")');
    return finish(EXIT.ok);
  }
  const stateText = await readConfigText(path.resolve(io.cwd, WATCH_STATE_FILE), WATCH_STATE_FILE, {
    hint: '',
    optional: true,
  });
  const state = stateText === undefined ? EMPTY_STATE : parseWatchState(stateText, WATCH_STATE_FILE);
  const seen = new Set(Object.keys(state.seen));
  const current = [rubric.model_primary, ...(rubric.model_fallback ? [rubric.model_fallback] : [])];

  const candidates: Candidate[] = [];
  for (const [provider, patterns] of Object.entries(rubric.watch)) {
    if (patterns === undefined) continue;
    const settings = (rubric.providers as Record<string, ProviderSettings | undefined>)[provider] ?? {};
    // An Azure model is a deployment its owner names: the models endpoint lists base models, not those.
    const adapter =
      isSupported(provider) && provider !== 'azure' ? createAdapter(provider, settings, io.env) : undefined;
    if (adapter?.listModels === undefined) {
      const why =
        provider === 'azure' ? ' (an Azure model is a deployment you name: watch openai instead)' : '';
      result.ok = false;
      result.providers.push({ provider, error: `cannot list models${why}` });
      say(`${provider}: cannot list models${why}`);
      continue;
    }
    let listed;
    try {
      listed = await adapter.listModels({ timeoutMs: (settings.timeout_s ?? DEFAULT_TIMEOUT_S) * 1000 });
    } catch (error) {
      if (!isQualifyError(error)) throw error;
      result.ok = false;
      result.providers.push({ provider, error: error.message });
      say(`${provider}: cannot list models: ${error.message}`);
      continue;
    }
    const findings = findCandidates({ provider, listed, patterns, current, seen });
    result.providers.push({ provider, listed: listed.length, ...findings });
    candidates.push(...findings.candidates);
    const news = findings.candidates.map((c) => c.model);
    say(
      `${provider}: ${listed.length} listed, ${findings.candidates.length + findings.skipped.length} matching ` +
        `${patterns.join(', ')}, ${news.length} new${news.length ? `: ${news.join(', ')}` : ''}`,
    );
  }
  candidates.sort(newestFirst);

  const offline = dryRun && !io.env['GITHUB_TOKEN']?.trim();
  const client =
    candidates.length === 0 || offline ? undefined : createGitHubClient(githubTarget(io.env), io.fetch);
  if (offline && candidates.length) say('not checked against GitHub: GITHUB_TOKEN is not set');
  const today = io.now().toISOString().slice(0, 10);
  let base: string | undefined;
  for (const candidate of candidates) {
    const existing = client ? await existingProposal(client, candidate) : undefined;
    if (existing) {
      result.existing.push({ model: candidate.model, ...existing });
      say(`${candidate.model}: already proposed: ${describeExisting(existing)}`);
      continue;
    }
    const done = result.opened.length + result.would_open.length;
    if (done >= maxPrs) {
      result.deferred.push(candidate.model);
      continue;
    }
    const { date, known } = releaseDate(candidate, today);
    const released = known ? `released ${date}` : `release date unknown, ${date} (today) used`;
    if (dryRun) {
      result.would_open.push({ model: candidate.model, branch: candidate.branch, released: date });
      say(`would open a PR for ${candidate.model} (${released}) on branch ${candidate.branch}`);
      continue;
    }
    base ??= await defaultBranch(client!);
    const opened = await openProposal(client!, { candidate, base, today });
    result.opened.push({ model: candidate.model, ...opened });
    say(`opened PR #${opened.number} for ${candidate.model} (${released}): ${opened.url}`);
  }
  if (result.deferred.length) {
    say(`left for a later run (--max-prs ${maxPrs}): ${result.deferred.join(', ')}`);
  }
  if (!candidates.length && result.ok) say('nothing new');
  return finish(result.ok ? EXIT.ok : EXIT.no);
}

/** `PR #12 (closed) https://...`, or `branch model/... exists`. */
function describeExisting(existing: ExistingProposal): string {
  return existing.pr
    ? `PR #${existing.pr.number} (${existing.pr.state}) ${existing.pr.url}`.trim()
    : `branch ${existing.branch} exists`;
}

function isSupported(provider: string): provider is SupportedProvider {
  return (SUPPORTED_PROVIDERS as readonly string[]).includes(provider);
}
