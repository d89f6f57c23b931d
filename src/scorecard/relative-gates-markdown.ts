/**
 * The relative gates in the scorecard (docs/scoring.md "Relative gates"): a table beside the score
 * gates in the Markdown, and lines for the terminal. A scorecard without relative gates gets none.
 */
import { escapeCell } from '../internal/markdown-escape.js';
import { percent } from './relative-gates.js';
import type { RelativeGate } from './relative-gate-types.js';
import type { Scorecard } from './types.js';

/**
 * The relative gates' table, under the score gates' in "Gates"; no lines when there are none.
 *
 * @example
 * relativeGateTable(card)[0] // '| subject | relative gate | baseline | this run | increase (90 % interval) | budget | result |'
 */
export function relativeGateTable(card: Pick<Scorecard, 'relative_gates'>): string[] {
  const gates = card.relative_gates ?? [];
  if (gates.length === 0) return [];
  return [
    '| subject | relative gate | baseline | this run | increase (90 % interval) | budget | result |',
    '| --- | --- | ---: | ---: | --- | ---: | --- |',
    ...gates.map(
      (g) =>
        `| ${escapeCell(g.subject)} | ${g.name} | ${value(g.baseline, g.unit)} | ${value(g.candidate, g.unit)} | ` +
        `${increase(g)} | ${percent(g.budget)} | ${result(g)} |`,
    ),
    '',
  ];
}

/**
 * The terminal's lines: a count of the gates by result, then each that failed or asks for review.
 *
 * @example
 * relativeGateLines(card) // ['relative gates: 1 fail, 2 pass', 'relative gate agent.cost_per_case fail: +40.0 % ...']
 */
export function relativeGateLines(card: Pick<Scorecard, 'relative_gates'>): string[] {
  const gates = card.relative_gates ?? [];
  if (gates.length === 0) return [];
  const counts = (['fail', 'review', 'pass', 'not_applicable'] as const)
    .map((status) => [status, gates.filter((g) => g.status === status).length] as const)
    .filter(([, n]) => n > 0)
    .map(([status, n]) => `${n} ${status === 'not_applicable' ? 'not applicable' : status}`);
  return [
    `relative gates: ${counts.join(', ')}`,
    ...gates
      .filter((g) => g.status === 'fail' || g.status === 'review')
      .map((g) => `relative gate ${g.subject}.${g.name} ${g.status}: ${g.note}`),
  ];
}

function result(g: RelativeGate): string {
  const over = g.cases === 1 ? 'over 1 case' : `over ${g.cases} cases`;
  switch (g.status) {
    case 'pass':
      return `pass ${over}`;
    case 'fail':
      return `**fail** ${over}`;
    case 'review':
      return g.note.includes('not confirmed')
        ? `review: over budget, not confirmed, ${over}`
        : `**review** ${over}`;
    default:
      return `n/a (${escapeCell(g.note.replace(/^not applicable: /, ''))})`;
  }
}

function increase(g: RelativeGate): string {
  if (g.increase === null) return '–';
  const ci = g.interval ? ` (${percent(g.interval[0])}..${percent(g.interval[1])})` : '';
  return `${percent(g.increase)}${ci}`;
}

function value(v: number | null, unit: RelativeGate['unit']): string {
  if (v === null) return '–';
  if (unit === 'usd') return `$${v < 0.01 ? v.toPrecision(3) : v.toFixed(4)}`;
  if (unit === 'ms') return `${Math.round(v)} ms`;
  return `${Number(v.toFixed(1))}`;
}
