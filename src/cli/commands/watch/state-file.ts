import { z } from 'zod';
import { parseWithSchema } from '../../../config/parse.js';
import { ConfigValidationError } from '../../../config/problems.js';
import { parseYaml } from '../../../config/yaml-source.js';

/** Where `qualify watch` keeps the models it proposed; committed, changed only by its PRs. */
export const WATCH_STATE_FILE = 'eval/watch-state.json';

const Entry = z.strictObject({
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a date written YYYY-MM-DD' })
    .meta({
      description: 'When qualify watch proposed it.',
    }),
  branch: z.string().min(1).optional().meta({ description: 'The model/ branch of its pull request.' }),
  note: z.string().optional().meta({ description: 'Why, for an entry written by hand (e.g. "declined").' }),
});

/**
 * `eval/watch-state.json`: per provider, the models already proposed or qualified, by
 * `provider:model`. A model listed here is never proposed again.
 *
 * @example
 * WatchStateSchema.parse({ version: 1, seen: { 'anthropic:claude-opus-5': { date: '2026-12-03' } } })
 */
export const WatchStateSchema = z.strictObject({
  version: z.literal(1, { error: 'must be 1' }),
  seen: z.record(z.string().regex(/^[a-z-]+:\S+$/, { error: 'must be provider:model' }), Entry).default({}),
});
export type WatchState = z.output<typeof WatchStateSchema>;

/** A state file that does not exist yet. */
export const EMPTY_STATE: WatchState = { version: 1, seen: {} };

/**
 * Parse the state file's text (JSON; read through the YAML reader for `file:line:col`
 * errors). Empty text is the empty state.
 *
 * @example
 * parseWatchState('{ "version": 1, "seen": {} }', 'eval/watch-state.json').seen // {}
 */
export function parseWatchState(text: string, label: string): WatchState {
  if (text.trim() === '') return { version: 1, seen: {} };
  const parsed = parseYaml(text, label);
  if (!parsed.source) throw new ConfigValidationError(parsed.problems);
  return parseWithSchema(WatchStateSchema, parsed.source.data ?? {}, parsed.source);
}

/**
 * The state with `model` recorded, as the file is written: two-space JSON, models sorted.
 *
 * @example
 * renderWatchState(recordSeen(EMPTY_STATE, 'openai:gpt-5.2', { date: '2026-12-03' }))
 */
export function recordSeen(state: WatchState, model: string, entry: WatchState['seen'][string]): WatchState {
  return { version: 1, seen: { ...state.seen, [model]: entry } };
}

/** The file's text: two-space JSON, models sorted, a final newline. */
export function renderWatchState(state: WatchState): string {
  const seen = Object.fromEntries(
    Object.entries(state.seen).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  return `${JSON.stringify({ version: 1, seen }, null, 2)}\n`;
}
