/**
 * The worker side: what a case file's generated test module calls. Each case
 * becomes one Vitest test named by its id, grouped by subject.
 * @internal
 */
import { afterAll, describe, inject, test } from 'vitest';
import { createModelClient } from '../providers/client.js';
import type { QualifyModelClient } from '../providers/client.js';
import { startAttempt } from '../providers/attempt-scope.js';
import { shardProviders } from '../providers/shard-limits.js';
import { findAllowEntry } from '../scorecard/status.js';
import { importByPath, type ImportModule } from '../scorers/checks/javascript.js';
import { loadAgent, promptAgent, type Agent } from '../run/agent.js';
import { CONTEXT_KEY, inScope, type CaseModule, type RuntimeContext } from '../run/context.js';
import { flushOnSignal } from './flush-on-signal.js';
import { secretsOf } from '../run/redact.js';
import { notRegressBeyond, toScoreAtLeast, type ScoredCase } from './matchers.js';
import { writeCaseMeta } from './meta.js';
import { runCase, type CaseRunner } from '../run/run-case.js';
import { afterSecondPass, secondPassGroup, transient, type SecondPassGroup } from '../run/second-pass.js';
import { timedOutResult } from '../run/case-result.js';
import type { ProjectCase } from '../config/project.js';
import type { CaseResult } from '../scorecard/types.js';
import type { RunnerTestCase } from 'vitest';

declare module 'vitest' {
  interface ProvidedContext {
    [CONTEXT_KEY]: RuntimeContext;
  }
}

let runner: CaseRunner | undefined;
let client: QualifyModelClient | undefined;

/** A user module's loader, by absolute path: an `import()` written into a case file's generated module. */
export type ModuleLoaders = Record<string, () => Promise<unknown>>;

/** Every loader the case files of this worker handed over; the same path always loads the same module. */
const loaders = new Map<string, () => Promise<unknown>>();

/**
 * Agents and `javascript` check files load through the case files' loaders, which Vite transforms
 * (plugin.ts `caseModuleCode`); a module no case file named falls back to Node's own `import()`.
 */
const importModule: ImportModule = async (file) => {
  const load = loaders.get(file);
  return (await (load ? load() : importByPath(file))) as Record<string, unknown>;
};

/** One runner per worker: one client (limits, cache), agents loaded once. */
function getRunner(ctx: RuntimeContext): CaseRunner {
  if (runner) return runner;
  const created = createModelClient({
    // A shard takes its share of each provider's limits: the shards together keep rubric.yaml's.
    providers: shardProviders(ctx.providers, ctx.shard),
    prices: ctx.prices,
    cache: ctx.cache,
    env: process.env,
    replayPurposes: ctx.rescore ? ['agent'] : [],
  });
  client = created;
  // A cancelled run keeps the answers it paid for: pending cassette entries are written first.
  flushOnSignal(() => created.flush());
  const agents = new Map<string, Promise<Agent>>();
  runner = {
    ctx,
    client: created,
    secrets: secretsOf(process.env),
    importModule,
    agentFor(subject) {
      let agent = agents.get(subject);
      if (!agent) {
        const entry = ctx.subjects[subject]?.entry;
        agent = entry
          ? loadAgent(entry, ctx.root, importModule)
          : Promise.resolve(promptAgent(ctx.systemPrompt));
        agents.set(subject, agent);
      }
      return agent;
    },
  };
  return runner;
}

/**
 * Define the tests of one case file. Called by the module the plugin generates
 * from a case file, with a loader for each agent and check module its cases run.
 */
export function defineCaseTests(module: CaseModule, modules: ModuleLoaders = {}): void {
  for (const [file, load] of Object.entries(modules)) loaders.set(file, load);
  const ctx = inject(CONTEXT_KEY);
  if (!ctx) {
    throw new Error(
      'vitest-qualify: no run context; case files run only in a project with the qualify() plugin',
    );
  }
  const bySubject = new Map<string, CaseModule['cases']>();
  for (const c of module.cases) {
    const cases = bySubject.get(c.subject);
    if (cases) cases.push(c);
    else bySubject.set(c.subject, [c]);
  }

  afterAll(async () => {
    await client?.flush();
  });

  for (const [subject, cases] of bySubject) {
    describe(subject, () => {
      for (const c of cases) {
        const run = inScope(c, ctx.scope) ? test.concurrent : test.skip;
        run(c.id, { timeout: ctx.testTimeoutMs }, async ({ task, signal }) => {
          const result = await runTwice(ctx, c, task, signal);
          writeCaseMeta(task.meta, result);
          if (result.error) {
            const error = new Error(`case ${c.id}: ${result.error.kind} error: ${result.error.message}`);
            // A one-line failure, not a stack trace into the plugin; with QUALIFY_DEBUG=1 the agent's own
            // frames follow, as the scorecard has them. In the message, so every Vitest prints them as they are.
            if (ctx.debug && result.error.stack) {
              error.message += result.error.stack.map((frame) => `\n    ${frame}`).join('');
            }
            error.stack = error.message;
            throw error;
          }
          // Object.assign, not a spread with added properties: about 20 us per case on Node 20 (bench/FINDINGS.md).
          const scored: ScoredCase = Object.assign({}, result, {
            // A baseline judged again with today's judge and criteria is compared as re-judged.
            baseline_points: result.rejudged
              ? result.rejudged.mean
              : Object.hasOwn(ctx.baseline, c.id)
                ? ctx.baseline[c.id]
                : undefined,
            allow: findAllowEntry(ctx.allowlist, c.id, ctx.model, ctx.today),
            // Holm rejects a p-value at or below level / compared whatever the other cases show; one above
            // it may still be confirmed by the reporter, which sees them all (docs/scoring.md).
            confirmed: result.confirmation
              ? result.confirmation.p <= ctx.gate.level / ctx.gate.compared
              : undefined,
          });
          const budget = ctx.subjects[c.subject]?.budget ?? 3;
          assertMatcher(toScoreAtLeast(scored, c.min_score));
          assertMatcher(notRegressBeyond(scored, budget));
        });
      }
    });
  }
}

/**
 * What `expect(scored).toScoreAtLeast(min)` would throw, without `expect`: the matchers are plain
 * functions of the result, and `expect` costs every case its matcher state (about 5% of the worker's
 * CPU at 0 ms per call, bench/FINDINGS.md). The error is the one `expect.extend` throws: the
 * message, and `actual` and `expected` for Vitest's diff.
 */
function assertMatcher(outcome: ReturnType<typeof toScoreAtLeast>): void {
  if (outcome.pass) return;
  throw Object.assign(new Error(outcome.message()), { actual: outcome.actual, expected: outcome.expected });
}

/** The second-pass group of each describe block (a subject's cases in one case file). */
const groups = new WeakMap<object, SecondPassGroup>();

/**
 * A case's first pass and, when it errored transiently, its second pass after its group and a
 * cool-down (run/second-pass.ts). Each pass has its own `case_timeout_s`.
 */
async function runTwice(
  ctx: RuntimeContext,
  c: ProjectCase,
  task: RunnerTestCase,
  signal: AbortSignal,
): Promise<CaseResult> {
  const first = await runPass(ctx, c, signal);
  const settings = ctx.secondPass;
  const group = settings && task.suite ? groupOf(task.suite, ctx, settings) : undefined;
  if (!group) return first;
  try {
    if (first.error === null || !transient(first.error) || signal.aborted) return first;
    await group.wait(signal);
    if (signal.aborted) return first;
    return afterSecondPass(first, await runPass(ctx, c, signal));
  } finally {
    group.settled();
  }
}

function groupOf(
  suite: NonNullable<RunnerTestCase['suite']>,
  ctx: RuntimeContext,
  settings: NonNullable<RuntimeContext['secondPass']>,
): SecondPassGroup {
  let group = groups.get(suite);
  if (!group) {
    // The tests that run: out of scope, filtered by `-t` or left out by `.only`, a test's mode is not 'run'.
    const size = suite.tasks.filter((t) => t.type === 'test' && t.mode === 'run').length;
    group = secondPassGroup({ size, slots: ctx.maxConcurrency, ...settings });
    groups.set(suite, group);
  }
  return group;
}

/** One pass of a case, bounded by `case_timeout_s` even when the agent ignores the signal. */
async function runPass(ctx: RuntimeContext, c: ProjectCase, signal: AbortSignal): Promise<CaseResult> {
  // The same signal-and-deadline an attempt has (providers/attempt-scope.ts), here for a whole pass.
  const scope = startAttempt({ timeoutMs: ctx.caseTimeoutMs, signal });
  const timedOut = new Promise<CaseResult>((resolve) => {
    scope.signal.addEventListener('abort', () => {
      if (scope.timedOut()) resolve(timedOutResult(c, ctx.caseTimeoutMs));
    });
  });
  try {
    return await Promise.race([runCase(getRunner(ctx), c, scope.signal), timedOut]);
  } finally {
    scope.dispose();
  }
}
