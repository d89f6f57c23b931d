import { UsageError } from '../../errors.js';
import type { ParsedOptions } from '../command.js';

/**
 * A string option's value, or `undefined` when it was not given (and has no default).
 *
 * @example
 * const base = stringOption(options, 'base') // 'origin/main'
 */
export function stringOption(options: ParsedOptions, name: string): string | undefined {
  const value = options[name];
  if (value === undefined || typeof value === 'string') return value;
  if (Array.isArray(value)) return value.at(-1);
  throw new TypeError(`option --${name} is a boolean, not a string`);
}

/**
 * A boolean option: `true` when given.
 *
 * @example
 * if (booleanOption(options, 'force')) overwrite()
 */
export function booleanOption(options: ParsedOptions, name: string): boolean {
  return options[name] === true;
}

/**
 * A repeatable string option's values, in the order given (`[]` when absent).
 *
 * @example
 * listOption(options, 'allow') // ['docs/notes.md', 'CHANGELOG.md']
 */
export function listOption(options: ParsedOptions, name: string): string[] {
  const value = options[name];
  if (value === undefined) return [];
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') return [value];
  throw new TypeError(`option --${name} is a boolean, not a list`);
}

/**
 * A number option: `undefined` when absent; a `UsageError` when it is not a finite number.
 *
 * @example
 * numberOption(options, 'max-drop') // 2.5 for --max-drop 2.5
 */
export function numberOption(options: ParsedOptions, name: string): number | undefined {
  const text = stringOption(options, name);
  if (text === undefined) return undefined;
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(value)) {
    throw new UsageError(`--${name} takes a number; found ${JSON.stringify(text)}`);
  }
  return value;
}
