/**
 * The noise-aware gate's part of the Markdown scorecard (docs/scoring.md "Reading the scorecard's
 * gate section"): how the gate decided, the flips against the baseline's statuses, the confirmed
 * drops and the drops within noise, each beside the baseline's output. A scorecard written before
 * the gate was noise-aware has none of these fields, and gets none of these sections.
 */
import { code, escapeCell } from '../internal/markdown-escape.js';
import { dropsOf, signedPoints, formatInterval } from './render-shared.js';
import { formatPValue } from './status.js';
import type { CaseStatus, GateStatistics, Scorecard, ScorecardCase } from './types.js';

/** The longest output shown beside the baseline's, in characters, ellipsis included. */
export const OUTPUT_MAX = 1000;
/** A flip table longer than this is folded. */
const FLIPS_SHOWN = 10;
/** Stored-fallback cases named before "and N more". */
const FALLBACK_NAMED = 20;

/**
 * "How the gate decided": the lines under the verdict, or none for a scorecard without statistics.
 *
 * @example
 * gateSummary(card)[0] // '**How the gate decided** (“How the gate decides” in vitest-qualify’s docs/scoring.md):'
 */
export function gateSummary(card: Scorecard): string[] {
  const s = card.statistics;
  if (!s) return [];
  const lines = [
    '**How the gate decided** (“How the gate decides” in vitest-qualify’s docs/scoring.md):',
    '',
    `- ${meanDelta(s)}`,
    `- ${power(s)}`,
    `- ${count(s.compared, 'case')} compared with the baseline: ${s.screened} screened in for confirmation, ` +
      `${s.confirmed} confirmed, ${s.cleared} cleared by fresh trials.`,
    `- ${count(s.calls.confirmation, 'confirmation call')} beside ${count(s.calls.first_pass, 'first-pass call')}.`,
    `- Test: ${escapeCell(s.test, 600)}; family-wise level ${s.level}. A first-pass drop is screened in at a ` +
      `one-sided level of ${s.screening_level}, then re-measured with ${rounds(s.rounds)}.`,
  ];
  if (s.stored_fallback.length) {
    lines.push(
      `- Compared with the baseline's stored trials, because the baseline model could not be called: ${named(s.stored_fallback)}.`,
    );
  }
  lines.push('');
  return lines;
}

/**
 * The flip table: cases that went from passing to failing, or back, against the baseline's own
 * statuses; folded when it has more than 10 rows.
 *
 * @example
 * flipSection(card)[0] // '### Flips against the baseline'
 */
export function flipSection(card: Scorecard): string[] {
  const flips = card.statistics?.flips ?? [];
  if (flips.length === 0) return [];
  const failing = flips.filter((f) => !passing(f.to));
  const recovered = flips.filter((f) => passing(f.to));
  const table = [
    '| case | baseline status | this run |',
    '| --- | --- | --- |',
    ...[...failing, ...recovered].map((f) => `| ${code(f.id)} | ${f.from} | ${f.to} |`),
  ];
  const out = [
    '### Flips against the baseline',
    '',
    `${failing.length} from passing to failing, ${recovered.length} from failing to passing, against the baseline's own statuses.`,
    '',
  ];
  if (flips.length <= FLIPS_SHOWN) return [...out, ...table, ''];
  return [
    ...out,
    `<details><summary>The ${flips.length} flips</summary>`,
    '',
    ...table,
    '',
    '</details>',
    '',
  ];
}

/**
 * The confirmed drops (each with its evidence, and its output beside the baseline's), then the
 * drops within noise folded in their own section.
 *
 * @example
 * dropSections(card).includes('### Confirmed drops') // true when a drop was confirmed
 */
export function dropSections(card: Scorecard): string[] {
  const { confirmed, noise } = dropsOf(card.cases);
  const byDrop = (a: ScorecardCase, b: ScorecardCase) => a.delta! - b.delta!;
  const compared = card.statistics?.compared;
  const across = compared === undefined ? '' : ` across the ${count(compared, 'compared case')}`;
  const cut = `Outputs are cut to ${OUTPUT_MAX.toLocaleString('en-US')} characters (…).`;
  const out: string[] = [];
  if (confirmed.length) {
    out.push(
      '### Confirmed drops',
      '',
      `Each dropped by more than its trial noise explains, after Holm's correction${across}. ${cut}`,
      '',
      ...dropTable([...confirmed].sort(byDrop), card),
    );
  }
  if (noise.length) {
    out.push(
      `<details><summary>Drops within noise (not confirmed): ${count(noise.length, 'case')}</summary>`,
      '',
      `Lower than the baseline, but by no more than the trial noise explains${across}: these drops do not ` +
        `count against the regression budget (a case here that fails, fails for another reason, shown above). ${cut}`,
      '',
      ...dropTable([...noise].sort(byDrop), card),
      '</details>',
      '',
    );
  }
  return out;
}

function dropTable(cases: readonly ScorecardCase[], card: Scorecard): string[] {
  const out = [
    '| case | status | first pass Δ | estimated drop | 95 % interval | trials: this run / baseline | p (one-sided) | confirmed |',
    '| --- | --- | ---: | ---: | --- | --- | ---: | --- |',
  ];
  for (const c of cases) {
    const k = c.confirmation;
    const drop = k ? k.drop : -c.delta!;
    out.push(
      `| ${code(c.id)} | ${c.status} | ${signedPoints(c.delta)} | ${drop.toFixed(1)} | ${k?.interval ? formatInterval(k.interval) : '–'} | ${trials(c)} | ${pOf(c)} | ${verdictOf(c)} |`,
    );
  }
  out.push('');
  for (const c of cases) out.push(...outputs(c, card));
  return out;
}

/** Trials behind the comparison: the candidate's, the baseline's and whether it was re-measured. */
function trials(c: ScorecardCase): string {
  const k = c.confirmation;
  if (k?.candidate && k.baseline) {
    return `${k.candidate.n} / ${k.baseline.n} ${k.baseline.source === 'model' ? 're-measured' : 'stored'}`;
  }
  return `${c.trials?.n ?? 1} first-pass / stored`;
}

function pOf(c: ScorecardCase): string {
  const k = c.confirmation;
  if (!k || k.stage === 'no-noise-estimate') return '–';
  if (k.stage === 'not-screened')
    return k.screen.p === null ? '–' : `${formatPValue(k.screen.p)} (first pass)`;
  return formatPValue(k.p);
}

function verdictOf(c: ScorecardCase): string {
  if (c.confirmed) {
    if (!c.confirmation) return 'yes (not re-measured: the drop counts as measured)';
    return c.confirmation.stage === 'no-noise-estimate'
      ? 'yes (no noise estimate: counts as measured)'
      : 'yes';
  }
  switch (c.confirmation?.stage) {
    case 'not-screened':
      return 'no: within first-pass noise';
    case 'cleared':
      return 'no: cleared by fresh trials';
    default:
      return "no: not significant after Holm's correction";
  }
}

/** The case's output beside the baseline's, folded; nothing when neither was kept. */
function outputs(c: ScorecardCase, card: Scorecard): string[] {
  const first = c.outputs?.[0];
  if (!first && c.baseline_output === undefined) return [];
  const note = c.confirmation?.baseline?.note;
  const baselineModel = card.baseline_model ? `${code(card.baseline_model)}, ` : '';
  return [
    `<details><summary>Outputs of ${code(c.id)}: this run's beside the baseline's</summary>`,
    '',
    ...(note ? [`Baseline: ${escapeCell(note)}.`, ''] : []),
    `| this run (${code(card.model)}${first ? `, first trial, ${(first.score * 100).toFixed(1)} points` : ''}) | baseline (${baselineModel}first stored trial) |`,
    '| --- | --- |',
    `| ${first ? escapeCell(first.output, OUTPUT_MAX) : '– (no output kept)'} | ${c.baseline_output === undefined ? '– (the baseline kept no output)' : escapeCell(c.baseline_output, OUTPUT_MAX)} |`,
    '',
    '</details>',
    '',
  ];
}

function meanDelta(s: GateStatistics): string {
  const m = s.mean_delta;
  if (!m) return 'Mean Δ: not estimated (fewer than two cases compared).';
  return `Mean Δ ${signedPoints(m.mean)} points, 95 % interval ${formatInterval(m.interval, true)}, paired over ${count(m.n, 'case')}.`;
}

function power(s: GateStatistics): string {
  const detect =
    s.min_detectable_drop === null
      ? 'Smallest per-case drop this run could detect: not estimated (no noise estimate)'
      : `Smallest per-case drop this run could detect with 80 % power: ${s.min_detectable_drop.toFixed(1)} points`;
  const noise =
    s.noise.sd === null
      ? 'trial noise not measured (run with repeats >= 2 to measure it)'
      : `trial noise sd ${s.noise.sd.toFixed(1)} points (${s.noise.df} degrees of freedom)`;
  return `${detect}; ${noise}.`;
}

function rounds(r: GateStatistics['rounds']): string {
  const of = 'fresh trials of both models';
  return r.max > r.first
    ? `${count(r.first, 'round')} of ${of}, continued to ${r.max} unless those show no drop`
    : `${count(r.max, 'round')} of ${of}`;
}

function named(ids: readonly string[]): string {
  const shown = ids.slice(0, FALLBACK_NAMED).map(code).join(', ');
  return ids.length > FALLBACK_NAMED ? `${shown} and ${ids.length - FALLBACK_NAMED} more` : shown;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function passing(status: CaseStatus): boolean {
  return status === 'pass' || status === 'new' || status === 'allowlisted';
}
