import { formatCost, formatThreshold } from './format.js';
import {
  countAll,
  DEMO_NOTE,
  dropsOf,
  formatInterval,
  GATE_KEY,
  pts,
  secondPassLine,
  signedPoints,
} from './render-shared.js';
import { relativeGateLines } from './relative-gates-markdown.js';
import { toolChangeLines } from './tool-changes-markdown.js';
import type { Scorecard } from './types.js';

/**
 * The compact summary printed to the terminal at the end of a run.
 *
 * @example
 * stdout.write(renderTerminal(card))
 */
export function renderTerminal(card: Scorecard, files: string[] = []): string {
  const counts = countAll(card.cases);
  const lines = [
    '',
    ` qualify  ${card.verdict.toUpperCase()}  ${card.model}${card.baseline_model ? ` vs ${card.baseline_model}` : ' (no baseline)'}`,
    `          ${card.cases.length} cases: ${counts.pass} pass, ${counts.new} new, ${counts.allowlisted} allowlisted, ${counts.fail} fail, ${counts.error} error`,
  ];
  for (const g of card.gates.filter((g) => g.pass === false)) {
    lines.push(
      `          gate ${g.subject}.${g.name} ${pts(g.value)} points, below ${formatThreshold(g.threshold, GATE_KEY[g.name])}`,
    );
  }
  const gate = gateLine(card);
  if (gate) lines.push(`          ${gate}`);
  for (const line of relativeGateLines(card)) lines.push(`          ${line}`);
  for (const line of toolChangeLines(card)) lines.push(`          ${line}`);
  const worst = card.cases.filter((c) => c.status === 'fail' || c.status === 'error').slice(0, 10);
  for (const c of worst)
    lines.push(`          ${c.status} ${c.id}: ${c.message.replace(/\s+/g, ' ').slice(0, 200)}`);
  const u = card.usage;
  lines.push(
    `          cost: ${formatCost(u)}; ${u.calls} model calls (${u.cached_calls} from cassettes), ${(card.duration_ms / 1000).toFixed(1)} s`,
  );
  if (card.second_pass) lines.push(`          ${secondPassLine(card.second_pass)}`);
  if (card.source.mode === 'demo') lines.push(`          demo: ${DEMO_NOTE.replace(/`/g, '')}`);
  if (files.length) lines.push(`          scorecard: ${files.join(', ')}`);
  return `${lines.join('\n')}\n`;
}

/** The gate in one line: the mean delta with its interval, the drops confirmed and within noise. */
function gateLine(card: Scorecard): string | undefined {
  const s = card.statistics;
  if (!s || s.compared === 0) return undefined;
  const m = s.mean_delta;
  const mean = m
    ? `mean Δ ${signedPoints(m.mean)} points (95 % interval ${formatInterval(m.interval, true)}) over ${m.n} cases`
    : `mean Δ not estimated (${s.compared} compared case${s.compared === 1 ? '' : 's'}, fewer than two)`;
  const { confirmed, noise } = dropsOf(card.cases);
  return `gate: ${mean}; ${confirmed.length} drop${confirmed.length === 1 ? '' : 's'} confirmed, ${noise.length} within noise`;
}
