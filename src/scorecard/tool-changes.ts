/**
 * Tool-use changes (docs/scoring.md "Tool-use changes"): each case's tool calls against the
 * baseline's, on the trials both stored. A release can hold its scores and call tools differently;
 * this lists what changed per case (a call missing, an extra call, other arguments, another order).
 *
 * Noise-aware: each side's trajectory is its modal one over its trials (ties go to the baseline's,
 * then to the earliest trial). A candidate whose modal trajectory the baseline itself made in one of
 * its trials is not a change: that is the agent's own variation. Pure: the reporter writes.
 */
import { argumentKeyDiff, canonicalArguments, normaliseArguments } from '../internal/tool-arguments.js';
import type { CaseToolChanges, ScorecardCase, ToolChange, ToolChangeSummary, Verdict } from './types.js';

/** rubric.yaml `tool_changes.on_change`: a changed trajectory asks for review, or is only recorded. */
export type ToolChangeAction = 'review' | 'ignore';

/** One call as stored in a scorecard (`outputs[].tool_calls`). */
export interface StoredToolCall {
  name: string;
  arguments: string;
}

/** A trajectory: the calls of one trial, in order, their arguments normalised. */
export type Trajectory = { name: string; arguments: unknown }[];

/**
 * A trial's stored calls as a trajectory (normalised arguments: parsed, keys sorted, strings trimmed).
 *
 * @example
 * trajectory([{ name: 'search', arguments: '{"q":" x ","n":1}' }]) // [{ name: 'search', arguments: { n: 1, q: 'x' } }]
 */
export function trajectory(calls: readonly StoredToolCall[] | undefined): Trajectory {
  return (calls ?? []).map((call) => ({ name: call.name, arguments: normaliseArguments(call.arguments) }));
}

/** The text two equal trajectories share. */
function keyOf(calls: readonly StoredToolCall[] | undefined): string {
  return JSON.stringify((calls ?? []).map((c) => [c.name, canonicalArguments(c.arguments)]));
}

/**
 * The modal trajectory's index among `trials`: the most frequent, a tie going to `prefer` (the other
 * side's key) when it is among the tied, else to the earliest trial.
 *
 * @example
 * modalTrial([[], [{ name: 'a', arguments: '{}' }], [{ name: 'a', arguments: '{}' }]]) // 1
 */
export function modalTrial(
  trials: readonly (readonly StoredToolCall[] | undefined)[],
  prefer?: string,
): number {
  const keys = trials.map(keyOf);
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  const top = Math.max(...counts.values());
  if (prefer !== undefined && counts.get(prefer) === top) return keys.indexOf(prefer);
  return keys.findIndex((key) => counts.get(key) === top);
}

/**
 * What changed from the `before` trajectory to `after`: calls missing and extra (by name and count),
 * other arguments for calls made on both sides (the k-th call of a name against the k-th), and the
 * order of the calls both made.
 *
 * @example
 * diffTrajectories(trajectory([{ name: 'lookup_order', arguments: '{}' }]), [])
 * // [{ kind: 'missing', name: 'lookup_order', count: 1 }]
 */
export function diffTrajectories(before: Trajectory, after: Trajectory): ToolChange[] {
  const changes: ToolChange[] = [];
  const names = [...new Set([...before, ...after].map((c) => c.name))];
  const common = new Map<string, number>();
  for (const name of names) {
    const b = before.filter((c) => c.name === name);
    const a = after.filter((c) => c.name === name);
    if (b.length > a.length) changes.push({ kind: 'missing', name, count: b.length - a.length });
    if (a.length > b.length) changes.push({ kind: 'extra', name, count: a.length - b.length });
    const paired = Math.min(a.length, b.length);
    common.set(name, paired);
    for (let k = 0; k < paired; k++) {
      const keys = argumentKeyDiff(b[k]!.arguments, a[k]!.arguments);
      if (keys.added.length + keys.removed.length + keys.changed.length > 0)
        changes.push({ kind: 'arguments', name, call: k + 1, ...keys });
    }
  }
  const shared = (calls: Trajectory): string[] => {
    const left = new Map(common);
    return calls
      .filter((c) => {
        const n = left.get(c.name) ?? 0;
        left.set(c.name, n - 1);
        return n > 0;
      })
      .map((c) => c.name);
  };
  const b = shared(before);
  const a = shared(after);
  if (b.join('\u0000') !== a.join('\u0000')) changes.push({ kind: 'order', baseline: b, candidate: a });
  return changes;
}

/** Why nothing was compared with a baseline written before stored outputs kept their tool calls. */
export const PREDATES =
  'not compared: the baseline predates stored tool calls (no scoring block): re-qualify the current primary to record them';

/** The part of a baseline case this reads (loose: other fields pass through). */
interface BaselineCase {
  id: string;
  status?: unknown;
  outputs?: unknown;
}

function storedTrials(outputs: unknown): StoredToolCall[][] | null {
  if (!Array.isArray(outputs) || outputs.length === 0) return null;
  return outputs.map((o: unknown) => {
    const calls = (o as { tool_calls?: unknown } | null)?.tool_calls;
    if (!Array.isArray(calls)) return [];
    return calls.flatMap((c: unknown) => {
      const call = c as { name?: unknown; arguments?: unknown } | null;
      return typeof call?.name === 'string'
        ? [{ name: call.name, arguments: typeof call.arguments === 'string' ? call.arguments : '' }]
        : [];
    });
  });
}

/**
 * One case's tool changes against its baseline entry, or `null` when its trajectory held (or when
 * either side has no stored trials to compare).
 *
 * @example
 * caseToolChanges(candidate.outputs, baselineCase.outputs)?.changes // [{ kind: 'missing', name: 'lookup_order', count: 1 }]
 */
export function caseToolChanges(candidateOutputs: unknown, baselineOutputs: unknown): CaseToolChanges | null {
  const candidate = storedTrials(candidateOutputs);
  const baseline = storedTrials(baselineOutputs);
  if (!candidate || !baseline) return null;
  const b = baseline[modalTrial(baseline)]!;
  const bKey = keyOf(b);
  const c = candidate[modalTrial(candidate, bKey)]!;
  const cKey = keyOf(c);
  if (cKey === bKey) return null;
  // The baseline made this trajectory itself in one of its trials: the agent varies, nothing changed.
  if (baseline.some((t) => keyOf(t) === cKey)) return null;
  const changes = diffTrajectories(trajectory(b), trajectory(c));
  return {
    changes,
    baseline: b.map((call) => call.name),
    candidate: c.map((call) => call.name),
    trials: { differ: candidate.filter((t) => keyOf(t) !== bKey).length, n: candidate.length },
    baseline_trials: { differ: baseline.filter((t) => keyOf(t) !== bKey).length, n: baseline.length },
  };
}

/**
 * Every case's tool changes against the baseline (set on the case as `tool_changes`), and the run's
 * summary. Compared: cases scored on both sides with stored trials on both.
 *
 * @example
 * const summary = toolChanges(cases, baseline, 'review') // { on_change: 'review', compared: 40, changed: 1, cases: ['refund-3'] }
 */
export function toolChanges(
  cases: ScorecardCase[],
  baseline: { cases: readonly BaselineCase[]; scoring?: unknown } | null,
  onChange: ToolChangeAction,
): ToolChangeSummary {
  const summary: ToolChangeSummary = { on_change: onChange, compared: 0, changed: 0, cases: [] };
  if (!baseline) return summary;
  // Stored outputs kept their tool calls from the version that recorded `scoring`: an older baseline's
  // outputs have none, and every call this run made would read as new. Said only when this run made some.
  if (baseline.scoring === undefined) {
    if (cases.some((c) => c.outputs?.some((o) => (o.tool_calls?.length ?? 0) > 0))) summary.note = PREDATES;
    return summary;
  }
  const before = new Map<string, BaselineCase>();
  for (const c of baseline.cases) before.set(c.id, c);
  for (const c of cases) {
    const b = before.get(c.id);
    if (!b || b.status === 'error' || c.status === 'error' || !c.outputs?.length) continue;
    if (!Array.isArray(b.outputs) || b.outputs.length === 0) continue;
    summary.compared += 1;
    const changed = caseToolChanges(c.outputs, b.outputs);
    if (!changed) continue;
    c.tool_changes = changed;
    summary.changed += 1;
    summary.cases.push(c.id);
  }
  return summary;
}

/**
 * A verdict with the tool changes: a passing run with a changed trajectory asks for review when
 * `on_change` is `review`; it never fails a run by itself.
 *
 * @example
 * withToolChanges('pass', { on_change: 'review', compared: 3, changed: 1, cases: ['a'] }) // 'review'
 */
export function withToolChanges(
  verdict: Verdict,
  summary: Pick<ToolChangeSummary, 'on_change' | 'changed'>,
): Verdict {
  return verdict === 'pass' && summary.on_change === 'review' && summary.changed > 0 ? 'review' : verdict;
}

const calls = (n: number, name: string): string => (n === 1 ? `call \`${name}\`` : `${n} calls \`${name}\``);

/**
 * One change in words, as the Markdown and the terminal show it (backticks around names).
 *
 * @example
 * describeToolChange({ kind: 'missing', name: 'lookup_order', count: 1 }) // 'missing call `lookup_order`'
 * describeToolChange({ kind: 'arguments', name: 'search', call: 1, added: ['lang'], removed: [], changed: ['q'] })
 * // 'other arguments for `search`: ~q, +lang'
 */
export function describeToolChange(change: ToolChange): string {
  switch (change.kind) {
    case 'missing':
      return `missing ${calls(change.count, change.name)}`;
    case 'extra':
      return `extra ${calls(change.count, change.name)}`;
    case 'arguments': {
      const keys = [
        ...change.changed.map((k) => `~${k}`),
        ...change.added.map((k) => `+${k}`),
        ...change.removed.map((k) => `-${k}`),
      ];
      const which = change.call > 1 ? ` (call ${change.call})` : '';
      return `other arguments for \`${change.name}\`${which}: ${keys.join(', ')}`;
    }
    case 'order':
      return `order changed: ${change.baseline.join(', ')} → ${change.candidate.join(', ')}`;
  }
}
