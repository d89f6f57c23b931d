import { ConfigError } from '../../errors.js';
import type { ProviderSettings } from '../../providers/types.js';
import type { Block } from './blocks.js';
import { isSeparator, renderHeader, renderRow, splitRow } from './table.js';

/** The columns of the models table, in order. */
export const MODEL_COLUMNS = ['role', 'model', 'rpm', 'max_in_flight', 'timeout_s', 'max_retries'] as const;
const LIMIT_COLUMNS = ['rpm', 'max_in_flight', 'timeout_s', 'max_retries'] as const;
export type LimitColumn = (typeof LIMIT_COLUMNS)[number];

/** One role of the models table. Limits are kept as written (`-` for none) so a move keeps them exactly. */
export interface ModelRow {
  role: 'primary' | 'fallback';
  model: string;
  limits: Record<LimitColumn, string>;
}

/** What the models block says: one primary, at most one fallback. */
export interface ModelsTable {
  primary: ModelRow;
  fallback: ModelRow | undefined;
}

const NONE = '-';
const EXPECTED_HEADER = renderRow(MODEL_COLUMNS);

/**
 * A row for `model` with its limits from rubric.yaml's `providers:` (`-` where unset).
 *
 * @example
 * rowFromSettings('primary', 'anthropic:claude-opus-4-7', { rpm: 50, timeout_s: 60 })
 * // { role: 'primary', model: '...', limits: { rpm: '50', max_in_flight: '-', timeout_s: '60', max_retries: '-' } }
 */
export function rowFromSettings(
  role: ModelRow['role'],
  model: string,
  settings: ProviderSettings | undefined,
): ModelRow {
  const text = (value: number | undefined) => (value === undefined ? NONE : String(value));
  return {
    role,
    model,
    limits: {
      rpm: text(settings?.rpm),
      max_in_flight: text(settings?.max_in_flight),
      timeout_s: text(settings?.timeout_s),
      max_retries: text(settings?.max_retries),
    },
  };
}

/**
 * The lines of the models block: header, separator, primary, then fallback.
 *
 * @example
 * renderModelsTable({ primary, fallback: undefined })
 */
export function renderModelsTable(table: ModelsTable): string[] {
  const rows = [table.primary, table.fallback].filter((row): row is ModelRow => row !== undefined);
  return [
    ...renderHeader(MODEL_COLUMNS),
    ...rows.map((row) => renderRow([row.role, row.model, ...LIMIT_COLUMNS.map((c) => row.limits[c])])),
  ];
}

/**
 * Read the models block: the header of `MODEL_COLUMNS`, a separator, then one
 * `primary` row and at most one `fallback` row (a fallback whose model is `-`
 * is none). Anything else is a `ConfigError` naming the line and what is expected.
 *
 * @example
 * parseModelsTable(blocks.models, 'ops/failure_playbook.md').primary.model // 'anthropic:claude-sonnet-4-6'
 */
export function parseModelsTable(block: Block, label: string): ModelsTable {
  const fail = (index: number, problem: string): never => {
    throw new ConfigError({ file: label, line: block.start + 2 + index }, problem);
  };
  const rows: { cells: string[]; index: number }[] = [];
  block.inner.forEach((line, index) => {
    if (line.trim() === '') return;
    const cells = splitRow(line);
    if (!cells)
      fail(index, `expected a row of the models table (${EXPECTED_HEADER}); found ${JSON.stringify(line)}`);
    rows.push({ cells: cells!, index });
  });
  const [header, separator, ...body] = rows;
  if (!header)
    fail(
      -1,
      `the models block is empty: expected the table ${EXPECTED_HEADER}, a --- line and a primary row`,
    );
  const names = header!.cells.map((cell) => cell.toLowerCase());
  if (names.join('|') !== MODEL_COLUMNS.join('|')) {
    fail(
      header!.index,
      `the models table header must be ${EXPECTED_HEADER}; found ${renderRow(header!.cells)}`,
    );
  }
  if (!separator || !isSeparator(separator.cells) || separator.cells.length !== MODEL_COLUMNS.length) {
    fail(
      separator?.index ?? header!.index,
      `expected the separator ${renderHeader(MODEL_COLUMNS)[1]} after the header`,
    );
  }
  const found: Partial<Record<ModelRow['role'], ModelRow & { index: number }>> = {};
  for (const { cells, index } of body) {
    if (cells.length !== MODEL_COLUMNS.length) {
      fail(
        index,
        `a models row has ${cells.length} cells; expected ${MODEL_COLUMNS.length}: ${EXPECTED_HEADER}`,
      );
    }
    const [role, model, ...limits] = cells as [string, string, ...string[]];
    if (role !== 'primary' && role !== 'fallback') {
      fail(index, `the role must be primary or fallback; found ${JSON.stringify(role)}`);
    }
    const earlier = found[role as ModelRow['role']];
    if (earlier)
      fail(index, `a second ${role} row (the first is on line ${block.start + 2 + earlier.index}): keep one`);
    LIMIT_COLUMNS.forEach((column, i) => {
      const value = limits[i]!;
      if (value !== NONE && !/^\d+(\.\d+)?$/.test(value)) {
        fail(index, `${column} must be a number or -; found ${JSON.stringify(value)}`);
      }
    });
    if (model === '' || (role === 'primary' && model === NONE)) {
      fail(index, `the ${role} row names no model; write provider:model, e.g. anthropic:claude-sonnet-4-6`);
    }
    const entries = LIMIT_COLUMNS.map((column, i) => [column, limits[i]!] as const);
    found[role as ModelRow['role']] = {
      role: role as ModelRow['role'],
      model,
      limits: Object.fromEntries(entries) as Record<LimitColumn, string>,
      index,
    };
  }
  if (!found.primary)
    fail(header!.index, 'the models table has no primary row: add | primary | provider:model | ... |');
  const strip = (row: (ModelRow & { index: number }) | undefined): ModelRow | undefined =>
    row && { role: row.role, model: row.model, limits: row.limits };
  const fallback = found.fallback?.model === NONE ? undefined : strip(found.fallback);
  return { primary: strip(found.primary)!, fallback };
}
