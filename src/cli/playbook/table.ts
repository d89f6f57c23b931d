/**
 * Markdown pipe tables, as the playbook blocks hold them: one row per line,
 * `|` escaped as `\|` inside a cell.
 */

/**
 * The cells of a table row, trimmed and unescaped, or `undefined` when the line
 * is not a row (it does not start with `|`).
 *
 * @example
 * splitRow('| primary | openai:gpt-5 \\| x |') // ['primary', 'openai:gpt-5 | x']
 */
export function splitRow(line: string): string[] | undefined {
  const text = line.trim();
  if (!text.startsWith('|')) return undefined;
  const cells: string[] = [];
  let cell = '';
  for (let i = 1; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\' && text[i + 1] === '|') {
      cell += '|';
      i++;
    } else if (ch === '|') {
      cells.push(cell.trim());
      cell = '';
    } else cell += ch;
  }
  if (cell.trim() !== '') cells.push(cell.trim());
  return cells;
}

/**
 * Whether the cells are a header separator (`---`, `:--`, `--:`).
 *
 * @example
 * isSeparator(['---', ':---:']) // true
 */
export function isSeparator(cells: readonly string[]): boolean {
  return cells.length > 0 && cells.every((cell) => /^:?-{3,}:?$/.test(cell));
}

/**
 * A cell's text encoded for a playbook table, the inverse of `splitRow`: `|`
 * becomes `\|`, line breaks spaces, nothing else. Not `escapeCell`
 * (internal/markdown-escape.ts), which is for untrusted text rendered once: the
 * playbook is read back, and `\_`, `&lt;` or a 300-character cut would not survive
 * the round trip (`openai-compatible:my_model` would come back as `my\_model`).
 *
 * @example
 * encodeCell('a|b') // 'a\\|b'
 */
export function encodeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/**
 * One table row from its cells.
 *
 * @example
 * renderRow(['primary', 'openai:gpt-5']) // '| primary | openai:gpt-5 |'
 */
export function renderRow(cells: readonly string[]): string {
  return `| ${cells.map(encodeCell).join(' | ')} |`;
}

/**
 * A header row and its separator.
 *
 * @example
 * renderHeader(['date', 'verdict']) // ['| date | verdict |', '| --- | --- |']
 */
export function renderHeader(columns: readonly string[]): [string, string] {
  return [renderRow(columns), `| ${columns.map(() => '---').join(' | ')} |`];
}
