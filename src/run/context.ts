import type { ProjectCase } from '../config/project.js';
import type { Shard } from '../providers/shard-limits.js';
import type { CacheMode, Price, ProviderSettings } from '../providers/types.js';
import type { AllowEntry } from '../scorecard/status.js';
import type { StoredOutput } from '../scorecard/types.js';
import type { GateContext } from './confirm.js';

/** The key under which the plugin provides the run's context to test workers (`inject`). */
export const CONTEXT_KEY = 'vitest-qualify';

/**
 * Everything a test worker needs to run and score cases, prepared once in the
 * main process and handed over with `project.provide()`. Plain JSON.
 */
export interface RuntimeContext {
  root: string;
  /** The candidate model (`model_primary`, or `QUALIFY_MODEL`). */
  model: string;
  judge: string;
  embeddings: string;
  judgeSamples: number;
  /** `judge_temperature`; `undefined`: 0 for one sample, 1 for several. */
  judgeTemperature: number | undefined;
  relevancy: { strictness: number; noncommittal_gate: 'all' | 'any' };
  systemPrompt: string | undefined;
  subjects: Record<string, { entry: string | undefined; budget: number }>;
  /** `providers:` of rubric.yaml as written; the worker builds its limiters with `shardProviders(providers, shard)`. */
  providers: Record<string, ProviderSettings>;
  /** Vitest's `config.shard` of this run (`--shard=index/count`), set by the plugin; absent unsharded. */
  shard?: Shard | undefined;
  prices: Record<string, Price>;
  cache: { mode: CacheMode; dir: string };
  /** Baseline points by case id (`null`: the case errored in the baseline). */
  baseline: Record<string, number | null>;
  allowlist: AllowEntry[];
  /** Today, YYYY-MM-DD, for allowlist expiry. */
  today: string;
  scope: Scope;
  /** One pass of a case at most (`case_timeout_s`). */
  caseTimeoutMs: number;
  /** A test at most: a first pass, the wait for its group, the cool-down and a second pass. */
  testTimeoutMs: number;
  /** Tests Vitest runs at once (`max_concurrency`). */
  maxConcurrency: number;
  /** The second pass of a case that errored transiently; absent when turned off. */
  secondPass?: { coolDownMs: number; maxWaitMs: number } | undefined;
  /** `qualify rescore`: the agent's calls are answered only from the cassettes. */
  rescore: boolean;
  /** `QUALIFY_DEBUG=1`: a failed case's terminal message carries the agent's stack (its user frames). */
  debug: boolean;
  /** The noise-aware gate: its settings, the baseline's model and stored trial statistics. */
  gate: GateContext;
  /**
   * Stored baseline outputs to judge again with today's judge and criteria (docs/scoring.md "When the
   * judge changes"): for the comparison where what the baseline was judged with changed, and as the
   * drift probe where nothing did. Absent: nothing to judge again.
   */
  rejudge?: RejudgePlan | undefined;
}

/** The stored baseline outputs a worker judges again, by case id. */
export interface RejudgePlan {
  /** Cases compared with their re-judged baseline. */
  compare: Record<string, StoredOutput[]>;
  /** Cases of the drift probe. */
  probe: Record<string, StoredOutput[]>;
  /**
   * The trial number the probe's judge calls carry in their cache key: one per day, so a recorded
   * answer (`QUALIFY_CACHE=auto`) stands in for the judge for a day at most.
   */
  probeTrial: number;
}

/** A run scoped to a node id or tags (`QUALIFY_NODE`, `QUALIFY_TAGS`). */
export interface Scope {
  node?: string | undefined;
  tags?: string[] | undefined;
}

/** The generated test module's payload: one case file's cases. */
export interface CaseModule {
  file: string;
  cases: ProjectCase[];
}

/** Scope from the environment: `QUALIFY_NODE=prompt-repair`, `QUALIFY_TAGS=billing,adversarial` (any of). */
export function scopeFromEnv(env: Record<string, string | undefined>): Scope {
  const tags = env['QUALIFY_TAGS']
    ?.split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  return {
    node: env['QUALIFY_NODE']?.trim() || undefined,
    tags: tags && tags.length > 0 ? tags : undefined,
  };
}

/** Whether a case is in scope: its node matches, and it has any of the tags. */
export function inScope(
  c: { node?: string | undefined; tags?: string[] | undefined },
  scope: Scope,
): boolean {
  if (scope.node !== undefined && c.node !== scope.node) return false;
  if (scope.tags !== undefined && !scope.tags.some((t) => c.tags?.includes(t))) return false;
  return true;
}
