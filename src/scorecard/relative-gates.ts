/**
 * Relative gates (docs/scoring.md "Relative gates"): this run's agent cost, latency, time to first
 * token and tokens against the baseline's, on the cases both scored, each held to a percentage
 * budget. Noise-aware: a gate fails (or asks for review, per `on_exceed`) only when the lower end of
 * the increase's paired bootstrap interval is over the budget; an estimate over it whose interval
 * reaches below it is `review`, "over budget, not confirmed". Pure: the reporter writes.
 */
import {
  RELATIVE_GATE_NAMES,
  type RelativeGateName,
  type RelativeGateSetting,
  type RelativeGateSettings,
} from '../config/schema/relative-gates.js';
import type { Price } from '../providers/types.js';
import { asAgentUsage, measures, unpricedModels, type Measures } from './relative-measures.js';
import { ratioBootstrap, type Pair, type Statistic } from './relative-bootstrap.js';
import type { AgentUsage, RelativeGate } from './relative-gate-types.js';
import type { ScorecardCase, Verdict } from './types.js';

/** Fewer compared cases than this and a gate is not applicable: no interval means much below it. */
export const MIN_COMPARED_CASES = 5;

/** What one subject's relative gates are computed from. */
export interface RelativeGateInput {
  subject: string;
  settings: RelativeGateSettings;
  /** This subject's cases, as the verdict judged them. */
  cases: readonly Pick<ScorecardCase, 'id' | 'status' | 'score' | 'agent_usage'>[];
  /** The baseline scorecard's cases (loose: other fields pass through), or `null` with no baseline. */
  baseline: { cases: readonly { id: string; points: number | null; status?: unknown }[] } | null;
  /** rubric.yaml `prices:`, merged over the built-in table: both sides are priced with it. */
  prices: Record<string, Price>;
}

interface Spec {
  unit: RelativeGate['unit'];
  statistic: Statistic;
  measure: keyof Measures;
}

const SPECS: Record<RelativeGateName, Spec> = {
  cost_per_case: { unit: 'usd', statistic: 'mean', measure: 'cost' },
  cost_total: { unit: 'usd', statistic: 'sum', measure: 'cost' },
  latency_p50: { unit: 'ms', statistic: { quantile: 0.5 }, measure: 'latency' },
  latency_p95: { unit: 'ms', statistic: { quantile: 0.95 }, measure: 'latency' },
  ttft_p50: { unit: 'ms', statistic: { quantile: 0.5 }, measure: 'ttft' },
  ttft_p95: { unit: 'ms', statistic: { quantile: 0.95 }, measure: 'ttft' },
  output_tokens: { unit: 'tokens', statistic: 'mean', measure: 'output' },
  reasoning_tokens: { unit: 'tokens', statistic: 'mean', measure: 'reasoning' },
};

/** Why a quantity is missing on some compared cases, for a gate left with too few. */
const UNMEASURED: Partial<Record<keyof Measures, string>> = {
  latency: 'with live agent calls on both sides (a trial answered from cassettes has no latency)',
  ttft: 'where the agent streamed on both sides',
  reasoning:
    'with reasoning tokens recorded on both sides (the provider reports them, or the baseline predates them)',
};

/**
 * The subject's relative gates, in the order of `RELATIVE_GATE_NAMES`; only the ones `settings` names.
 *
 * @example
 * relativeGates({ subject: 'agent', settings: { cost_per_case: { max_increase: 0.2, on_exceed: 'fail' } }, cases, baseline, prices })[0].status // 'fail'
 */
export function relativeGates(input: RelativeGateInput): RelativeGate[] {
  const named = RELATIVE_GATE_NAMES.filter((name) => input.settings[name] !== undefined);
  if (named.length === 0) return [];
  const compared = comparedCases(input);
  return named.map((name) => gateOf(name, input.settings[name]!, input.subject, compared, input.prices));
}

/**
 * The run's (or a subject's) verdict with its relative gates: `error` stays; a failed gate fails; a
 * gate for review makes a passing verdict `review` (docs/architecture.md 2.6).
 *
 * @example
 * withRelativeGates('pass', [{ status: 'review' }]) // 'review'
 */
export function withRelativeGates(verdict: Verdict, gates: readonly Pick<RelativeGate, 'status'>[]): Verdict {
  if (verdict === 'error' || verdict === 'fail') return verdict;
  if (gates.some((g) => g.status === 'fail')) return 'fail';
  if (gates.some((g) => g.status === 'review')) return 'review';
  return verdict;
}

interface Compared {
  /** Cases scored on both sides. */
  scored: number;
  /** Of those, the ones whose agent usage both sides recorded. */
  pairs: { id: string; baseline: AgentUsage; candidate: AgentUsage }[];
  note: string | undefined;
}

/** The compared set: present, scored and not errored on both sides, with agent usage on both. */
function comparedCases(input: RelativeGateInput): Compared {
  if (!input.baseline) return { scored: 0, pairs: [], note: 'no baseline to compare with' };
  const before = new Map<string, { points: number | null; status?: unknown; agent_usage?: unknown }>();
  for (const c of input.baseline.cases) before.set(c.id, c);
  let scored = 0;
  const pairs: Compared['pairs'] = [];
  for (const c of input.cases) {
    const b = before.get(c.id);
    if (!b || b.points === null || b.status === 'error' || c.status === 'error' || c.score === null) continue;
    scored += 1;
    const baseline = asAgentUsage(b.agent_usage);
    if (baseline && c.agent_usage && c.agent_usage.trials > 0)
      pairs.push({ id: c.id, baseline, candidate: c.agent_usage });
  }
  const note =
    scored > 0 && pairs.length === 0
      ? 'the baseline records no agent usage per case (written by an earlier version): re-qualify the current primary to record it'
      : undefined;
  return { scored, pairs, note };
}

function gateOf(
  name: RelativeGateName,
  setting: RelativeGateSetting,
  subject: string,
  compared: Compared,
  prices: Record<string, Price>,
): RelativeGate {
  const spec = SPECS[name];
  const gate: RelativeGate = {
    name,
    subject,
    unit: spec.unit,
    baseline: null,
    candidate: null,
    increase: null,
    budget: setting.max_increase,
    interval: null,
    status: 'not_applicable',
    on_exceed: setting.on_exceed,
    cases: 0,
    note: '',
  };
  if (compared.note !== undefined || compared.scored === 0) {
    gate.note = `not applicable: ${compared.note ?? 'no case was scored on both sides'}`;
    return gate;
  }
  if (spec.measure === 'cost') {
    const unpriced = unpricedModels(compared.pairs, prices);
    if (unpriced.length > 0) {
      gate.note = `not applicable: no price for ${unpriced.join(', ')}: add it under prices: in rubric.yaml`;
      return gate;
    }
  }
  const pairs: Pair[] = [];
  for (const p of compared.pairs) {
    const baseline = measures(p.baseline, prices)[spec.measure];
    const candidate = measures(p.candidate, prices)[spec.measure];
    if (baseline !== null && candidate !== null) pairs.push({ id: p.id, baseline, candidate });
  }
  gate.cases = pairs.length;
  if (pairs.length < MIN_COMPARED_CASES) {
    const where = UNMEASURED[spec.measure] ?? 'with agent usage on both sides';
    gate.note = `not applicable: ${pairs.length} compared case${pairs.length === 1 ? '' : 's'} ${where}; ${MIN_COMPARED_CASES} needed`;
    return gate;
  }
  const estimate = ratioBootstrap(`${subject}/${name}`, pairs, spec.statistic);
  gate.baseline = round(estimate.baseline);
  gate.candidate = round(estimate.candidate);
  if (estimate.increase === null) {
    gate.note = 'not applicable: the baseline measured 0, so no increase is defined';
    return gate;
  }
  gate.increase = round(estimate.increase);
  gate.interval = estimate.interval && [round(estimate.interval[0]), round(estimate.interval[1])];
  const ci = estimate.interval
    ? ` (90 % interval ${percent(estimate.interval[0])}..${percent(estimate.interval[1])})`
    : '';
  const budget = `the ${percent(setting.max_increase)} budget`;
  if (estimate.increase <= setting.max_increase) {
    gate.status = 'pass';
    gate.note = `${percent(estimate.increase)}${ci}, within ${budget}`;
  } else if ((estimate.interval?.[0] ?? estimate.increase) > setting.max_increase) {
    gate.status = setting.on_exceed;
    gate.note = `${percent(estimate.increase)}${ci}, over ${budget}`;
  } else {
    gate.status = 'review';
    gate.note = `${percent(estimate.increase)}: over budget, not confirmed${ci}`;
  }
  return gate;
}

/**
 * An increase as a signed percentage, one decimal: `+40.0 %`, `−3.2 %`.
 *
 * @example
 * percent(0.4) // '+40.0 %'
 */
export function percent(fraction: number): string {
  if (!Number.isFinite(fraction)) return '+∞ %';
  const value = (fraction * 100).toFixed(1);
  return fraction < 0 ? `−${value.slice(1)} %` : `+${value} %`;
}

function round(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}

/** rubric.yaml's relative gates as the verdict takes them: per subject (merged), the rubric's, and the prices. */
export interface RelativeGateConfig {
  default?: RelativeGateSettings | undefined;
  subjects?: Record<string, RelativeGateSettings | undefined> | undefined;
  prices: Record<string, Price>;
}

/**
 * Every subject's relative gates, by subject; a subject that sets none (and inherits none) has none.
 *
 * @example
 * relativeGatesBySubject(config, cases, baseline).agent?.[0]?.name // 'cost_per_case'
 */
export function relativeGatesBySubject(
  config: RelativeGateConfig,
  cases: readonly Pick<ScorecardCase, 'id' | 'subject' | 'status' | 'score' | 'agent_usage'>[],
  baseline: RelativeGateInput['baseline'],
): Record<string, RelativeGate[]> {
  const out: Record<string, RelativeGate[]> = {};
  for (const subject of [...new Set(cases.map((c) => c.subject))]) {
    const settings = config.subjects?.[subject] ?? config.default;
    if (!settings) continue;
    const own = cases.filter((c) => c.subject === subject);
    const gates = relativeGates({ subject, settings, cases: own, baseline, prices: config.prices });
    if (gates.length > 0) out[subject] = gates;
  }
  return out;
}
