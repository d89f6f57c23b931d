import { formatPoints } from './format.js';
import { gateStatistics } from './gate-statistics.js';
import { relativeGatesBySubject, withRelativeGates, type RelativeGateConfig } from './relative-gates.js';
import { holm } from './statistics.js';
import { toolChanges, withToolChanges, type ToolChangeAction } from './tool-changes.js';
import { caseStatus, findAllowEntry, isExpired, toPoints, type AllowEntry } from './status.js';
import type {
  Aggregate,
  CaseResult,
  CaseStatus,
  Gate,
  GateStatistics,
  RelativeGate,
  ScorecardCase,
  SubjectSummary,
  Thresholds,
  ToolChangeSummary,
  Verdict,
} from './types.js';

export interface VerdictInput {
  results: readonly CaseResult[];
  /** The baseline scorecard, or `null` when there is none (every case is `new`). */
  baseline: {
    cases: readonly { id: string; points: number | null; status?: unknown }[];
    statistics?: unknown;
    scoring?: unknown;
  } | null;
  allowlist: readonly AllowEntry[];
  /** Thresholds per subject; a subject with no entry falls back to `default`. */
  thresholds: { default: Thresholds; subjects?: Record<string, Thresholds> | undefined };
  /** The candidate model, `provider:model`: allowlist entries are granted per model. */
  model: string;
  /** Today as YYYY-MM-DD, for allowlist expiry. */
  today: string;
  /** The gate's settings (rubric.yaml `gate`); default GATE_DEFAULTS. */
  gate?: GateSettings | undefined;
  /** rubric.yaml `relative_gates` and `prices` (relative-gates.ts); none when absent. */
  relativeGates?: RelativeGateConfig | undefined;
  /** rubric.yaml `tool_changes.on_change` (docs/scoring.md "Tool-use changes"); default `review`. */
  toolChanges?: ToolChangeAction | undefined;
  /**
   * The results are the caller's to give up: each becomes its scorecard case, in place, rather than
   * copied into a new one (the reporter's, parsed for this run: at 100,000 cases the copies were about
   * 150 MB, bench/FINDINGS.md). Default `false`: the results are left as they were.
   */
  reuseResults?: boolean | undefined;
}

/** rubric.yaml `gate`: the levels and rounds of the noise-aware gate. */
export interface GateSettings {
  level: number;
  screening_level: number;
  rounds: number;
  max_rounds: number;
}

/** The noise-aware gate's defaults (rubric.yaml `gate`), chosen from the benchmark (bench/RESULTS.md section 7). */
export const GATE_DEFAULTS: Readonly<GateSettings> = {
  level: 0.05,
  screening_level: 0.1,
  rounds: 3,
  max_rounds: 8,
};

export interface VerdictOutput {
  verdict: Verdict;
  cases: ScorecardCase[];
  gates: Gate[];
  aggregate: Aggregate;
  subjects: Record<string, SubjectSummary>;
  cases_removed: string[];
  cases_added: string[];
  allowlist: { unused: string[]; expired: string[] };
  statistics: GateStatistics;
  /** Every subject's relative gates; absent when rubric.yaml sets none. */
  relative_gates?: RelativeGate[] | undefined;
  /** The cases whose tool calls changed from the baseline's; absent with no baseline. */
  tool_changes?: ToolChangeSummary | undefined;
}

const STATUSES: CaseStatus[] = ['pass', 'new', 'allowlisted', 'fail', 'error'];

/**
 * The verdict of a run (docs/architecture.md 2.6): a pure function of the results, the
 * baseline, the allowlist and the thresholds.
 *
 * @example
 * const { verdict } = computeVerdict({ results, baseline, allowlist, thresholds: { default: t }, model, today })
 */
export function computeVerdict(input: VerdictInput): VerdictOutput {
  const baselineById = new Map<string, number | null>();
  for (const c of input.baseline?.cases ?? []) baselineById.set(c.id, c.points);
  // A baseline judged again with today's judge and criteria is compared as re-judged (docs/scoring.md
  // "When the judge changes").
  for (const result of input.results) {
    if (result.rejudged && baselineById.has(result.id)) baselineById.set(result.id, result.rejudged.mean);
  }
  const thresholdsOf = (subject: string): Thresholds =>
    input.thresholds.subjects?.[subject] ?? input.thresholds.default;

  const gate = input.gate ?? GATE_DEFAULTS;
  const baselineOutputs = new Map<string, string>();
  for (const c of input.baseline?.cases ?? []) {
    const output = (c as { outputs?: { output?: unknown }[] }).outputs?.[0]?.output;
    if (typeof output === 'string' && output !== '') baselineOutputs.set(c.id, output);
  }
  const confirmed = confirmDrops(input.results, baselineById, gate.level);
  const usedAllow = new Set<AllowEntry>();
  const cases: ScorecardCase[] = input.results.map((result, i) => {
    const allow = findAllowEntry(input.allowlist, result.id, input.model, input.today);
    const judged = caseStatus(
      result,
      baselineById.get(result.id),
      allow,
      thresholdsOf(result.subject).max_per_case_regression,
      confirmed[i] ?? undefined,
    );
    if (judged.status === 'allowlisted' && allow) usedAllow.add(allow);
    // Object.assign, not a spread: objects built as `{ ...a, ...b }` were 20-40 times slower to read
    // on Node 20 (every later pass reads them all: gates, markdown, JSON), bench/FINDINGS.md.
    const extra: Pick<ScorecardCase, 'confirmed' | 'baseline_output'> = { confirmed: confirmed[i] ?? null };
    if (judged.delta !== null && judged.delta < 0) {
      const output = baselineOutputs.get(result.id);
      if (output) extra.baseline_output = output;
    }
    if (result.rejudged && judged.baseline_points !== null) {
      judged.message += `; baseline re-judged with today's judge/rubric (${formatPoints(result.rejudged.stored)} as stored)`;
    }
    return input.reuseResults
      ? Object.assign(result as ScorecardCase, judged, extra)
      : Object.assign({}, result, judged, extra);
  });

  const subjectNames = [...new Set(cases.map((c) => c.subject))];
  const subjects: Record<string, SubjectSummary> = {};
  const gates: Gate[] = [];
  for (const name of subjectNames) {
    const own = cases.filter((c) => c.subject === name);
    const thresholds = thresholdsOf(name);
    const { aggregate, gates: subjectGates } = aggregateAndGates(name, own, thresholds);
    gates.push(...subjectGates);
    subjects[name] = {
      verdict: runVerdict(own, subjectGates),
      aggregate,
      gates: subjectGates,
      thresholds,
      counts: countStatuses(own),
    };
  }

  // Relative gates (cost, latency, tokens against the baseline): they fail or ask for review like a gate.
  const relative = input.relativeGates
    ? relativeGatesBySubject(input.relativeGates, cases, input.baseline)
    : {};
  for (const [name, own] of Object.entries(relative)) {
    const summary = subjects[name]!;
    summary.relative_gates = own;
    summary.verdict = withRelativeGates(summary.verdict, own);
  }
  const relativeAll = Object.values(relative).flat();

  // Tool-use changes: a changed trajectory on a case whose score held asks for review, never fails.
  const tools = toolChanges(cases, input.baseline, input.toolChanges ?? 'review');
  for (const [name, summary] of Object.entries(subjects)) {
    const changed = cases.filter((c) => c.subject === name && c.tool_changes !== undefined).length;
    summary.verdict = withToolChanges(summary.verdict, { on_change: tools.on_change, changed });
  }

  const ids = new Set(cases.map((c) => c.id));
  const modelEntries = input.allowlist.filter((e) => e.model === input.model);
  const output: VerdictOutput = {
    verdict: withToolChanges(withRelativeGates(runVerdict(cases, gates), relativeAll), tools),
    cases,
    gates,
    aggregate: aggregateAndGates('*', cases, input.thresholds.default).aggregate,
    subjects,
    cases_removed: [...baselineById.keys()].filter((id) => !ids.has(id)),
    cases_added: input.baseline ? cases.filter((c) => !baselineById.has(c.id)).map((c) => c.id) : [],
    allowlist: {
      unused: modelEntries.filter((e) => !usedAllow.has(e) && !isExpired(e, input.today)).map((e) => e.case),
      expired: modelEntries.filter((e) => isExpired(e, input.today)).map((e) => e.case),
    },
    statistics: gateStatistics(cases, input.baseline, gate),
  };
  if (relativeAll.length > 0) output.relative_gates = relativeAll;
  if (input.baseline && (tools.compared > 0 || tools.note !== undefined)) output.tool_changes = tools;
  return output;
}

/**
 * Which cases' drops are confirmed: Holm's step-down at `level` over every case compared with a
 * baseline score (a case not screened in, or cleared, has p = 1). A result without a confirmation
 * (made without the gate) counts a drop as measured. `null` where nothing was compared.
 */
function confirmDrops(
  results: readonly CaseResult[],
  baselineById: ReadonlyMap<string, number | null>,
  level: number,
): (boolean | null)[] {
  const compared: { index: number; p: number }[] = [];
  let others = 0;
  results.forEach((result, index) => {
    const points = baselineById.get(result.id);
    if (typeof points !== 'number' || result.error !== null || result.score === null) return;
    // Cases with no drop are in the family too (p = 1): they were compared, and could have dropped.
    if (points - toPoints(result.score) <= 0) others += 1;
    else compared.push({ index, p: result.confirmation ? result.confirmation.p : 0 });
  });
  const { rejected } = holm([...compared.map((c) => c.p), ...new Array<number>(others).fill(1)], level);
  const out = new Array<boolean | null>(results.length).fill(null);
  compared.forEach((c, k) => {
    out[c.index] = rejected[k] ?? false;
  });
  return out;
}

/** `error` > `fail` > `review` > `pass`. A gate with `pass: null` (not applicable) counts for nothing. */
export function runVerdict(cases: readonly Pick<ScorecardCase, 'status'>[], gates: readonly Gate[]): Verdict {
  if (cases.some((c) => c.status === 'error')) return 'error';
  if (cases.some((c) => c.status === 'fail') || gates.some((g) => g.pass === false)) return 'fail';
  if (cases.some((c) => c.status === 'allowlisted')) return 'review';
  return 'pass';
}

function aggregateAndGates(
  subject: string,
  cases: readonly ScorecardCase[],
  thresholds: Thresholds,
): { aggregate: Aggregate; gates: Gate[] } {
  const scored = cases.filter((c) => c.status !== 'error');
  const rubric = mean(scored.map((c) => c.score));
  const faithfulness = mean(scored.map((c) => c.faithfulness));
  const relevancy = mean(scored.map((c) => c.answer_relevancy));
  const nan = (metric: 'faithfulness' | 'answer_relevancy'): number =>
    scored.filter((c) => c.nan_metrics.includes(metric)).length;
  const gate = (name: Gate['name'], m: MeanOf, threshold: number, nan_rows: number): Gate => ({
    name,
    subject,
    value: m.value,
    threshold,
    pass: m.value === null ? null : m.value >= threshold,
    rows: m.rows,
    nan_rows,
  });
  return {
    aggregate: { rubric: rubric.value, faithfulness: faithfulness.value, answer_relevancy: relevancy.value },
    gates: [
      gate('rubric', rubric, thresholds.rubric_min_score, 0),
      gate('faithfulness', faithfulness, thresholds.ragas.faithfulness, nan('faithfulness')),
      gate('answer_relevancy', relevancy, thresholds.ragas.answer_relevancy, nan('answer_relevancy')),
    ],
  };
}

interface MeanOf {
  value: number | null;
  rows: number;
}

function mean(values: readonly (number | null)[]): MeanOf {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (present.length === 0) return { value: null, rows: 0 };
  const value = present.reduce((a, b) => a + b, 0) / present.length;
  return { value: Math.round(value * 1e9) / 1e9, rows: present.length };
}

function countStatuses(cases: readonly ScorecardCase[]): Record<CaseStatus, number> {
  const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<CaseStatus, number>;
  for (const c of cases) counts[c.status] += 1;
  return counts;
}
