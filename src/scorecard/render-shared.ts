import type { CaseStatus, Gate, ScorecardCase } from './types.js';

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
