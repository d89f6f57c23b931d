/**
 * The worker side: what a case file's generated test module calls. Each case
 * becomes one Vitest test named by its id, grouped by subject.
 * @internal
 */
import { afterAll, describe, expect, inject, test } from 'vitest';
import { createModelClient } from '../providers/client.js';
import type { QualifyModelClient } from '../providers/client.js';
import { shardProviders } from '../providers/shard-limits.js';
import { findAllowEntry } from '../scorecard/status.js';
import { importByPath, type ImportModule } from '../scorers/checks/javascript.js';
import { loadAgent, promptAgent, type Agent } from '../run/agent.js';
import { CONTEXT_KEY, inScope, type CaseModule, type RuntimeContext } from '../run/context.js';
import { flushOnSignal } from './flush-on-signal.js';
import { secretsOf } from '../run/redact.js';
import type { ScoredCase } from './matchers.js';
import { writeCaseMeta } from './meta.js';
import { runCase, type CaseRunner } from '../run/run-case.js';

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
        // The global `expect`, not the test context's: a context `expect` is built per test (about 0.25 ms
        // of CPU and 10 KB kept per case, bench/RESULTS.md), and these matchers need no per-test state.
        run(c.id, { timeout: ctx.caseTimeoutMs }, async ({ task, signal }) => {
          const result = await runCase(getRunner(ctx), c, signal);
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
          expect(scored).toScoreAtLeast(c.min_score);
          expect(scored).notRegressBeyond(budget);
        });
      }
    });
  }
}
