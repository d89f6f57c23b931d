import { isSeq, parseDocument, type Node } from 'yaml';
import { ConfigError } from '../../../errors.js';
import type { AllowEntry } from '../../../scorecard/status.js';
import { yamlScalar } from '../../files/yaml-scalar.js';

/**
 * An allowlist entry as block YAML lines, keys in the order of docs/architecture.md 2.4,
 * free text double-quoted.
 *
 * @example
 * renderEntry({ case: 'a', model: 'openai:gpt-5', reason: 'ok', author: 'D <d@x>', date: '2026-11-27' })
 * // ['- case: a', '  model: openai:gpt-5', '  reason: "ok"', '  author: "D <d@x>"', '  date: 2026-11-27']
 */
export function renderEntry(entry: AllowEntry, indent = ''): string[] {
  const fields: [string, string | undefined][] = [
    ['case', yamlScalar(entry.case)],
    ['model', yamlScalar(entry.model)],
    ['max_drop', entry.max_drop === undefined ? undefined : String(entry.max_drop)],
    ['reason', JSON.stringify(entry.reason)],
    ['author', JSON.stringify(entry.author)],
    ['date', yamlScalar(entry.date)],
    ['reviewer', entry.reviewer === undefined ? undefined : JSON.stringify(entry.reviewer)],
    ['expires', entry.expires === undefined ? undefined : yamlScalar(entry.expires)],
  ];
  return fields
    .filter((field): field is [string, string] => field[1] !== undefined)
    .map(([key, value], i) => `${indent}${i === 0 ? '- ' : '  '}${key}: ${value}`);
}

/**
 * The allowlist text with `entry` added at the end, or put in place of entry
 * number `replace`. Everything else (header, comments, other entries) is kept
 * as written. A missing file starts with `header`; `[]` becomes a block list.
 * Pure: text in, text out.
 *
 * @example
 * addAllowEntry('# header\n[]\n', entry, { header: '', label: 'eval/allowlist.yaml' })
 * // '# header\n- case: ...\n'
 */
export function addAllowEntry(
  text: string | undefined,
  entry: AllowEntry,
  options: { header: string; label: string; replace?: number | undefined },
): string {
  if (text === undefined || text.trim() === '') return `${options.header}${renderEntry(entry).join('\n')}\n`;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const doc = parseDocument(text);
  const contents = doc.contents;
  const withEol = (lines: string[]) => lines.join(eol);
  if (contents === null)
    return `${text}${text.endsWith('\n') ? '' : eol}${withEol(renderEntry(entry))}${eol}`;
  if (!isSeq(contents)) {
    throw new ConfigError(
      { file: options.label },
      'is not a list of entries; write it as `- case: ...` entries or `[]`',
    );
  }
  const [start, end] = contents.range ?? [0, 0];
  if (contents.flow) {
    if (contents.items.length > 0) {
      throw new ConfigError(
        { file: options.label },
        'is written as a flow list [...]; rewrite it as a block list (- case: ...) and run allow again',
      );
    }
    const lineStart = text.lastIndexOf('\n', start - 1) + 1;
    const indent = text.slice(lineStart, start).trim() === '' ? text.slice(lineStart, start) : '';
    const block = withEol(renderEntry(entry, indent));
    return text.slice(0, indent === '' ? start : lineStart) + block + text.slice(end);
  }
  const lines = text.split('\n');
  const lineOf = (offset: number) => text.slice(0, offset).split('\n').length - 1;
  const dashLine = (item: Node): number => {
    let line = lineOf(item.range![0]);
    while (line > 0 && !/^\s*-/.test(lines[line]!)) line--;
    return line;
  };
  const first = contents.items[0] as Node;
  const indent = /^(\s*)-/.exec(lines[dashLine(first)]!)?.[1] ?? '';
  const rendered = renderEntry(entry, indent).map((line) => (eol === '\r\n' ? `${line}\r` : line));
  if (options.replace !== undefined) {
    const item = contents.items[options.replace] as Node | undefined;
    if (!item?.range) throw new RangeError(`no entry ${options.replace} to replace`);
    const from = dashLine(item);
    const to = lineOf(item.range[1] - 1);
    return [...lines.slice(0, from), ...rendered, ...lines.slice(to + 1)].join('\n');
  }
  const body = text.endsWith('\n') ? text : `${text}${eol}`;
  return `${body}${withEol(renderEntry(entry, indent))}${eol}`;
}
