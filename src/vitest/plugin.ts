import { createHash } from 'node:crypto';
import { writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
// Brings the `test` key of Vite's config and the `configureVitest` hook into scope.
import type {} from 'vitest/config';
import { loadProject } from '../config/load.js';
import { problemLines } from '../config/problems.js';
import type { Project, ProjectCase } from '../config/project.js';
import { isQualifyError } from '../errors.js';
import { gitRunner, type GitRunner } from '../internal/git.js';
import { checkCassettes } from '../providers/cache/check.js';
import { cacheModeFromEnv } from '../providers/cache/mode.js';
import { parseModelRef } from '../providers/model-ref.js';
import { checkProviderSetup, modelsInUse } from '../providers/setup-check.js';
import type { ProviderSettings } from '../providers/types.js';
import { CONTEXT_KEY, inScope, scopeFromEnv, type CaseModule, type RuntimeContext } from '../run/context.js';
import { loadBaseline } from './baseline-source.js';
import { progressInterval } from './progress.js';
import { QualifyReporter, type ReporterSetup } from './reporter.js';
import { watchCaseFiles } from './watch.js';

/** Options of the `qualify()` plugin. */
export interface QualifyOptions {
  /** Path of rubric.yaml, relative to the project root. Default `rubric.yaml`. */
  rubric?: string | undefined;
  /** The repository root; default the Vitest root. */
  root?: string | undefined;
  /** Environment to read (`QUALIFY_*`, keys); default `process.env`. */
  env?: Record<string, string | undefined> | undefined;
  /** @internal For tests. */
  git?: GitRunner | undefined;
  /** @internal For tests. */
  now?: (() => Date) | undefined;
}

/** @internal */
export interface State {
  project: Project;
  ctx: RuntimeContext;
  setup: ReporterSetup;
  /** Absolute case file -> hash of the text its cases were loaded from. */
  loaded: Map<string, string>;
  /** Absolute case file -> its cases, in file order: what the file's generated module defines. */
  byFile: Map<string, ProjectCase[]>;
  /** Checks the providers this run calls (setup-check.ts); rejects with one line per problem. */
  checkProviders: () => Promise<void>;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
const RUNTIME = path.join(here, `runtime${ext}`);
const SETUP = path.join(here, `setup${ext}`);

/**
 * The vitest-qualify plugin: every case of every case file named in rubric.yaml
 * becomes a Vitest test; the reporter writes the scorecard and gates the run.
 *
 * @example
 * // vitest.config.ts
 * export default defineConfig({ test: { projects: [{ plugins: [qualify()], test: { name: 'eval' } }] } })
 */
export function qualify(options: QualifyOptions = {}): Plugin {
  let state: State | undefined;
  /** A config problem, raised only if this project is selected: `--project unit` must not fail on rubric.yaml. */
  let deferred: unknown;
  const env = options.env ?? process.env;

  /**
   * A user's config error at start-up: one line per problem on stderr, no stack, exit code 2 (Vitest
   * would say 1). The lines are printed here and the process ends here, because every Vitest release
   * prints a plugin's thrown error its own way (4.1 in a `Startup Error` banner, 5.1.2 with the plugin
   * and hook fields appended): the one-line contract cannot rest on that. Nothing has run yet.
   */
  const failAtStart = (error: unknown): never => {
    if (!isQualifyError(error)) throw error;
    writeSync(
      2,
      problemLines(error)
        .map((line) => `vitest-qualify: ${line}\n`)
        .join(''),
    );
    process.exit(2);
  };

  /** A config error on a watch-mode reload: printed the same way, and the watcher goes on. */
  const fail = (error: unknown): never => {
    if (!isQualifyError(error)) throw error;
    const lines = problemLines(error).map((line) => `vitest-qualify: ${line}`);
    const plain = new Error(lines.join('\n'));
    plain.name = 'vitest-qualify';
    plain.stack = lines.join('\n');
    throw plain;
  };

  const reload = async (): Promise<void> => {
    const fresh = await prepare(state!.ctx.root, options, env).catch(fail);
    state!.project = fresh.project;
    state!.loaded = fresh.loaded;
    state!.byFile = fresh.byFile;
    state!.checkProviders = fresh.checkProviders;
    state!.setup.expected = fresh.setup.expected;
  };

  return {
    name: 'vitest-qualify',
    enforce: 'pre',
    async config(user) {
      const root = path.resolve(options.root ?? user.root ?? process.cwd());
      try {
        state = await prepare(root, options, env);
      } catch (error) {
        deferred = error;
        return { test: { include: [], passWithNoTests: false } };
      }
      const include = state.project.subjects.flatMap((s) =>
        s.caseFiles.map((f) => path.relative(root, f).split(path.sep).join('/')),
      );
      return {
        // An agent's own imports may use the tsconfig `paths` aliases its editor resolves (Vite 8).
        ...(user.resolve?.tsconfigPaths === undefined ? { resolve: { tsconfigPaths: true } } : {}),
        test: {
          include,
          setupFiles: [SETUP],
          maxConcurrency: state.project.rubric.max_concurrency,
          testTimeout: state.ctx.caseTimeoutMs,
          // One worker, reused across case files: provider limits and the response
          // cache are per process, so one process keeps them global and warm.
          pool: 'forks',
          maxWorkers: 1,
          isolate: false,
        },
      };
    },
    async configureVitest({ vitest, project }) {
      if (!selected(vitest.config.project, project.name, env)) {
        // A plain `vitest run` (the repository's own `npm test`) spends no tokens: no case, no scorecard.
        (project.config as { include: string[] }).include = [];
        // When it is the only project nothing is left to run, and "No test files found" must not fail
        // the repository's test run (so another project with no files passes too).
        vitest.config.passWithNoTests = true;
        vitest.logger.log(
          `vitest-qualify: the ${project.name} project runs only when selected: vitest run --project ${project.name}`,
        );
        return;
      }
      if (deferred !== undefined) failAtStart(deferred);
      if (!state) return;
      // Only for a selected eval project, before any case: a missing key is one line, not an error per case.
      await state.checkProviders().catch(failAtStart);
      state.setup.projectName = project.name;
      project.provide(CONTEXT_KEY, state.ctx);
      vitest.config.reporters.push(new QualifyReporter(state.setup));
      if (vitest.config.watch) {
        // A re-run of edited cases must evaluate the file afresh: in watch mode each run gets its own worker.
        (project.config as { isolate: boolean }).isolate = true;
        watchCaseFiles(vitest, project, () => state, reload);
      }
    },
    async transform(code, id) {
      const file = path.resolve(id.split('?')[0]!);
      if (!state?.loaded.has(file)) return undefined;
      // Edited since it was loaded (watch mode): load the project again, checked across files.
      if (state.loaded.get(file) !== hash(code)) await reload();
      const payload: CaseModule = { file, cases: state.byFile.get(file) ?? [] };
      const modules = userModules(payload.cases, state.ctx.subjects, state.ctx.root);
      // No source map: the module is generated, so there is nothing to map it back to, and Vite would
      // otherwise build one (with the whole payload as its source) that Vitest inlines into the module.
      return { code: caseModuleCode(RUNTIME, payload, modules), map: { mappings: '' } };
    },
  };
}

/**
 * Whether a run asked for the eval project by name: a `--project` filter that matches it (wildcards
 * as Vitest reads them; a negation alone selects nothing), or `QUALIFY_RUN=1`. Without either, a
 * plain `vitest run` leaves it out, so a repository's own `npm test` never runs the qualification.
 * @internal
 *
 * @example
 * selected([], 'eval', {}) // false
 * selected(['eval'], 'eval', {}) // true
 * selected(['ev*'], 'eval', {}) // true
 */
export function selected(
  filters: readonly string[] | undefined,
  name: string,
  env: Record<string, string | undefined>,
): boolean {
  if (env['QUALIFY_RUN'] === '1') return true;
  return (filters ?? []).some((filter) => {
    if (filter.startsWith('!')) return false;
    const pattern = filter.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    return new RegExp(`^${pattern.join('.*')}$`, 'i').test(name);
  });
}

async function prepare(
  root: string,
  options: QualifyOptions,
  env: Record<string, string | undefined>,
): Promise<State> {
  const project = await loadProject({ cwd: root, ...(options.rubric ? { rubricPath: options.rubric } : {}) });
  const rubric = project.rubric;
  const model = env['QUALIFY_MODEL']?.trim() || rubric.model_primary;
  parseModelRef(model);
  const now = options.now ?? (() => new Date());
  const git = options.git ?? gitRunner(env);
  const baseline = await loadBaseline({
    cwd: root,
    file: path.relative(root, project.files.baseline),
    env,
    git,
  });
  const scope = scopeFromEnv(env);
  const rescore = env['QUALIFY_RESCORE'] === '1';
  const mode = cacheModeFromEnv(env);
  const progressIntervalMs = progressInterval(env, {
    stdout: process.stdout.isTTY === true,
    stderr: process.stderr.isTTY === true,
  });
  // A cassette that does not parse is a config error before any call, not an error of every case.
  if (mode === 'auto' || mode === 'replay' || rescore) await checkCassettes(project.files.cacheDir, root);
  const allowlist = project.allowlist.map(({ source: _source, ...entry }) => entry);
  const ctx: RuntimeContext = {
    root,
    model,
    judge: rubric.judge,
    embeddings: rubric.embeddings,
    judgeSamples: rubric.judge_samples,
    judgeTemperature: rubric.judge_temperature,
    relevancy: rubric.relevancy,
    systemPrompt: rubric.system_prompt,
    subjects: Object.fromEntries(
      project.subjects.map((s) => [s.name, { entry: s.entry, budget: s.thresholds.max_per_case_regression }]),
    ),
    providers: Object.fromEntries(
      Object.entries(rubric.providers).filter((e): e is [string, ProviderSettings] => e[1] !== undefined),
    ),
    prices: rubric.prices,
    // A rescore reads the agent's recorded calls whatever the mode said.
    cache: { mode: rescore && mode !== 'replay' ? 'auto' : mode, dir: project.files.cacheDir },
    baseline: Object.fromEntries((baseline.baseline?.cases ?? []).map((c) => [c.id, c.points])),
    allowlist,
    today: now().toISOString().slice(0, 10),
    scope,
    caseTimeoutMs: rubric.case_timeout_s * 1000,
    rescore,
    debug: env['QUALIFY_DEBUG'] === '1',
  };
  const [branch, commit] = await Promise.all([
    gitLine(git, root, ['rev-parse', '--abbrev-ref', 'HEAD'], env['GITHUB_HEAD_REF']),
    gitLine(git, root, ['rev-parse', 'HEAD'], env['GITHUB_SHA']),
  ]);
  const setup: ReporterSetup = {
    root,
    projectName: '',
    model,
    judge: rubric.judge,
    embeddings: rubric.embeddings,
    thresholds: {
      default: rubric.thresholds,
      subjects: Object.fromEntries(project.subjects.map((s) => [s.name, s.thresholds])),
    },
    baseline,
    allowlist,
    expected: project.cases
      .filter((c) => inScope(c, scope))
      .map((c) => ({
        id: c.id,
        subject: c.subject,
        tags: c.tags ?? [],
        node: c.node,
        min_score: c.min_score,
      })),
    outputs: { json: project.files.scorecardJson, markdown: project.files.scorecardMarkdown },
    env,
    branch,
    commit,
    rescore,
    progressIntervalMs,
    now,
  };
  const loaded = new Map<string, string>();
  for (const file of project.subjects.flatMap((s) => s.caseFiles)) {
    loaded.set(file, hash(await readFile(file, 'utf8')));
  }
  const byFile = new Map<string, ProjectCase[]>();
  for (const c of project.cases) {
    const file = path.resolve(root, c.source.file);
    const cases = byFile.get(file);
    if (cases) cases.push(c);
    else byFile.set(file, [c]);
  }
  const entries = new Map(project.subjects.map((s) => [s.name, s.entry]));
  const uses = modelsInUse({
    candidate: model,
    judge: rubric.judge,
    embeddings: rubric.embeddings,
    rescore,
    rubricCriteria: rubric.criteria.length,
    cases: project.cases
      .filter((c) => inScope(c, scope))
      .map((c) => ({
        criteria: c.criteria?.length ?? 0,
        context: (c.context?.length ?? 0) > 0,
        agentModule: entries.get(c.subject) !== undefined,
      })),
  });
  const checkProviders = () =>
    checkProviderSetup({
      root,
      uses,
      mode: ctx.cache.mode,
      cacheDir: project.files.cacheDir,
      providers: ctx.providers,
      env,
    });
  return { project, ctx, setup, loaded, byFile, checkProviders };
}

/**
 * The module generated from a case file: the runtime imported, its cases passed
 * as one JSON string, and a loader for each user module its cases run (agent
 * entries, `javascript` check files). A string literal is one token to Vite's
 * import analysis and to V8, where an object literal of 500 cases is a syntax
 * tree of tens of thousands of nodes (parsed in the main process, compiled in
 * the worker).
 *
 * The loaders are literal `import()`s in this module because it is the user's
 * case file, which Vite transforms: the runtime, installed in node_modules, is
 * not, so an `import()` of a `.ts` agent from there would reach Node unchanged
 * (`Unknown file extension ".ts"` on Node 20). Through the case file, the agent
 * and what it imports go through Vite, tsconfig `paths` included.
 * @internal
 *
 * @example
 * caseModuleCode('/pkg/vitest/runtime.js', { file: '/repo/eval/cases.yaml', cases }, ['/repo/agents/returns.ts'])
 * // import { defineCaseTests } from "/pkg/vitest/runtime.js";
 * // defineCaseTests(JSON.parse("{\"file\":...}"), {
 * //   "/repo/agents/returns.ts": () => import("/repo/agents/returns.ts"),
 * // });
 */
export function caseModuleCode(
  runtime: string,
  payload: CaseModule,
  modules: readonly string[] = [],
): string {
  const json = JSON.stringify(JSON.stringify(payload));
  const loaders = modules.map(
    (file) => `  ${JSON.stringify(file)}: () => import(${JSON.stringify(file.split(path.sep).join('/'))}),\n`,
  );
  return (
    `import { defineCaseTests } from ${JSON.stringify(runtime)};\n` +
    `defineCaseTests(JSON.parse(${json}), {\n${loaders.join('')}});\n`
  );
}

/**
 * The user modules the cases of one case file run: their subjects' agent
 * entries and their `javascript` check files, absolute, each once, sorted.
 * @internal
 *
 * @example
 * userModules(cases, { returns: { entry: '/repo/agents/returns.ts', budget: 3 } }, '/repo')
 * // ['/repo/agents/returns.ts', '/repo/checks/cites-policy.ts']
 */
export function userModules(
  cases: readonly ProjectCase[],
  subjects: RuntimeContext['subjects'],
  root: string,
): string[] {
  const files = new Set<string>();
  for (const c of cases) {
    const entry = subjects[c.subject]?.entry;
    if (entry !== undefined) files.add(entry);
    for (const check of c.checks ?? []) {
      if (check.kind === 'javascript') files.add(path.resolve(root, check.value));
    }
  }
  return [...files].sort();
}

async function gitLine(
  git: GitRunner,
  cwd: string,
  args: string[],
  preferred: string | undefined,
): Promise<string | null> {
  if (preferred) return preferred;
  return (await git(args, cwd).catch(() => '')).trim() || null;
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
