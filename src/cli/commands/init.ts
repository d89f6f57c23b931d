import path from 'node:path';
import { UsageError } from '../../errors.js';
import { parseModelRef } from '../../providers/model-ref.js';
import { EXIT, type CommandIO, type CommandSpec, type ParsedOptions } from '../command.js';
import { leaveBehind } from './init/files.js';
import { EVAL_CHECK, protect } from './init/protect.js';
import { installCommand } from './init/package-json.js';
import {
  installedPackages,
  place,
  placeGitignore,
  placePackageJson,
  placeVitestConfig,
  readOptional,
  type InitFileResult,
} from './init/place.js';
import { booleanOption, stringOption } from '../args/options.js';
import { printResult } from '../output.js';
import { EVAL_PROJECT_SNIPPET } from '../templates/vitest-config.js';
import { SEED_EMBEDDINGS } from '../templates/providers.js';
import type { SeedModels } from '../templates/rubric.js';

const DEFAULT_MODEL = 'anthropic:claude-sonnet-4-6';
const DEFAULT_JUDGE = 'openai:gpt-5';

/** The four models of the leave-behind, from the flags, a terminal's answers or the defaults. */
async function chooseModels(io: CommandIO, options: ParsedOptions): Promise<SeedModels> {
  const model = await chooseModel(
    io,
    'model',
    stringOption(options, 'model'),
    'Model the agent runs on (provider:model)',
    DEFAULT_MODEL,
  );
  const judge = await chooseModel(
    io,
    'judge',
    stringOption(options, 'judge'),
    'Judge model (provider:model)',
    DEFAULT_JUDGE,
  );
  const fallback = await chooseModel(
    io,
    'fallback',
    stringOption(options, 'fallback'),
    'Fallback model (provider:model)',
    undefined,
  );
  const embeddings = await chooseModel(
    io,
    'embeddings',
    stringOption(options, 'embeddings'),
    'Embedding model for answer relevancy (provider:model)',
    SEED_EMBEDDINGS,
  );
  return { model: model!, judge: judge!, fallback, embeddings };
}

/** The model for one flag: given, else asked on a terminal, else the default; checked. */
async function chooseModel(
  io: CommandIO,
  flag: string,
  given: string | undefined,
  question: string,
  fallback: string | undefined,
): Promise<string | undefined> {
  let value = given;
  if (value === undefined && io.isTTY && io.ask) {
    const answer = (await io.ask(`${question} [${fallback ?? 'none'}]: `)).trim();
    value = answer === '' ? undefined : answer;
  }
  value ??= fallback;
  if (value === undefined) return undefined;
  try {
    parseModelRef(value);
  } catch (error) {
    throw new UsageError(`--${flag}: ${(error as Error).message}`);
  }
  return value;
}

function describe(result: InitFileResult): string {
  const verb = { written: 'wrote', overwritten: 'updated', skipped: 'skipped', snippet: 'left' }[
    result.action
  ];
  return `${verb} ${result.path}${result.reason ? ` (${result.reason})` : ''}`;
}

/**
 * `qualify init`: add the leave-behind to an existing repository.
 *
 * @example
 * await runCli(['init', '--model', 'anthropic:claude-sonnet-4-6', '--judge', 'openai:gpt-5'], io)
 */
export const init: CommandSpec = {
  name: 'init',
  summary:
    'Add rubric.yaml, the case set, the allowlist, the failure playbook, the CI workflows and npm run eval.',
  description:
    'Adds the files a qualification needs to the repository in the current directory: `rubric.yaml` with the ' +
    'seed thresholds (`rubric_min_score` 0.82, `ragas` 0.78, `max_per_case_regression` 3), `eval/cases.yaml` ' +
    'with two example cases, an empty `eval/allowlist.yaml`, `ops/failure_playbook.md` with the models and ' +
    'history blocks that `promote` rewrites, `.github/workflows/eval.yml` (passing the secrets of the providers ' +
    'the models name, and only those; for Bedrock, AWS credentials by OIDC: `id-token: write` and ' +
    '`aws-actions/configure-aws-credentials` with `secrets.AWS_ROLE_ARN` and `vars.AWS_REGION`; for Vertex, workload identity federation through google-github-actions/auth instead of a key), `.github/workflows/watch.yml` (daily `qualify watch`, with the secrets of ' +
    'the primary and fallback providers), a `vitest.config.ts` (`.mts` in a package that is not `"type": "module"`) with the `eval` ' +
    'project (or, when a Vitest or Vite config exists, the project to add to it), the `eval` script in ' +
    '`package.json` and `eval/out/` in `.gitignore`. It never overwrites a file without `--force`, writes ' +
    'nothing on a second run, and asks nothing unless stdin is a terminal and a model flag is missing. With ' +
    '`--protect` it then makes the `eval` check (and, when the workflow shards, the check of the job that runs ' +
    '`--merge-reports`) required on the default branch: one branch ruleset named `vitest-qualify` through the ' +
    'GitHub REST API, created the first time and updated after, with the token in `GITHUB_TOKEN` or `GH_TOKEN` ' +
    "(a repository admin's) for the repository `--repo` names, else the remote origin.",
  positionals: [],
  options: {
    model: {
      type: 'string',
      value: '<provider:model>',
      description: `The model the agent runs on (model_primary). Without it: asked on a terminal, else ${DEFAULT_MODEL}.`,
    },
    judge: {
      type: 'string',
      value: '<provider:model>',
      description: `The judge model, pinned. Without it: asked on a terminal, else ${DEFAULT_JUDGE}.`,
    },
    fallback: {
      type: 'string',
      value: '<provider:model>',
      description: 'The fallback model (model_fallback and the playbook). Without it: none.',
    },
    embeddings: {
      type: 'string',
      value: '<provider:model>',
      description: `The embedding model for answer relevancy, pinned. Without it: asked on a terminal, else ${SEED_EMBEDDINGS}.`,
    },
    force: { type: 'boolean', description: 'Overwrite files that exist and differ (never a Vitest config).' },
    protect: {
      type: 'boolean',
      description:
        "Require the eval check (and the merge job's when sharded) on the default branch: the ruleset vitest-qualify, " +
        'token from GITHUB_TOKEN or GH_TOKEN (admin).',
    },
    repo: {
      type: 'string',
      value: '<owner/repo>',
      description: 'The repository --protect writes the ruleset to. Default: the remote origin.',
    },
  },
  examples: [
    'npx qualify init',
    'npx qualify init --model anthropic:claude-sonnet-4-6 --fallback openai:gpt-5-mini --judge openai:gpt-5',
    'npx qualify init --model openai-compatible:llama-3.3-70b --judge openai-compatible:qwen3-32b --embeddings openai-compatible:bge-m3',
    'GH_TOKEN=$(gh auth token) npx qualify init --protect',
  ],
  async run({ options }, io) {
    const force = booleanOption(options, 'force');
    const wantsProtect = booleanOption(options, 'protect');
    const repo = stringOption(options, 'repo');
    if (repo !== undefined && !wantsProtect) {
      throw new UsageError('--repo names the repository --protect writes to: add --protect, or drop --repo');
    }
    const models = await chooseModels(io, options);

    const results: InitFileResult[] = [];
    for (const file of leaveBehind(models)) results.push(await place(io.cwd, file.path, file.content, force));
    results.push(await placeVitestConfig(io.cwd));
    results.push(await placePackageJson(io.cwd, force));
    results.push(await placeGitignore(io.cwd));

    const changed = results.filter((r) => r.action === 'written' || r.action === 'overwritten');
    const snippet = results.some((r) => r.action === 'snippet') ? EVAL_PROJECT_SNIPPET : undefined;
    const lines = results.map(describe);
    if (snippet)
      lines.push('', 'Add this project to test.projects in your Vitest config:', '', snippet.trimEnd());
    const install = installCommand(
      await readOptional(path.join(io.cwd, 'package.json')),
      installedPackages(io.cwd),
    );
    const next = [
      ...(install === undefined ? [] : [install]),
      'npx qualify demo (a first run, no keys needed)',
      'npm run eval and npx qualify promote for the first baseline',
    ];
    const json = booleanOption(options, 'json');
    let ruleset: Awaited<ReturnType<typeof protect>> | undefined;
    try {
      ruleset = wantsProtect ? await protect(io, repo) : undefined;
    } catch (error) {
      if (!json) printResult(io, false, undefined, lines); // what was written, before the error line
      throw error;
    }
    lines.push(
      '',
      ruleset
        ? `${ruleset.action} the ruleset vitest-qualify on ${ruleset.repo}: ${ruleset.checks.join(' and ')} ` +
            'required on the default branch'
        : `make ${EVAL_CHECK} a required check on the default branch (a PR cannot merge past a failed ` +
            'qualification): npx qualify init --protect, with an admin token in GITHUB_TOKEN or GH_TOKEN',
      changed.length === 0
        ? 'nothing to write: the leave-behind is already here'
        : `next: ${next.join(', then ')}`,
    );
    const data = { ok: true, files: results, snippet, ...(ruleset ? { ruleset } : {}) };
    printResult(io, json, data, lines);
    return EXIT.ok;
  },
};
