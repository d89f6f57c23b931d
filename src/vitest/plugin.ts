import { writeSync } from 'node:fs';
import v8 from 'node:v8';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
// Brings the `test` key of Vite's config and the `configureVitest` hook into scope.
import type {} from 'vitest/config';
import type { Vitest } from 'vitest/node';
import { problemLines } from '../config/problems.js';
import { isQualifyError } from '../errors.js';
import type { GitRunner } from '../internal/git.js';
import { shardLimitLines } from '../providers/shard-limits.js';
import { CONTEXT_KEY, inScope } from '../run/context.js';
import { cassetteCompactor } from './compact-cassettes.js';
import { casesPayload } from './case-index.js';
import { caseFileHash, caseModuleCode } from './case-module.js';
import { useParts, type PartsIndex } from './parts.js';
import { prepare, type State } from './prepare.js';
import { QualifyReporter } from './reporter.js';
import { caseCountSequencer } from './sequencer.js';
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
  /** @internal For tests: how a start-up refusal leaves (default: its lines to fd 2, then exit code 2). */
  refuse?: ((lines: string[]) => never) | undefined;
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
  const refuse = options.refuse;
  /** The parts of the large case files (none in watch mode); transform() builds each stub's module. */
  let split: PartsIndex | undefined;

  const reload = async (): Promise<void> => {
    const fresh = await prepare(state!.ctx.root, options, env).catch(failOnReload);
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
      tightenHeapGrowth();
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
          testTimeout: state.ctx.testTimeoutMs,
          // One worker, reused across case files: provider limits and the response
          // cache are per process, so one process keeps them global and warm.
          pool: 'forks',
          maxWorkers: 1,
          isolate: false,
          ...workerHeapFlags(user.test?.execArgv),
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
      if (deferred !== undefined) failAtStart(deferred, refuse);
      if (!state) return;
      // Only for a selected eval project, before any case: a missing key is one line, not an error per case.
      await state.checkProviders().catch((error: unknown) => failAtStart(error, refuse));
      state.setup.projectName = project.name;
      // Each shard is its own process with its own limiters: the worker takes this shard's share.
      const shard = vitest.config.shard;
      state.ctx.shard = shard ? { index: shard.index, count: shard.count } : undefined;
      for (const line of shardLimitLines(state.ctx.providers, state.ctx.shard)) {
        vitest.logger.log(`vitest-qualify: ${line}`);
      }
      if (!vitest.config.watch) {
        const current = state;
        const summaries = new Map([...current.byFile].map(([file, indexed]) => [file, indexed.summaries]));
        split = await useParts(
          current.ctx.root,
          project.config as { include: string[]; exclude: string[] },
          summaries,
          current.loaded,
          (c) => inScope(c, current.ctx.scope),
        );
        if (shard) await shardByCases(vitest, split);
      }
      project.provide(CONTEXT_KEY, state.ctx);
      vitest.config.reporters.push(new QualifyReporter(state.setup));
      vitest.config.reporters.push(
        cassetteCompactor(state.ctx.cache.dir, state.ctx.cache.mode, (message) =>
          vitest.logger.warn(`vitest-qualify: ${message}`),
        ),
      );
      if (vitest.config.watch) {
        // A re-run of edited cases must evaluate the file afresh: in watch mode each run gets its own worker.
        (project.config as { isolate: boolean }).isolate = true;
        watchCaseFiles(vitest, project, () => state, reload);
      }
    },
    async transform(code, id) {
      const file = path.resolve(id.split('?')[0]!);
      // A part of a large case file is its range of the source's cases (the cases name the source and line).
      const part = split?.parts.get(file);
      if (!state || (!part && !state.loaded.has(file))) return undefined;
      // Edited since it was loaded (watch mode, which has no parts): load the project again, checked across files.
      if (!part && state.loaded.get(file) !== caseFileHash(code)) await reload();
      const source = part?.source ?? file;
      const indexed = state.byFile.get(source);
      const payload = casesPayload(source, indexed?.cases ?? [], part?.start, part?.end);
      // No source map: the module is generated, so there is nothing to map it back to, and Vite would
      // otherwise build one (with the whole payload as its source) that Vitest inlines into the module.
      return { code: caseModuleCode(RUNTIME, payload, indexed?.modules ?? []), map: { mappings: '' } };
    },
  };
}

/**
 * A sharded run: unless the user chose a sequencer, shards get modules by their cases, not by count
 * (sequencer.ts), and a shard left with no module passes (the plan may ask for more shards than the
 * assignment fills). `BaseSequencer` is imported here, not at the top: the package's entry is
 * imported by agents in the worker, where `vitest/node` has no place.
 */
async function shardByCases(vitest: Vitest, split: PartsIndex): Promise<void> {
  vitest.config.passWithNoTests = true;
  const { BaseSequencer } = await import('vitest/node');
  if (vitest.config.sequence.sequencer !== BaseSequencer) return;
  vitest.config.sequence.sequencer = caseCountSequencer(BaseSequencer, (id) => split.weights.get(id));
}

/**
 * How far V8 lets a heap grow between full collections: at most half its live size (V8's default
 * goes up to four times). A qualification's processes keep little (the worker a few tens of MB, the
 * main process the scorecard's results) and allocate a lot per case (requests, replies, task
 * updates), so with the default most of their memory is garbage waiting for a collection: at 10,000
 * cases the worker's resident memory was 210 MB against 155 MB with this, at the same CPU
 * (bench/FINDINGS.md, issue 16). A flag the user set for the worker is left as it is.
 */
const HEAP_GROWTH_FLAG = '--heap-growing-percent=50';

function workerHeapFlags(execArgv: readonly string[] | undefined): { execArgv?: string[] } {
  const own = execArgv?.some((arg) => arg.startsWith('--heap-growing-percent'));
  return own ? {} : { execArgv: [HEAP_GROWTH_FLAG] };
}

/**
 * The main process's heap too, from before the case files are read (V8 reads the factor at each
 * collection). Set whenever the plugin is configured, selected or not: it changes when garbage is
 * collected, not what runs.
 */
function tightenHeapGrowth(): void {
  if (process.execArgv.some((arg) => arg.startsWith('--heap-growing-percent'))) return;
  if (process.env['NODE_OPTIONS']?.includes('--heap-growing-percent')) return;
  v8.setFlagsFromString(HEAP_GROWTH_FLAG);
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

/**
 * A user's config error at start-up: one line per problem on stderr, no stack, exit code 2 (Vitest
 * would say 1). The lines are printed here and the process ends here, because every Vitest release
 * prints a plugin's thrown error its own way (4.1 in a `Startup Error` banner, 5.1.2 with the plugin
 * and hook fields appended): the one-line contract cannot rest on that. Nothing has run yet.
 */
function failAtStart(error: unknown, refuse: (lines: string[]) => never = exitWith): never {
  if (!isQualifyError(error)) throw error;
  return refuse(problemLines(error).map((line) => `vitest-qualify: ${line}`));
}

function exitWith(lines: string[]): never {
  writeSync(2, lines.map((line) => `${line}\n`).join(''));
  process.exit(2);
}

/** A config error on a watch-mode reload: printed the same way, and the watcher goes on. */
function failOnReload(error: unknown): never {
  if (!isQualifyError(error)) throw error;
  const lines = problemLines(error).map((line) => `vitest-qualify: ${line}`);
  const plain = new Error(lines.join('\n'));
  plain.name = 'vitest-qualify';
  plain.stack = lines.join('\n');
  throw plain;
}
