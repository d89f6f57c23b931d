import type { CaseStatus, Gate, ScorecardCase, SecondPassSummary } from './types.js';

/** What the Markdown scorecard (markdown.ts) and the terminal summary (terminal.ts) both say. */

/** A 0-1 value (a gate's mean, faithfulness, relevancy) on the points scale every table uses. */
export const pts = (value: number | null): string => (value === null ? '–' : (value * 100).toFixed(1));

/** The rubric key a gate's threshold is read from. */
export const GATE_KEY: Record<Gate['name'], string> = {
  rubric: 'rubric_min_score',
  faithfulness: 'ragas.faithfulness',
  answer_relevancy: 'ragas.answer_relevancy',
};

/** What a demo scorecard says about itself, in the Markdown and on the terminal. */
export const DEMO_NOTE =
  'Answers from the `qualify demo` server on loopback, not from a model: the scores show how a ' +
  'qualification reads, nothing about any model. Not a baseline.';

/** How many cases have each status. */
export function countAll(cases: readonly ScorecardCase[]): Record<CaseStatus, number> {
  const counts: Record<CaseStatus, number> = { pass: 0, new: 0, allowlisted: 0, fail: 0, error: 0 };
  for (const c of cases) counts[c.status] += 1;
  return counts;
}

/** A delta in points with its sign (`+2.0`, `-8.0`), `–` when there is none. */
export const signedPoints = (value: number | null): string =>
  value === null ? '–' : `${value > 0 ? '+' : ''}${value.toFixed(1)}`;

/** A 95 % interval in points: `[6.2, 9.8]`, or with signs (`[-2.5, +0.1]`) for a delta. */
export function formatInterval([low, high]: readonly [number, number], signs = false): string {
  const f = signs ? signedPoints : (v: number) => v.toFixed(1);
  return `[${f(low)}, ${f(high)}]`;
}

/**
 * The drops the gate confirmed (after Holm across the run's cases) and those within noise. Cases of
 * a scorecard written before the gate was noise-aware have no `confirmed`, and are in neither.
 */
export function dropsOf(cases: readonly ScorecardCase[]): {
  confirmed: ScorecardCase[];
  noise: ScorecardCase[];
} {
  const dropped = cases.filter((c) => c.delta !== null && c.delta < 0);
  return {
    confirmed: dropped.filter((c) => c.confirmed === true),
    noise: dropped.filter((c) => c.confirmed === false),
  };
}

/**
 * The second pass in words.
 *
 * @example
 * secondPassLine({ errored: 3, recovered: 2, cases }) // '3 cases errored on the first pass; the second pass recovered 2'
 */
export function secondPassLine(summary: SecondPassSummary): string {
  const cases = summary.errored === 1 ? '1 case' : `${summary.errored} cases`;
  return `${cases} errored on the first pass; the second pass recovered ${summary.recovered}`;
}
