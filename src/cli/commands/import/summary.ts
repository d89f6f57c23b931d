import { basename, relative, sep } from 'node:path';
import type { ImportSummary } from './pipeline.js';
import type { RedactionCounts } from './redact.js';

/** Paths as a person reads them: relative to `cwd`, with forward slashes. */
export function displayPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return (rel === '' || rel.startsWith('..') ? path : rel).split(sep).join('/');
}

/**
 * The summary `qualify import` prints: lines read, cases kept, duplicates,
 * filtered by --since, malformed lines, redactions and files written.
 *
 * @example
 * stdout.write(renderImportSummary(summary, { label: 'traces.jsonl', out: 'eval/cases/imported', since: '24h', sample: undefined, redact: false }))
 */
export function renderImportSummary(
  s: ImportSummary,
  context: {
    label: string;
    out: string;
    since: string | undefined;
    sample: number | undefined;
    redact: boolean;
  },
): string {
  const rows: [string, number, string][] = [
    ['kept', s.kept, s.kept === 1 ? 'case' : 'cases'],
    ['duplicates', s.duplicates, 'same input as an earlier trace'],
    ['filtered', s.filtered, context.since === undefined ? 'no --since' : `older than ${context.since}`],
    ['malformed', s.malformed, s.malformed ? 'lines skipped, listed above' : 'lines'],
    ['redactions', total(s.redactions), context.redact ? redactionText(s.redactions) : 'no --redact'],
    ['files', s.files.length, filesText(s, context.out)],
  ];
  if (context.sample !== undefined) {
    rows[0]![2] += ` (a --sample of ${s.unique} distinct inputs)`;
  }
  if (s.undated) rows.splice(3, 0, ['undated', s.undated, 'traces without a timestamp, left out by --since']);
  if (s.ignored) rows.splice(-2, 0, ['ignored', s.ignored, 'OpenTelemetry spans that are not GenAI calls']);
  const width = Math.max(...rows.map(([, n]) => String(n).length));
  const lines = [`qualify import: read ${s.lines} ${s.lines === 1 ? 'line' : 'lines'} from ${context.label}`];
  for (const [name, n, note] of rows) lines.push(`  ${name.padEnd(11)}${String(n).padStart(width)}  ${note}`);
  if (s.kept === 0) lines.push('  no case was kept, so nothing was written');
  return `${lines.join('\n')}\n`;
}

function total(r: RedactionCounts): number {
  return r.email + r.phone + r.card;
}

function redactionText(r: RedactionCounts): string {
  const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;
  return `${plural(r.email, 'email', 'emails')}, ${plural(r.phone, 'phone', 'phones')}, ${plural(r.card, 'card', 'cards')}`;
}

function filesText(s: ImportSummary, out: string): string {
  if (s.files.length === 0) return `in ${out}`;
  const first = basename(s.files[0]!);
  const last = basename(s.files.at(-1)!);
  const names = s.files.length === 1 ? first : `${first} … ${last}`;
  const replaced = s.replaced ? `; replaced ${s.replaced} from an earlier import` : '';
  return `in ${out}: ${names}${replaced}`;
}
