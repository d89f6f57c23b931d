/**
 * The tool-use changes in the scorecard (docs/scoring.md "Tool-use changes"): a "Tool calls changed"
 * section in the Markdown and lines for the terminal. None with `on_change: ignore`, or nothing changed.
 */
import { code, escapeCell } from '../internal/markdown-escape.js';
import { describeToolChange } from './tool-changes.js';
import type { Scorecard, ScorecardCase, ToolChange } from './types.js';

const MAX_TERMINAL = 10;

function changed(card: Pick<Scorecard, 'tool_changes' | 'cases'>): ScorecardCase[] {
  if (card.tool_changes?.on_change !== 'review') return [];
  return card.cases.filter((c) => c.tool_changes !== undefined);
}

/** A tool name in a table cell: a code span (a pipe escaped, which GitHub reads inside one too). */
const name = (text: string): string => code(text).replace(/\|/g, '\\|');

/** One change in a table cell: names in code spans, argument keys escaped. */
function cell(change: ToolChange): string {
  switch (change.kind) {
    case 'missing':
    case 'extra':
      return `${change.kind} ${change.count === 1 ? 'call' : `${change.count} calls`} ${name(change.name)}`;
    case 'arguments': {
      const keys = [
        ...change.changed.map((k) => `~${k}`),
        ...change.added.map((k) => `+${k}`),
        ...change.removed.map((k) => `-${k}`),
      ];
      const which = change.call > 1 ? ` (call ${change.call})` : '';
      return `other arguments for ${name(change.name)}${which}: ${escapeCell(keys.join(', '))}`;
    }
    case 'order':
      return `order changed: ${change.baseline.map(name).join(', ')} → ${change.candidate.map(name).join(', ')}`;
  }
}

/**
 * The "Tool calls changed" section: one row per case, its changes and how many trials differ.
 *
 * @example
 * toolChangeSection(card)[0] // '### Tool calls changed'
 */
export function toolChangeSection(card: Pick<Scorecard, 'tool_changes' | 'cases'>): string[] {
  const cases = changed(card);
  if (cases.length === 0) return [];
  const summary = card.tool_changes!;
  return [
    '### Tool calls changed',
    '',
    `${cases.length} of ${summary.compared} compared cases call tools differently from the baseline (its modal trajectory against this run's); ` +
      'a review, not a failure: check the changes are intended.',
    '',
    '| case | status | Δ | change | trials differing |',
    '| --- | --- | ---: | --- | ---: |',
    ...cases.map((c) => {
      const t = c.tool_changes!;
      const delta = c.delta === null ? '–' : `${c.delta > 0 ? '+' : ''}${c.delta.toFixed(1)}`;
      return `| ${code(c.id)} | ${c.status} | ${delta} | ${t.changes.map(cell).join('; ')} | ${t.trials.differ}/${t.trials.n} |`;
    }),
    '',
  ];
}

/**
 * The terminal's lines: a count, then each changed case (the first ten).
 *
 * @example
 * toolChangeLines(card) // ['tool calls changed on 1 case (review)', 'tools refund-3: missing call lookup_order']
 */
export function toolChangeLines(card: Pick<Scorecard, 'tool_changes' | 'cases'>): string[] {
  const cases = changed(card);
  if (cases.length === 0) return [];
  const lines = [`tool calls changed on ${cases.length === 1 ? '1 case' : `${cases.length} cases`} (review)`];
  for (const c of cases.slice(0, MAX_TERMINAL)) {
    const text = c.tool_changes!.changes.map(describeToolChange).join('; ').replace(/`/g, '');
    lines.push(`tools ${c.id}: ${text.slice(0, 200)}`);
  }
  if (cases.length > MAX_TERMINAL) lines.push(`tools: ${cases.length - MAX_TERMINAL} more in the scorecard`);
  return lines;
}
