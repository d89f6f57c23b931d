import {
  LineCounter,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseDocument,
  type Document,
  type Node,
} from 'yaml';
import type { ConfigProblem } from './problems.js';
import { problemAt } from './problems.js';

/** A zod-style path into a parsed document. */
export type DataPath = readonly PropertyKey[];

/** A 1-based line and column. */
export interface Position {
  line: number;
  col: number;
}

/**
 * A parsed YAML file that still knows where every value came from.
 * `locate` maps a data path to the position of its node: the value by default,
 * the key with `{ key: true }`, and the nearest existing ancestor when the path
 * runs past the document (a missing key is reported where its map starts).
 */
export interface YamlSource {
  /** How the file is named in messages (usually relative to the project root). */
  label: string;
  /** The plain data (`null` for an empty file). */
  data: unknown;
  locate(path: DataPath, options?: { key?: boolean }): Position;
}

/**
 * Parse YAML text, keeping positions. Syntax errors come back as problems with
 * yaml's own line and column; `source` is undefined when there were any.
 *
 * @example
 * const { source, problems } = parseYaml('judge: openai:gpt-5\n', 'rubric.yaml')
 * source?.locate(['judge']) // { line: 1, col: 8 }
 */
export function parseYaml(
  text: string,
  label: string,
): { source: YamlSource; problems: [] } | { source: undefined; problems: ConfigProblem[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((error) => {
      const at = lineCounter.linePos(error.pos[0]);
      const text = error.message.replace(/\s+/g, ' ').trim();
      return problemAt(
        { file: label, line: at.line, col: at.col },
        `YAML syntax error: ${text}`,
        'E_CONFIG_YAML',
      );
    });
    return { source: undefined, problems };
  }
  const data: unknown = doc.toJS({ maxAliasCount: 10_000 });
  const locate = (path: DataPath, options?: { key?: boolean }): Position => {
    const offset = offsetOf(doc, path, options?.key === true);
    return offset === undefined ? { line: 1, col: 1 } : lineCounter.linePos(offset);
  };
  return { source: { label, data, locate }, problems: [] };
}

/** The start offset of the node at `path`, or of its nearest existing ancestor. */
function offsetOf(doc: Document, path: DataPath, wantKey: boolean): number | undefined {
  let node: unknown = doc.contents;
  let offset = startOf(node);
  for (let i = 0; i < path.length; i++) {
    node = resolveAlias(doc, node);
    const segment = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && keyText(item.key) === String(segment));
      if (!pair) return offset;
      const keyStart = startOf(pair.key);
      if (last && wantKey) return keyStart ?? offset;
      node = pair.value;
      // `key:` with no value: point at the key.
      offset = (isEmpty(node) ? undefined : startOf(node)) ?? keyStart ?? offset;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
      const start = startOf(node);
      if (start === undefined) return offset;
      offset = start;
    } else {
      return offset;
    }
  }
  return offset;
}

function resolveAlias(doc: Document, node: unknown): unknown {
  return isAlias(node) ? node.resolve(doc) : node;
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

function isEmpty(node: unknown): boolean {
  return isScalar(node) && node.range !== undefined && node.range !== null && node.range[0] === node.range[1];
}

function startOf(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? range[0] : undefined;
}

/**
 * A problem location for `path` in `source`: file, line, col.
 *
 * @example
 * problemAt(locationIn(source, ['judge']), 'judge is required')
 */
export function locationIn(source: YamlSource, path: DataPath, options?: { key?: boolean }) {
  return { file: source.label, ...source.locate(path, options) };
}

/**
 * `file:line:col` of `path` in `source`, to name a second place in a message.
 *
 * @example
 * `is already used at ${where(first, ['cases', 3])}` // 'is already used at eval/cases.yaml:12:5'
 */
export function where(source: YamlSource, path: DataPath): string {
  const { line, col } = source.locate(path);
  return `${source.label}:${line}:${col}`;
}
