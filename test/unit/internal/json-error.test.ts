import { expect, test } from 'vitest';
import { locateJsonError } from '../../../src/internal/json-error.js';

test.each([
  ['{"a": 1}', undefined],
  ['[1, 2.5e3, -0, true, false, null, "x\\u00e9\\n"]', undefined],
  ['{"a": x}', { line: 1, col: 7, reason: 'unexpected character "x"' }],
  ['{\n  "schema": x\n}', { line: 2, col: 13, reason: 'unexpected character "x"' }],
  ['{"a": 1,}', { line: 1, col: 9, reason: 'expected a quoted key, found "}"' }],
  ['{"a" 1}', { line: 1, col: 6, reason: 'expected ":", found "1"' }],
  ['[1 2]', { line: 1, col: 4, reason: 'expected "," or "]", found "2"' }],
  ['{"a": "b', { line: 1, col: 9, reason: 'unterminated string' }],
  ['{"a": 1', { line: 1, col: 8, reason: 'expected "," or "}", found the end of input' }],
  ['', { line: 1, col: 1, reason: 'unexpected end of input' }],
  ['{} x', { line: 1, col: 4, reason: 'unexpected "x" after the JSON value' }],
  ['"a\\q"', { line: 1, col: 4, reason: 'bad escape' }],
])('%j', (text, expected) => {
  expect(locateJsonError(text)).toEqual(expected);
  if (expected === undefined) expect(() => JSON.parse(text)).not.toThrow();
  else expect(() => JSON.parse(text)).toThrow();
});
