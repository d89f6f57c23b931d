import { code, escapeCell } from '../internal/markdown-escape.js';
import { formatCost, formatThreshold } from './format.js';
import { dropSections, flipSection, gateSummary } from './gate-markdown.js';
import {
  countAll,
  DEMO_NOTE,
  GATE_KEY,
  pts,
  secondPassLine,
  signedPoints as signed,
} from './render-shared.js';
import { relativeGateTable } from './relative-gates-markdown.js';
import { toolChangeSection } from './tool-changes-markdown.js';
import type { CaseStatus, Gate, Scorecard, ScorecardCase, Verdict } from './types.js';

const ICON: Record<Verdict, string> = { pass: '✅', review: '🟡', fail: '❌', error: '⚠️' };
const HEADLINE: Record<Verdict, string> = {
  pass: 'qualifies',
  review:
    'qualifies after a second review (of the allowlisted drops, the relative gates that ask for one, or the changed tool calls)',
  fail: 'does not qualify',
  error: 'could not be measured: a provider or the judge failed, so no regression was measured',
};
const CHART_MAX = 40;

const num = (value: number | null): string => (value === null ? '–' : value.toFixed(1));

/**
 * The markdown a reviewer reads on the PR: verdict first and how the gate decided,
 * gates, the failing and regressed cases with their deltas, the confirmed drops and
 * (folded) the drops within noise beside the baseline's outputs, the flips, slices by
 * subject and tag, a delta chart, cost and time, then the full table folded.
 * Everything a model wrote is escaped.
 *
 * @example
 * await writeFile('eval/out/scorecard.md', renderMarkdown(card))
 */
export function renderMarkdown(card: Scorecard): string {
  const out: string[] = [];
  const counts = countAll(card.cases);
  const against = card.baseline_model ? ` against ${code(card.baseline_model)}` : ' (no baseline)';
  out.push(`## ${ICON[card.verdict]} ${code(card.model)} ${HEADLINE[card.verdict]}`, '');
  out.push(
    `**Verdict: ${card.verdict.toUpperCase()}**${against} · ${card.cases.length} cases: ` +
      (['pass', 'new', 'allowlisted', 'fail', 'error'] as CaseStatus[])
        .map((s) => `${counts[s]} ${s}`)
        .join(', '),
    '',
  );
  out.push(...gateSummary(card));
  out.push(...notes(card), '');

  out.push(
    '### Gates',
    '',
    '| subject | gate | mean points | threshold | result |',
    '| --- | --- | ---: | ---: | --- |',
  );
  for (const g of card.gates) out.push(gateRow(g));
  out.push('');
  out.push(...relativeGateTable(card));

  // A drop the gate did not confirm is not alarming: it is in "Drops within noise", not here.
  const attention = card.cases.filter(
    (c) =>
      c.status === 'fail' ||
      c.status === 'error' ||
      c.status === 'allowlisted' ||
      ((c.delta ?? 0) < 0 && c.confirmed !== false),
  );
  if (attention.length > 0) {
    attention.sort((a, b) => order(a) - order(b) || (a.delta ?? 0) - (b.delta ?? 0));
    out.push('### Failing, errored and regressed cases', '');
    out.push(
      '| case | subject | status | points | baseline | Δ | why |',
      '| --- | --- | --- | ---: | ---: | ---: | --- |',
    );
    for (const c of attention) out.push(caseRow(c, c.message));
    out.push('');
    out.push(...stacks(attention));
  }
  out.push(...dropSections(card), ...flipSection(card));
  out.push(...toolChangeSection(card));

  out.push(...slices(card), '');
  out.push(...chart(card.cases), '');
  const u = card.usage;
  out.push(
    '### Cost and time',
    '',
    `${u.calls} model calls (${u.cached_calls} from cassettes), ${u.input_tokens} input and ${u.output_tokens} output tokens, cost ${escapeCell(formatCost(u))}, ${(card.duration_ms / 1000).toFixed(1)} s.` +
      (u.retries ? ` ${u.retries} retries after provider faults (429, 5xx, timeouts, resets).` : '') +
      (card.second_pass ? ` ${secondPassLine(card.second_pass)}.` : ''),
    '',
  );
  out.push(`<details><summary>All ${card.cases.length} cases</summary>`, '');
  out.push('| case | subject | tags | status | points | baseline | Δ | spread | faithfulness | relevancy |');
  out.push('| --- | --- | --- | --- | ---: | ---: | ---: | --- | ---: | ---: |');
  for (const c of card.cases) {
    const spread = c.trials && c.trials.n > 1 ? `${num(c.trials.min * 100)}–${num(c.trials.max * 100)}` : '–';
    out.push(
      `| ${code(c.id)} | ${escapeCell(c.subject)} | ${escapeCell(c.tags.join(', '))} | ${c.status} | ${num(c.points)} | ${num(c.baseline_points)} | ${signed(c.delta)} | ${spread} | ${pts(c.faithfulness)} | ${pts(c.answer_relevancy)} |`,
    );
  }
  out.push('', '</details>', '');
  return out.join('\n');
}

function notes(card: Scorecard): string[] {
  const lines = [
    `Judge ${code(card.judge)}${card.embeddings ? `, embeddings ${code(card.embeddings)}` : ''}.`,
  ];
  const b = card.baseline;
  if (b.kind === 'git')
    lines.push(`Baseline read from ${code(`${b.ref}:${b.path}`)} (the base branch, not the PR head).`);
  else if (b.kind === 'file') lines.push(`Baseline read from ${code(b.path)}.`);
  else
    lines.push(
      `No baseline (${escapeCell(b.note ?? 'missing')}): every case is new and gated by its minimum only.`,
    );
  if (card.source.mode === 'replay') {
    lines.push(
      `Outputs replayed from cassettes${card.source.hand_written ? ' written by hand, not recorded from a provider' : ''}.`,
    );
  } else if (card.source.mode === 'demo') {
    lines.push(DEMO_NOTE);
  } else if (card.source.mode === 'rescore')
    lines.push('Rescored from recorded outputs; the agent was not called.');
  else if (card.source.hand_written) lines.push('Some responses came from cassettes written by hand.');
  if (card.drift?.drifted) lines.push(`**The judge drifted:** ${escapeCell(card.drift.message)}.`);
  if (card.rejudge && card.rejudge.changed.length > 0) {
    lines.push(
      `Scoring changed since the baseline (${card.rejudge.changed.join(', ')}): the baseline's stored outputs of ` +
        `${card.rejudge.cases.length} case${card.rejudge.cases.length === 1 ? '' : 's'} were judged again with today's judge and criteria, and compared with that.`,
    );
  }
  if (card.rejudge?.note) lines.push(escapeCell(card.rejudge.note));
  if (card.tool_changes?.note) lines.push(`Tool calls ${escapeCell(card.tool_changes.note)}.`);
  if (card.cases_removed.length)
    lines.push(`Cases removed since the baseline: ${card.cases_removed.map(code).join(', ')}.`);
  if (card.allowlist.unused.length)
    lines.push(`Unused allowlist entries: ${card.allowlist.unused.map(code).join(', ')}.`);
  if (card.allowlist.expired.length)
    lines.push(`Expired allowlist entries: ${card.allowlist.expired.map(code).join(', ')}.`);
  return lines.map((l) => `> ${l}`);
}

/** Where each errored agent threw: its own frames, folded under the table. */
function stacks(cases: readonly ScorecardCase[]): string[] {
  const out: string[] = [];
  for (const c of cases) {
    const frames = c.error?.stack;
    if (!frames?.length) continue;
    const text = frames.join('\n');
    const fence = '`'.repeat(Math.max(3, ...[...text.matchAll(/`+/g)].map((m) => m[0].length + 1)));
    out.push(
      `<details><summary>Where ${code(c.id)} threw (${escapeCell(c.error!.message, 120)})</summary>`,
      '',
      fence,
      text,
      fence,
      '',
      '</details>',
      '',
    );
  }
  return out;
}

function gateRow(g: Gate): string {
  const result = g.pass === null ? 'n/a (no scored rows)' : g.pass ? 'pass' : '**fail**';
  const nan = g.nan_rows ? ` (${g.nan_rows} NaN rows left out)` : '';
  return `| ${escapeCell(g.subject)} | ${g.name} | ${pts(g.value)} | ${formatThreshold(g.threshold, GATE_KEY[g.name])} | ${result} over ${g.rows} rows${nan} |`;
}

function caseRow(c: ScorecardCase, why: string): string {
  return `| ${code(c.id)} | ${escapeCell(c.subject)} | ${c.status} | ${num(c.points)} | ${num(c.baseline_points)} | ${signed(c.delta)} | ${escapeCell(why)} |`;
}

function order(c: ScorecardCase): number {
  return { error: 0, fail: 1, allowlisted: 2, pass: 3, new: 4 }[c.status];
}

function slices(card: Scorecard): string[] {
  const groups = new Map<string, ScorecardCase[]>();
  const add = (key: string, c: ScorecardCase): void => {
    const group = groups.get(key);
    if (group) group.push(c);
    else groups.set(key, [c]);
  };
  for (const c of card.cases) {
    add(`subject ${c.subject}`, c);
    for (const tag of c.tags) add(`tag ${tag}`, c);
  }
  const lines = [
    '### Slices',
    '',
    '| slice | cases | mean points | mean Δ | fail | error |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const [key, cases] of groups) {
    const scored = cases.filter((c) => c.points !== null);
    const deltas = cases.filter((c) => c.delta !== null);
    const mean = (xs: number[]): number | null =>
      xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
    lines.push(
      `| ${escapeCell(key)} | ${cases.length} | ${num(mean(scored.map((c) => c.points!)))} | ${signed(mean(deltas.map((c) => c.delta!)))} | ${cases.filter((c) => c.status === 'fail').length} | ${cases.filter((c) => c.status === 'error').length} |`,
    );
  }
  return lines;
}

function chart(cases: readonly ScorecardCase[]): string[] {
  const compared = cases.filter((c) => c.delta !== null);
  if (compared.length === 0) return [];
  const shown = [...compared].sort((a, b) => Math.abs(b.delta!) - Math.abs(a.delta!)).slice(0, CHART_MAX);
  shown.sort((a, b) => a.delta! - b.delta!);
  const bound = Math.max(5, Math.ceil(Math.max(...shown.map((c) => Math.abs(c.delta!)))));
  const label = (id: string): string => JSON.stringify(id.replace(/["\\\n]/g, '').slice(0, 40));
  const title =
    compared.length > shown.length
      ? `Delta versus baseline, points (the ${shown.length} largest of ${compared.length})`
      : 'Delta versus baseline, points';
  return [
    '### Per-case delta',
    '',
    '```mermaid',
    'xychart-beta',
    `  title ${JSON.stringify(title)}`,
    `  x-axis [${shown.map((c) => label(c.id)).join(', ')}]`,
    `  y-axis "delta (points)" ${-bound} --> ${bound}`,
    `  bar [${shown.map((c) => c.delta!.toFixed(1)).join(', ')}]`,
    '```',
  ];
}
