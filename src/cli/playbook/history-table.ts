import { ConfigError } from '../../errors.js';
import type { Block } from './blocks.js';
import { isSeparator, renderHeader, renderRow, splitRow } from './table.js';

/** The columns of the qualification history, in order. */
export const HISTORY_COLUMNS = [
  'date',
  'primary',
  'previous primary',
  'verdict',
  'cases',
  'scorecard',
] as const;

/** One qualification, as the history records it. */
export interface HistoryEntry {
  date: string;
  primary: string;
  previous: string;
  verdict: string;
  cases: number;
  /** The scorecard URL, or `undefined` (written `-`). */
  url: string | undefined;
}

/**
 * The history block's lines with `entry` added as the last row. Existing rows
 * are kept as written; an empty block gets the header first. A header that is
 * not `HISTORY_COLUMNS`, or a line that is not a table row, is a `ConfigError`
 * naming the line.
 *
 * @example
 * appendHistory(blocks.history, entry, 'ops/failure_playbook.md')
 */
export function appendHistory(block: Block, entry: HistoryEntry, label: string): string[] {
  const expected = renderRow(HISTORY_COLUMNS);
  const lineOf = (index: number) => block.start + 2 + index;
  const tableLines: number[] = [];
  block.inner.forEach((line, index) => {
    if (line.trim() === '') return;
    const cells = splitRow(line);
    if (!cells) {
      throw new ConfigError(
        { file: label, line: lineOf(index) },
        `expected a row of the history table (${expected}); found ${JSON.stringify(line)}`,
      );
    }
    if (
      tableLines.length === 0 &&
      cells.map((c) => c.toLowerCase()).join('|') !== HISTORY_COLUMNS.join('|')
    ) {
      throw new ConfigError(
        { file: label, line: lineOf(index) },
        `the history table header must be ${expected}; found ${renderRow(cells)}`,
      );
    }
    if (tableLines.length === 1 && !isSeparator(cells)) {
      throw new ConfigError(
        { file: label, line: lineOf(index) },
        `expected the separator ${renderHeader(HISTORY_COLUMNS)[1]} after the history header`,
      );
    }
    tableLines.push(index);
  });
  const row = renderRow([
    entry.date,
    entry.primary,
    entry.previous,
    entry.verdict,
    String(entry.cases),
    entry.url ?? '-',
  ]);
  if (tableLines.length === 0) return [...renderHeader(HISTORY_COLUMNS), row];
  if (tableLines.length === 1) {
    throw new ConfigError(
      { file: label, line: lineOf(tableLines[0]!) },
      `the history header has no separator line: add ${renderHeader(HISTORY_COLUMNS)[1]} under it`,
    );
  }
  const after = tableLines.at(-1)! + 1;
  return [...block.inner.slice(0, after), row, ...block.inner.slice(after)];
}
