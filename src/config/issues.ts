import type { z } from 'zod';
import { formatPath } from '../internal/data-path.js';
import { didYouMean } from '../internal/did-you-mean.js';
import { problemAt, type ConfigProblem } from './problems.js';
import type { DataPath, Position } from './yaml-source.js';

type Issue = z.core.$ZodIssue;

/**
 * Where the data being validated came from: a label, and positions when it was YAML.
 *
 * @example
 * const source: IssueSource = { label: 'judge reply' }
 */
export interface IssueSource {
  label: string;
  locate?: ((path: DataPath, options?: { key?: boolean }) => Position) | undefined;
}

// The parse-wide error map below marks issues it saw: NO_MESSAGE when the schema
// gave no message of its own (we write one from the issue), KNOWN_KEYS + JSON for an
// unknown key, carrying the keys the object does accept (the issue itself does not).
const NO_MESSAGE = '\u0000';
const KNOWN_KEYS = '\u0000known:';

/**
 * The error map to parse config with (`schema.safeParse(data, { error: configErrorMap, reportInput: true })`).
 * @internal
 */
export const configErrorMap: z.core.$ZodErrorMap = (issue) => {
  if (issue.code === 'unrecognized_keys') return KNOWN_KEYS + JSON.stringify(acceptedKeys(issue.inst));
  return NO_MESSAGE;
};

function acceptedKeys(inst: unknown): string[] {
  const def = (inst as { _zod?: { def?: { type?: string; shape?: object; keyType?: unknown } } } | undefined)
    ?._zod?.def;
  if (def?.type === 'object' && def.shape) return Object.keys(def.shape);
  const values = (def?.keyType as { _zod?: { values?: Set<unknown> } } | undefined)?._zod?.values;
  return values ? [...values].map(String) : [];
}

/**
 * One or more problems from a zod issue (an unknown-keys issue gives one per key),
 * located in `source`.
 * @internal
 */
export function issueProblems(issue: Issue, source: IssueSource): ConfigProblem[] {
  const at = (path: DataPath, key = false) => {
    const position = source.locate?.(path, { key });
    return { file: source.label, line: position?.line, col: position?.col, key: formatPath(path) };
  };
  if (issue.code === 'unrecognized_keys') {
    const accepted = issue.message.startsWith(KNOWN_KEYS)
      ? (JSON.parse(issue.message.slice(KNOWN_KEYS.length)) as string[])
      : [];
    return issue.keys.map((key) => {
      const path = [...issue.path, key];
      return problemAt(at(path, true), `${formatPath(path)} is not a known key${didYouMean(key, accepted)}`);
    });
  }
  if (issue.code === 'invalid_key') {
    const inner = issue.issues[0];
    const text = inner ? predicate(inner) : 'is not a valid key';
    return [problemAt(at(issue.path, true), `${formatPath(issue.path)} ${text}`)];
  }
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const branch = closestBranch(issue.errors);
    if (branch) {
      return branch.flatMap((inner) =>
        issueProblems({ ...inner, path: [...issue.path, ...inner.path] }, source),
      );
    }
  }
  const onKey = issue.code === 'custom' && issue.params?.['at'] === 'key';
  return [problemAt(at(issue.path, onKey), `${formatPath(issue.path)} ${predicate(issue)}`)];
}

/**
 * The one union branch the input was evidently meant for, if there is one: the
 * only branch whose type matched (a map for a map), or else the only one with no
 * required key missing. Its issues say more than "does not match any form".
 */
function closestBranch(branches: Issue[][]): Issue[] | undefined {
  const typed = branches.filter((b) => !b.some((i) => i.path.length === 0 && i.code === 'invalid_type'));
  if (typed.length === 1) return typed[0];
  // A required key that is missing shows as an issue one level down with no input.
  const keyed = typed.filter((b) => !b.some((i) => i.path.length === 1 && i.input === undefined));
  return keyed.length === 1 ? keyed[0] : undefined;
}

/** What is wrong with the value, to follow its path: `must be at most 1; found 1.5`. */
function predicate(issue: Issue): string {
  const own =
    issue.message === NO_MESSAGE || issue.message.startsWith(KNOWN_KEYS) ? undefined : issue.message;
  const found = `; found ${describeValue(issue.input)}`;
  if (issue.input === undefined && issue.code !== 'custom') {
    // A required key that is absent.
    if (issue.code === 'invalid_type') return `is required; expected ${expectedText(issue.expected)}`;
    return own?.startsWith('must be ')
      ? `is required; expected ${own.slice('must be '.length)}`
      : 'is required';
  }
  switch (issue.code) {
    case 'invalid_type':
      return `${own ?? `must be ${expectedText(issue.expected)}`}${found}`;
    case 'too_small':
    case 'too_big':
      return `${own ?? boundText(issue)}${found}`;
    case 'invalid_format':
      return `${own ?? `must match ${issue.pattern ?? `the ${issue.format} format`}`}${found}`;
    case 'invalid_value':
      return `${own ?? `must be ${issue.values.length === 1 ? '' : 'one of '}${issue.values.map(String).join(', ')}`}${found}`;
    case 'invalid_union':
      return `${own ?? 'does not match any allowed form'}${found}`;
    case 'not_multiple_of':
      return `${own ?? `must be a multiple of ${issue.divisor}`}${found}`;
    default:
      return own ?? 'is not valid';
  }
}

function boundText(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): string {
  const small = issue.code === 'too_small';
  const bound = small ? issue.minimum : issue.maximum;
  if (issue.origin === 'string') {
    if (small && bound === 1) return 'must not be empty';
    return `must be ${small ? 'at least' : 'at most'} ${bound} characters long`;
  }
  if (issue.origin === 'array' || issue.origin === 'set') {
    return `must have ${small ? 'at least' : 'at most'} ${bound} item${bound === 1 ? '' : 's'}`;
  }
  if (issue.inclusive === false) return `must be ${small ? 'greater' : 'less'} than ${bound}`;
  return `must be ${small ? 'at least' : 'at most'} ${bound}`;
}

const EXPECTED: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  array: 'a list',
  tuple: 'a list',
  object: 'a map',
  record: 'a map',
  date: 'a date',
  null: 'an empty value',
};

function expectedText(expected: string): string {
  return EXPECTED[expected] ?? `a ${expected}`;
}

/**
 * A short description of a value for "found ...": strings quoted and cut, maps and lists named.
 *
 * @example
 * describeValue('x') // '"x"'
 * describeValue([1]) // 'a list'
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (typeof value === 'string') {
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  }
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (value instanceof Date) return `a date (${value.toISOString()})`;
  if (typeof value === 'object') return Object.keys(value).length === 0 ? 'an empty map' : 'a map';
  return String(value);
}
