/**
 * RESULTS.md: the figures of every section as tables (median, min, max, runs,
 * target, promptfoo's figure, whether the target is met), with the machine they
 * were measured on. Pure: results in, markdown out.
 */
import { summarize } from './stats.js';

/** A figure's target: the median must be at most (or at least) `value`. */
export interface Target {
  op: '<=' | '>=' | '=';
  value: number;
}

/** One measured figure, one value per run. */
export interface Figure {
  name: string;
  /** Appended to numbers: `s`, `ms`, `MB`, `x`, `%`, or `` for counts. */
  unit: string;
  values: number[];
  /** Decimals shown; default 2. */
  digits?: number | undefined;
  target?: Target | undefined;
  /** promptfoo 0.123's figure for the same workload, from issue 8. */
  promptfoo?: string | undefined;
}

/** One measurement of issue 8. */
export interface Section {
  title: string;
  /** The workload, in a sentence or two. */
  setup: string;
  figures: Figure[];
  /** Markdown paragraphs after the table (findings, per-size rows, timelines). */
  notes: string[];
}

/** Where and how the figures were measured. */
export interface RunInfo {
  date: string;
  mode: 'full' | 'smoke';
  cpu: string;
  cores: number;
  memoryGb: number;
  kernel: string;
  node: string;
  vitest: string;
  commit: string;
  /** Where the plugin was loaded from, in words. */
  plugin: string;
  /** Load average (1 min) before and after the benchmark. */
  load: { before: number; after: number };
  /** CPU ms of a fixed JavaScript loop (1e8 iterations): how fast this machine is. */
  calibrationMs: number;
  totalMinutes: number;
}

export interface Results {
  info: RunInfo;
  sections: Section[];
  /** Hand-written findings (bench/FINDINGS.md), appended as is. */
  findings?: string | undefined;
}

/**
 * `met`, or how far the median is from the target.
 *
 * @example
 * verdictOf(1.2, { op: '<=', value: 1.1 }) // 'missed by 9%'
 */
export function verdictOf(median: number, target: Target | undefined): string {
  if (!target) return '';
  if (!Number.isFinite(median)) return 'not measured';
  const met =
    target.op === '<='
      ? median <= target.value
      : target.op === '>='
        ? median >= target.value
        : median === target.value;
  if (met) return 'met';
  if (target.op === '=') return 'missed';
  const off = Math.abs(median / target.value - 1) * 100;
  return `missed by ${off < 10 ? off.toFixed(1) : off.toFixed(0)}%`;
}

/**
 * A number with its unit.
 *
 * @example
 * formatValue(1.2345, 's', 2) // '1.23 s'
 */
export function formatValue(value: number, unit: string, digits = 2): string {
  if (!Number.isFinite(value)) return 'n/a';
  const text = value.toFixed(digits);
  if (unit === '') return text;
  if (unit === 'x' || unit === '%') return `${text}${unit}`;
  return `${text} ${unit}`;
}

/**
 * The header row of every figure table; the smoke test checks tables against it.
 *
 * @example
 * `| ${TABLE_HEADER.join(' | ')} |`
 */
export const TABLE_HEADER = [
  'Figure',
  'Median',
  'Min',
  'Max',
  'Runs',
  'Target',
  'promptfoo 0.123',
  'Target met?',
] as const;

function row(cells: readonly string[]): string {
  return `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
}

function figureRow(figure: Figure): string {
  const s = summarize(figure.values);
  const f = (v: number) => formatValue(v, figure.unit, figure.digits ?? 2);
  const target = figure.target ? `${figure.target.op} ${f(figure.target.value)}` : '';
  return row([
    figure.name,
    f(s.median),
    f(s.min),
    f(s.max),
    String(s.runs),
    target,
    figure.promptfoo ?? '',
    verdictOf(s.median, figure.target),
  ]);
}

/**
 * The markdown of RESULTS.md.
 *
 * @example
 * await writeFile('bench/RESULTS.md', renderResults(results))
 */
export function renderResults(results: Results): string {
  const { info } = results;
  const lines = [
    '# Benchmark results',
    '',
    `Written by \`npm run bench\`${info.mode === 'smoke' ? ' (smoke mode: tiny sizes, one run; the figures mean nothing)' : ''} on ${info.date}, in ${info.totalMinutes.toFixed(0)} min. Every figure is the median of its runs, with min and max; targets and promptfoo's figures are from issues 8 and 16 (scale and sharding to 100,000 cases); a slope's single value is computed from the per-size medians.`,
    '',
    row(['Machine', '']),
    row(['---', '---']),
    row(['CPU', `${info.cpu}, ${info.cores} cores`]),
    row(['Memory', `${info.memoryGb.toFixed(0)} GB`]),
    row(['Kernel', info.kernel]),
    row(['Node', info.node]),
    row(['Vitest', info.vitest]),
    row(['Commit', info.commit]),
    row(['Plugin loaded from', info.plugin]),
    row([
      'Load average (1 min), before / after',
      `${info.load.before.toFixed(2)} / ${info.load.after.toFixed(2)}`,
    ]),
    row(['Speed: CPU time of a 1e8-iteration JS loop', `${info.calibrationMs.toFixed(0)} ms`]),
    '',
  ];
  for (const section of results.sections) {
    lines.push(`## ${section.title}`, '', section.setup, '');
    if (section.figures.length > 0) {
      lines.push(row(TABLE_HEADER), row(TABLE_HEADER.map(() => '---')));
      for (const figure of section.figures) lines.push(figureRow(figure));
      lines.push('');
    }
    for (const note of section.notes) lines.push(note, '');
  }
  if (results.findings) lines.push(results.findings.trim(), '');
  return lines.join('\n');
}
