import path from 'node:path';
import { loadProject } from '../config/load.js';
import type { Project } from '../config/project.js';
import { checkCassettes } from '../providers/cache/check.js';
import { cacheModeFromEnv } from '../providers/cache/mode.js';
import { parseModelRef } from '../providers/model-ref.js';
import { providerEndpoint } from '../providers/provider-env.js';
import { checkProviderSetup } from '../providers/setup-check.js';
import { modelsInUse } from '../providers/setup-plan.js';
import type { CacheMode, ProviderSettings } from '../providers/types.js';
import { gitRunner, type GitRunner } from '../internal/git.js';
import type { Rubric } from '../config/schema/rubric.js';
import type { GateContext } from '../run/confirm.js';
import { ConfigError } from '../errors.js';
import type { Baseline, LoadedBaseline } from '../scorecard/baseline.js';
import type { ScoringIdentity } from '../scorecard/types.js';
import { scoringPromptsHash } from '../scorers/fingerprint.js';
import { probeTrial } from '../run/rejudge.js';
import { loadBaseline } from './baseline-source.js';
import { planScoring, type ScoringPlan } from './scoring-plan.js';
import { inScope, scopeFromEnv, type RuntimeContext, type Scope } from '../run/context.js';
import { CaseIndexer, type CaseSummary, type IndexedCaseFile } from './case-index.js';
import { caseFileHash } from './case-module.js';
import type { QualifyOptions } from './plugin.js';
import { progressInterval } from './progress.js';
import type { ReporterSetup } from './reporter.js';

type Env = Record<string, string | undefined>;

/** @internal */
export interface State {
  project: Project;
  ctx: RuntimeContext;
  setup: ReporterSetup;
  /** Absolute case file -> hash of the text its cases were loaded from. */
  loaded: Map<string, string>;
  /** Absolute case file -> its cases as JSON text, in file order: what the file's generated module defines. */
  byFile: Map<string, IndexedCaseFile>;
  /** Checks the providers this run calls (setup-check.ts); rejects with one line per problem. */
  checkProviders: () => Promise<void>;
}

/** What one run reads from rubric.yaml, the environment and git, before the parts are assembled. */
interface Inputs {
  root: string;
  project: Project;
  /** The project's cases (the project itself keeps none: `loadProject`'s `onCaseFile`). */
  cases: CaseSummary[];
  model: string;
  baseline: ReporterSetup['baseline'];
  /** The allowlist entries without where they were read from. */
  allowlist: RuntimeContext['allowlist'];
  scope: Scope;
  rescore: boolean;
  mode: CacheMode;
  now: () => Date;
  env: Env;
  /** What this run's scores depend on, and what of the baseline the workers judge again. */
  scoring: ScoringIdentity;
  plan: ScoringPlan;
}

/**
 * Loads the project at `root` and assembles what the plugin hands on: the
 * workers' runtime context, the reporter's setup, the case files' index and the
 * provider check. Rejects with the project's config error.
 * @internal
 */
export async function prepare(root: string, options: QualifyOptions, env: Env): Promise<State> {
  const index = new CaseIndexer(root);
  const loaded = new Map<string, string>();
  const project = await loadProject({
    cwd: root,
    ...(options.rubric ? { rubricPath: options.rubric } : {}),
    onCaseFile: (file, cases, text) => {
      index.add(file, cases);
      // The text it was read from, to notice an edit (watch mode): not read a second time.
      loaded.set(file, caseFileHash(text));
    },
  });
  const cases = index.summaries;
  const model = env['QUALIFY_MODEL']?.trim() || project.rubric.model_primary;
  parseModelRef(model);
  const git = options.git ?? gitRunner(env);
  const baseline = await loadBaseline({
    cwd: root,
    file: path.relative(root, project.files.baseline),
    env,
    git,
  });
  const rescore = env['QUALIFY_RESCORE'] === '1';
  const mode = cacheModeFromEnv(env);
  // A cassette that does not parse is a config error before any call, not an error of every case.
  if (mode === 'auto' || mode === 'replay' || rescore) await checkCassettes(project.files.cacheDir, root);
  const now = options.now ?? (() => new Date());
  const allowlist = project.allowlist.map(({ source: _source, ...entry }) => entry);
  const scope = scopeFromEnv(env);
  const rubric = project.rubric;
  const scoring: ScoringIdentity = {
    judge: rubric.judge,
    embeddings: rubric.embeddings,
    judge_samples: rubric.judge_samples,
    prompts: scoringPromptsHash(),
  };
  const plan = planScoring({
    baseline: baseline.baseline,
    today: scoring,
    cases: cases.filter((c) => inScope(c, scope)),
    probe: rubric.drift_probe,
    fresh: mode !== 'replay' && judgeCallable(rubric, env),
  });
  // A comparison across a changed judge or rubric the baseline cannot be judged again for: one line, exit 2.
  if (plan.refusal)
    throw new ConfigError({ file: baselineLabel(baseline) }, plan.refusal, { code: 'E_BASELINE_JUDGE' });
  const inputs: Inputs = {
    root,
    project,
    cases,
    model,
    baseline,
    allowlist,
    scope,
    rescore,
    mode,
    now,
    env,
    scoring,
    plan,
  };
  const ctx = runtimeContext(inputs);
  const setup = await reporterSetup(inputs, git);
  const byFile = index.finish(ctx.subjects);
  return { project, ctx, setup, loaded, byFile, checkProviders: providerCheck(inputs, ctx) };
}

/**
 * Whether the judge's credentials are set. Without them every judge answer comes from a cassette
 * (an offline `npm run eval` in auto mode), which cannot show drift, so there is no drift probe.
 */
function judgeCallable(rubric: Rubric, env: Env): boolean {
  const { provider } = parseModelRef(rubric.judge);
  return providerEndpoint(provider, rubric.providers[provider] ?? {}, env).missing === undefined;
}

/** What every case reads in the worker (`inject(CONTEXT_KEY)`). */
function runtimeContext({
  root,
  project,
  cases,
  model,
  baseline,
  allowlist,
  scope,
  rescore,
  mode,
  now,
  env,
  plan,
}: Inputs): RuntimeContext {
  const rubric = project.rubric;
  const today = now().toISOString().slice(0, 10);
  const rejudge =
    Object.keys(plan.rejudge).length > 0 || Object.keys(plan.probe).length > 0
      ? { compare: plan.rejudge, probe: plan.probe, probeTrial: probeTrial(today) }
      : undefined;
  return {
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
    today,
    scope,
    ...caseTimeouts(rubric),
    rescore,
    debug: env['QUALIFY_DEBUG'] === '1',
    gate: gateContext(rubric.gate, baseline.baseline, {
      compared: comparedCases(cases, scope, baseline.baseline),
      fresh: !rescore && mode !== 'replay',
    }),
    ...(rejudge ? { rejudge } : {}),
  };
}

/**
 * The timeouts of a case's test: each pass gets `case_timeout_s`; a case waiting for its second pass
 * waits for its group at most two passes' time, then the cool-down. Vitest's own timeout is the sum,
 * a backstop that fires only if a pass outlived its own timer.
 */
function caseTimeouts(
  rubric: Rubric,
): Pick<RuntimeContext, 'caseTimeoutMs' | 'testTimeoutMs' | 'maxConcurrency' | 'secondPass'> {
  const caseTimeoutMs = rubric.case_timeout_s * 1000;
  const maxConcurrency = rubric.max_concurrency;
  if (!rubric.second_pass.enabled) {
    return { caseTimeoutMs, testTimeoutMs: caseTimeoutMs + 5_000, maxConcurrency };
  }
  const secondPass = { coolDownMs: rubric.second_pass.cool_down_s * 1000, maxWaitMs: 2 * caseTimeoutMs };
  const testTimeoutMs = 2 * caseTimeoutMs + secondPass.maxWaitMs + secondPass.coolDownMs + 5_000;
  return { caseTimeoutMs, testTimeoutMs, maxConcurrency, secondPass };
}

/** How errors name the baseline: `main:eval/baseline.json` when read from a ref, else its path. */
function baselineLabel({ source }: LoadedBaseline): string {
  return source.kind === 'git' && source.ref ? `${source.ref}:${source.path}` : source.path;
}

/** Cases in scope with a scored baseline entry. */
function comparedCases(cases: readonly CaseSummary[], scope: Scope, baseline: Baseline | null): number {
  const scored = new Set(baseline?.cases.filter((c) => typeof c.points === 'number').map((c) => c.id));
  return cases.filter((c) => inScope(c, scope) && scored.has(c.id)).length;
}

/**
 * The gate's context: its settings, the baseline's model, its per-case trial statistics (points;
 * from each case's `trials`, whose `std` is the population one) and the noise it measured.
 */
export function gateContext(
  settings: Rubric['gate'],
  baseline: Baseline | null,
  run: { compared: number; fresh: boolean },
): GateContext {
  const trials: GateContext['trials'] = {};
  for (const c of baseline?.cases ?? []) {
    const spread = (c as { trials?: { n?: unknown; std?: unknown } | null }).trials;
    const n = typeof spread?.n === 'number' && spread.n >= 1 ? spread.n : 1;
    const std = typeof spread?.std === 'number' ? spread.std : 0;
    trials[c.id] = { n, sd: n > 1 ? std * 100 * Math.sqrt(n / (n - 1)) : 0 };
  }
  const noise = (baseline as { statistics?: { noise?: { sd?: unknown; df?: unknown } } } | null)?.statistics
    ?.noise;
  const prior =
    typeof noise?.sd === 'number' && typeof noise.df === 'number' && noise.df > 0
      ? { sd: noise.sd, df: Math.min(noise.df, PRIOR_DF_CAP) }
      : { sd: 0, df: 0 };
  return {
    level: settings.level,
    screening_level: settings.screening_level,
    rounds: settings.rounds,
    max_rounds: Math.max(settings.rounds, settings.max_rounds),
    compared: Math.max(1, run.compared),
    baselineModel: baseline?.model ?? null,
    prior,
    trials,
    fresh: run.fresh,
  };
}

/**
 * The most degrees of freedom the baseline's pooled noise counts for in a case's test: it was measured
 * on other cases and another day, so it informs a case's variance without drowning the case's own.
 */
const PRIOR_DF_CAP = 20;

/** What the reporter needs to write the scorecard and gate the run. */
async function reporterSetup(
  { root, project, cases, model, baseline, allowlist, scope, rescore, now, env, scoring, plan }: Inputs,
  git: GitRunner,
): Promise<ReporterSetup> {
  const rubric = project.rubric;
  const [branch, commit] = await Promise.all([
    gitLine(git, root, ['rev-parse', '--abbrev-ref', 'HEAD'], env['GITHUB_HEAD_REF']),
    gitLine(git, root, ['rev-parse', 'HEAD'], env['GITHUB_SHA']),
  ]);
  return {
    root,
    projectName: '',
    model,
    judge: rubric.judge,
    embeddings: rubric.embeddings,
    scoring,
    ...(plan.change ? { rejudge: plan.change } : {}),
    thresholds: {
      default: rubric.thresholds,
      subjects: Object.fromEntries(project.subjects.map((s) => [s.name, s.thresholds])),
    },
    gate: rubric.gate,
    toolChanges: rubric.tool_changes.on_change,
    ...relativeGateSetup(rubric),
    baseline,
    allowlist,
    // The summaries themselves: at 100,000 cases a copy of each is memory the run does not need.
    expected: cases.filter((c) => inScope(c, scope)),
    outputs: { json: project.files.scorecardJson, markdown: project.files.scorecardMarkdown },
    env,
    branch,
    commit,
    rescore,
    progressIntervalMs: progressInterval(env, {
      stdout: process.stdout.isTTY === true,
      stderr: process.stderr.isTTY === true,
    }),
    now,
  };
}

/** The check of the providers the cases in scope call, run only when the eval project is selected. */
function providerCheck(
  { root, project, cases, model, scope, rescore, env }: Inputs,
  ctx: RuntimeContext,
): () => Promise<void> {
  const rubric = project.rubric;
  const entries = new Map(project.subjects.map((s) => [s.name, s.entry]));
  const uses = modelsInUse({
    candidate: model,
    judge: rubric.judge,
    embeddings: rubric.embeddings,
    rescore,
    rubricCriteria: rubric.criteria.length,
    cases: cases
      .filter((c) => inScope(c, scope))
      .map((c) => ({
        criteria: c.criteria,
        context: c.context,
        agentModule: entries.get(c.subject) !== undefined,
      })),
  });
  return () =>
    checkProviderSetup({
      root,
      uses,
      mode: ctx.cache.mode,
      cacheDir: project.files.cacheDir,
      providers: ctx.providers,
      env,
    });
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

/** rubric.yaml's relative gates for the reporter, per subject (merged) and the prices; none when unset. */
function relativeGateSetup(rubric: Inputs['project']['rubric']): Pick<ReporterSetup, 'relativeGates'> {
  const subjects = Object.fromEntries(
    Object.entries(rubric.subjects).map(([name, subject]) => [name, subject.relative_gates]),
  );
  if (!rubric.relative_gates && Object.values(subjects).every((s) => s === undefined)) return {};
  return { relativeGates: { default: rubric.relative_gates, subjects, prices: rubric.prices } };
}
