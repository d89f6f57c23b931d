/**
 * Hand-written for a missing feature: Node 20's `JSON.parse` names no line or column and
 * sometimes no position at all (`Unexpected token 'x', "{"a": x}" is not valid JSON`, the
 * whole input quoted), and `yaml`, the parser in the tree that has positions, accepts
 * `{"a": x}` as valid. It runs only after `JSON.parse` has failed: no cost on good input.
 */
import { ConfigError } from '../errors.js';

/**
 * Where a JSON text first goes wrong, as 1-based line and column and a short
 * reason. V8's own messages differ between Node versions, may quote the whole
 * input, and do not always give a position; this scanner does.
 *
 * @internal
 * @example
 * locateJsonError('{"a": x}') // { line: 1, col: 7, reason: 'unexpected character "x"' }
 */
export function locateJsonError(text: string): { line: number; col: number; reason: string } | undefined {
  let i = 0;
  const fail = (reason: string): never => {
    throw new JsonScanError(i, reason);
  };
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const unexpected = (): never =>
    fail(i >= text.length ? 'unexpected end of input' : `unexpected character ${JSON.stringify(text[i])}`);
  const literal = (word: string): void => {
    if (text.startsWith(word, i)) i += word.length;
    else unexpected();
  };
  const string = (): void => {
    i++; // opening quote
    while (i < text.length) {
      const ch = text[i]!;
      if (ch === '"') {
        i++;
        return;
      }
      if (ch === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail('bad \\u escape');
          i += 5;
        } else if (i < text.length && '"\\/bfnrt'.includes(text[i]!)) i++;
        else fail('bad escape');
      } else if (ch < ' ') fail('control character in string');
      else i++;
    }
    fail('unterminated string');
  };
  const number = (): void => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!match) unexpected();
    i += match![0].length;
  };
  const value = (): void => {
    ws();
    const ch = text[i];
    if (ch === '{') container('}', true);
    else if (ch === '[') container(']', false);
    else if (ch === '"') string();
    else if (ch === 't') literal('true');
    else if (ch === 'f') literal('false');
    else if (ch === 'n') literal('null');
    else if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) number();
    else unexpected();
  };
  const container = (close: string, keyed: boolean): void => {
    i++;
    ws();
    if (text[i] === close) {
      i++;
      return;
    }
    for (;;) {
      if (keyed) {
        ws();
        if (text[i] !== '"') fail(`expected a quoted key, found ${describe(text[i])}`);
        string();
        ws();
        if (text[i] !== ':') fail(`expected ":", found ${describe(text[i])}`);
        i++;
      }
      value();
      ws();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === close) {
        i++;
        return;
      }
      fail(`expected "," or "${close}", found ${describe(text[i])}`);
    }
  };
  try {
    value();
    ws();
    if (i < text.length) fail(`unexpected ${describe(text[i])} after the JSON value`);
    return undefined;
  } catch (error) {
    if (!(error instanceof JsonScanError)) throw error;
    const before = text.slice(0, error.offset);
    const line = before.split('\n').length;
    return { line, col: error.offset - before.lastIndexOf('\n'), reason: error.reason };
  }
}

function describe(ch: string | undefined): string {
  return ch === undefined ? 'the end of input' : JSON.stringify(ch);
}

class JsonScanError extends Error {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/**
 * `JSON.parse`, with a parse failure turned into a `ConfigError` at the line and
 * column where the text goes wrong; `what` names the document, `fix` says what to do.
 *
 * @internal
 * @example
 * parseJsonDocument(text, 'eval/baseline.json', 'the baseline', 'restore it from git')
 */
export function parseJsonDocument(text: string, label: string, what: string, fix: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    const where = locateJsonError(text);
    throw new ConfigError(
      { file: label, line: where?.line, col: where?.col },
      `${what} is not valid JSON (${where?.reason ?? 'unreadable'}): ${fix}`,
    );
  }
}
