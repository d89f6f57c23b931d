import path from 'node:path';
import { safeParseWithSchema } from '../../config/parse.js';
import { ConfigValidationError } from '../../config/problems.js';
import { RubricSchema, type Rubric } from '../../config/schema/rubric.js';
import { parseYaml } from '../../config/yaml-source.js';
import { QualifyError, UsageError } from '../../errors.js';
import { modelCommits } from './check-pr/model-commits.js';
import { isModelBranch } from './check-pr/branch-name.js';
import { checkPrFacts, type ProtectedPath } from './check-pr/rules.js';
import { EXIT, type CommandSpec } from '../command.js';
import { GitError, gitIn, type Git } from '../../internal/git.js';
import { booleanOption, listOption, stringOption } from '../args/options.js';
import { printResult } from '../output.js';
import { readRubricFile, RUBRIC_FILE } from '../files/rubric-file.js';
import { WATCH_STATE_FILE } from './watch/state-file.js';

/** Files a qualification PR may change besides the baseline and allowlist rubric.yaml names. */
const ALWAYS_ALLOWED = [RUBRIC_FILE, 'ops/failure_playbook.md', WATCH_STATE_FILE];

async function resolveBase(git: Git, given: string | undefined, env: Record<string, string | undefined>) {
  const base = given ?? (env['GITHUB_BASE_REF'] ? `origin/${env['GITHUB_BASE_REF']}` : undefined);
  if (base === undefined) {
    throw new UsageError('pass --base <ref>: the branch the PR merges into, e.g. --base origin/main');
  }
  try {
    await git(['rev-parse', '--verify', '--quiet', `${base}^{commit}`]);
  } catch {
    const name = base.replace(/^origin\//, '');
    throw new QualifyError(
      'E_BASE_REF',
      `the base ref ${base} does not exist here: fetch it (actions/checkout with fetch-depth: 0, ` +
        `or git fetch origin ${name}) or pass the right --base <ref>`,
    );
  }
  return base;
}

async function currentBranch(git: Git, env: Record<string, string | undefined>): Promise<string> {
  if (env['GITHUB_HEAD_REF']) return env['GITHUB_HEAD_REF'];
  const branch = (await git(['rev-parse', '--abbrev-ref', 'HEAD'])).trim();
  if (branch === 'HEAD') {
    throw new QualifyError(
      'E_BRANCH',
      'HEAD is detached: check out the PR branch, or set GITHUB_HEAD_REF to its name',
    );
  }
  return branch;
}

/** rubric.yaml at the base, parsed; `undefined` when the base has none. */
async function baseRubric(
  git: Git,
  base: string,
  file: string,
): Promise<{ data: unknown; rubric?: Rubric } | undefined> {
  let text: string;
  try {
    text = await git(['show', `${base}:${file}`]);
  } catch (error) {
    if (error instanceof GitError) return undefined;
    throw error;
  }
  const parsed = parseYaml(text, `${base}:${file}`);
  if (!parsed.source) throw new ConfigValidationError(parsed.problems);
  const validated = safeParseWithSchema(RubricSchema, parsed.source.data ?? {}, parsed.source);
  return { data: parsed.source.data, ...(validated.ok ? { rubric: validated.data } : {}) };
}

/** The paths a qualification PR must not touch, from the rubrics at the base and in the working tree. */
function protectedPaths(rubrics: Rubric[], inRepo: (p: string) => string): ProtectedPath[] {
  const out: ProtectedPath[] = [
    { glob: inRepo('agents/**'), what: 'is under agents/ (the agent)' },
    { glob: '.github/**', what: 'is under .github/ (CI)' },
  ];
  for (const rubric of rubrics) {
    for (const subject of Object.values(rubric.subjects)) {
      for (const glob of subject.cases)
        out.push({ glob: inRepo(glob), what: 'is a case file rubric.yaml names' });
      if (subject.entry)
        out.push({ glob: inRepo(subject.entry), what: 'is the agent module rubric.yaml names' });
    }
  }
  return out;
}

/** The cassette files a qualification run records: `<cache.dir>/<provider>/<model>.jsonl`. */
function cassettes(rubric: Rubric): string {
  return `${rubric.cache.dir.replace(/\/+$/, '')}/**/*.jsonl`;
}

/**
 * `qualify check-pr`: the three-file discipline of a qualification PR, from git itself.
 *
 * @example
 * await runCli(['check-pr', '--base', 'origin/main'], io) // 0, or 1 with one line per violation
 */
export const checkPr: CommandSpec = {
  name: 'check-pr',
  summary: 'Check that a model/ PR changes only model_primary and the files a qualification may change.',
  description:
    'Reads the PR from git: the files changed since the merge base with `--base` (`git diff --name-only ' +
    '<base>...HEAD`), `rubric.yaml` at the base against the working tree, and the branch (`GITHUB_HEAD_REF` or ' +
    'the checked-out branch). On a `model/<provider>-<model>` branch the changed files must be among ' +
    '`rubric.yaml`, `ops/failure_playbook.md`, `eval/watch-state.json` (`qualify watch`), the baseline and ' +
    'allowlist `rubric.yaml` names, the cassettes ' +
    'a qualification run records (`<cache.dir>/**/*.jsonl`, `eval/cassettes/` by default) and what `--allow` ' +
    'names (paths or globs); `agents/**`, `.github/**` and every case file and agent module `rubric.yaml` names must be ' +
    'untouched; in `rubric.yaml` only `model_primary` and `model_fallback` may change (any other key is named ' +
    'with its path); the branch must be named after the new `model_primary`; and every commit that changes the ' +
    '`model_primary` line (`git log <base>..HEAD -- rubric.yaml`, merges left out) must name the release in its ' +
    'message, subject or body: a date `YYYY-MM-DD` (ISO 8601) and an `https://` link, e.g. ' +
    '"Released 2026-11-20: https://www.anthropic.com/news/claude-opus-4-7". On any other branch a ' +
    '`model_primary` change is refused as a model change bolted onto a feature PR. Exits 1 with one line per ' +
    'violation.',
  positionals: [],
  options: {
    base: {
      type: 'string',
      value: '<ref>',
      description:
        'The branch the PR merges into, e.g. origin/main. Default: origin/$GITHUB_BASE_REF in a PR run.',
    },
    allow: {
      type: 'string',
      value: '<path|glob>',
      multiple: true,
      description:
        "Another file a qualification PR may change, or a glob of them (quote it: 'docs/**'), relative to " +
        'the current directory. Never admits a protected path.',
    },
  },
  examples: [
    'npx qualify check-pr --base origin/main',
    "npx qualify check-pr --base origin/main --allow CHANGELOG.md --allow 'docs/releases/**' --json",
  ],
  async run({ options }, io) {
    const git = gitIn(io);
    let prefix: string;
    try {
      prefix = (await git(['rev-parse', '--show-prefix'])).trim();
    } catch (error) {
      if (!(error instanceof GitError)) throw error;
      throw new QualifyError('E_GIT', `${io.cwd} is not in a git repository: run check-pr in the repository`);
    }
    const inRepo = (p: string) => path.posix.normalize(prefix + p.replace(/\\/g, '/').replace(/^\.\//, ''));
    const base = await resolveBase(git, stringOption(options, 'base'), io.env);
    const branch = await currentBranch(git, io.env);
    const diff = await git(['diff', '--name-only', '--no-renames', '-z', `${base}...HEAD`]);
    const changed = diff.split('\0').filter((file) => file !== '');
    const head = await readRubricFile(io.cwd);
    const rubricFile = inRepo(RUBRIC_FILE);
    const atBase = await baseRubric(git, base, rubricFile);
    const rubrics = [head.rubric, ...(atBase?.rubric ? [atBase.rubric] : [])];
    const allowed = [...ALWAYS_ALLOWED, head.rubric.baseline, head.rubric.allowlist];

    const verdict = checkPrFacts({
      branch,
      changed,
      rubricFile,
      base: atBase?.data,
      head: head.source.data,
      headModel: head.rubric.model_primary,
      allowed: [...new Set(allowed.map(inRepo))],
      extra: [cassettes(head.rubric), ...listOption(options, 'allow')].map(inRepo),
      protected: protectedPaths(rubrics, inRepo),
      modelCommits: isModelBranch(branch) ? await modelCommits(git, base, rubricFile) : [],
    });
    const json = {
      ok: verdict.ok,
      branch,
      base,
      qualification: verdict.qualification,
      changed,
      violations: verdict.violations,
    };
    printResult(io, booleanOption(options, 'json'), json, [
      ...verdict.violations.map((v) => v.message),
      verdict.summary,
    ]);
    return verdict.ok ? EXIT.ok : EXIT.no;
  },
};
