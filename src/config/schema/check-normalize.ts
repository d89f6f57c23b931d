import type { JsonSchema } from '../../providers/types.js';
import type { CheckInput } from './check-options.js';

/**
 * A deterministic check, normalised so a scorer can `switch (check.kind)`:
 * text lists are always lists, modifiers always have their value (defaults
 * filled in), and `name` is the label given or one derived from the check
 * (`regex /30[ -]day/i`, `max_chars 1200`).
 *
 * @example
 * switch (check.kind) { case 'contains': return check.value.every((t) => has(output, t, check.ignore_case)) }
 */
export type Check =
  | { kind: 'contains' | 'not_contains'; value: string[]; ignore_case: boolean; name: string }
  | { kind: 'regex' | 'not_regex'; value: string; flags: string; name: string }
  | { kind: 'equals'; value: string; ignore_case: boolean; trim: boolean; name: string }
  | { kind: 'starts_with'; value: string; ignore_case: boolean; name: string }
  | { kind: 'max_chars' | 'min_chars'; value: number; name: string }
  | { kind: 'json'; name: string }
  | { kind: 'json_schema'; value: JsonSchema; name: string }
  | {
      kind: 'tool_called';
      value: ExpectedToolCall;
      name: string;
    }
  | {
      kind: 'tool_trajectory';
      value: { calls: ExpectedToolCall[]; mode: 'exact' | 'in_order' | 'subset' };
      name: string;
    }
  /** `value` is the module path relative to the repository root, as written. */
  | { kind: 'javascript'; value: string; export: string; name: string };

/** An expected tool call of `tool_called` / `tool_trajectory`, a bare name made `{ name }`. */
export interface ExpectedToolCall {
  name: string;
  arguments?: Record<string, unknown> | undefined;
}

const toolCallOf = (call: string | ExpectedToolCall): ExpectedToolCall =>
  typeof call === 'string' ? { name: call } : call;

const quote = (text: string) => JSON.stringify(text.length > 40 ? `${text.slice(0, 37)}...` : text);
const list = (value: string | string[]) => (typeof value === 'string' ? [value] : value);

/**
 * Turn a check entry as written into a `Check`.
 *
 * @example
 * normalizeCheck({ not_contains: 'guarantee' })
 * // { kind: 'not_contains', value: ['guarantee'], ignore_case: false, name: 'not_contains "guarantee"' }
 */
export function normalizeCheck(entry: CheckInput): Check {
  const label = entry.name;
  if ('contains' in entry || 'not_contains' in entry) {
    const kind = 'contains' in entry ? 'contains' : 'not_contains';
    const value = list('contains' in entry ? entry.contains : entry.not_contains);
    return {
      kind,
      value,
      ignore_case: entry.ignore_case ?? false,
      name: label ?? `${kind} ${value.map(quote).join(', ')}`,
    };
  }
  if ('regex' in entry || 'not_regex' in entry) {
    const kind = 'regex' in entry ? 'regex' : 'not_regex';
    const value = 'regex' in entry ? entry.regex : entry.not_regex;
    const flags = entry.flags ?? '';
    return { kind, value, flags, name: label ?? `${kind} /${value}/${flags}` };
  }
  if ('equals' in entry) {
    const { equals: value } = entry;
    return {
      kind: 'equals',
      value,
      ignore_case: entry.ignore_case ?? false,
      trim: entry.trim ?? true,
      name: label ?? `equals ${quote(value)}`,
    };
  }
  if ('starts_with' in entry) {
    const value = entry.starts_with;
    return {
      kind: 'starts_with',
      value,
      ignore_case: entry.ignore_case ?? false,
      name: label ?? `starts_with ${quote(value)}`,
    };
  }
  if ('max_chars' in entry)
    return { kind: 'max_chars', value: entry.max_chars, name: label ?? `max_chars ${entry.max_chars}` };
  if ('min_chars' in entry)
    return { kind: 'min_chars', value: entry.min_chars, name: label ?? `min_chars ${entry.min_chars}` };
  if ('json_schema' in entry)
    return { kind: 'json_schema', value: entry.json_schema, name: label ?? 'json_schema' };
  if ('tool_called' in entry) {
    const value = toolCallOf(entry.tool_called);
    return { kind: 'tool_called', value, name: label ?? `tool_called ${value.name}` };
  }
  if ('tool_trajectory' in entry) {
    const calls = entry.tool_trajectory.calls.map(toolCallOf);
    const { mode } = entry.tool_trajectory;
    const names = calls.length > 0 ? calls.map((c) => c.name).join(', ') : '(no calls)';
    return {
      kind: 'tool_trajectory',
      value: { calls, mode },
      name: label ?? `tool_trajectory ${mode} ${names}`,
    };
  }
  if ('javascript' in entry) {
    const exported = entry.export ?? 'default';
    return {
      kind: 'javascript',
      value: entry.javascript,
      export: exported,
      name: label ?? `javascript ${entry.javascript}#${exported}`,
    };
  }
  return { kind: 'json', name: label ?? 'json' };
}
