import { normaliseMessages, type TraceMessage } from './messages.js';

/** One production trace, normalised from either input format. */
export interface TraceRecord {
  /** Epoch milliseconds, when the trace has a timestamp. */
  timestamp: number | undefined;
  /** The prompt: `input` becomes one user message. */
  messages: TraceMessage[];
  /** What the model answered in production; kept for reference, never scored against. */
  output: string | undefined;
  context: string[] | undefined;
  node: string | undefined;
  subject: string | undefined;
  tags: string[];
  /** Everything else the trace carried. */
  metadata: Record<string, unknown>;
}

/** Why a line is not a usable trace; reported with its line number. */
export class TraceProblem extends Error {}

const KNOWN = new Set(['timestamp', 'input', 'messages', 'output', 'context', 'metadata']);

/**
 * Map one line of the plain JSONL format to a `TraceRecord`: `timestamp` (ISO
 * or epoch ms), `input` or `messages`, `output`, `context`, `metadata` (`node`,
 * `subject`, `tags` lifted out; other keys, and unknown top-level keys, kept).
 * Throws a `TraceProblem` saying what is wrong.
 *
 * @example
 * plainTrace({ timestamp: '2026-11-27T10:00:00Z', input: 'Can I return shoes?', metadata: { tags: ['billing'] } })
 * // { timestamp: 1795773600000, messages: [{ role: 'user', content: 'Can I return shoes?' }], tags: ['billing'], ... }
 */
export function plainTrace(line: Record<string, unknown>): TraceRecord {
  const messages =
    line['messages'] !== undefined ? check(normaliseMessages(line['messages'])) : inputOf(line);
  const meta = line['metadata'] ?? {};
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) {
    throw new TraceProblem('metadata must be an object');
  }
  const { node, subject, tags, ...rest } = meta as Record<string, unknown>;
  const extra = Object.fromEntries(Object.entries(line).filter(([key]) => !KNOWN.has(key)));
  return {
    timestamp: timestampOf(line['timestamp']),
    messages,
    output: outputOf(line['output']),
    context: contextOf(line['context']),
    node: idLike(node, 'metadata.node'),
    subject: idLike(subject, 'metadata.subject'),
    tags: tagsOf(tags, 'metadata.tags'),
    metadata: { ...extra, ...rest },
  };
}

/**
 * A timestamp as traces write it: epoch milliseconds (number or digits), or
 * an ISO 8601 string. `undefined` when absent; a `TraceProblem` when unreadable.
 *
 * @example
 * timestampOf('2026-11-27T10:00:00Z') // 1795773600000
 */
export function timestampOf(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\d{10,}$/.test(value)) return Number(value);
  const parsed = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(parsed)) {
    throw new TraceProblem(`timestamp ${JSON.stringify(value)} is neither ISO 8601 nor epoch milliseconds`);
  }
  return parsed;
}

/** `context` as a list of strings; one string is a list of one. */
export function contextOf(value: unknown, label = 'context'): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value) || !value.every((c) => typeof c === 'string')) {
    throw new TraceProblem(`${label} must be a list of strings`);
  }
  return value.length ? value : undefined;
}

/** The production answer: a string, or the JSON text of anything else. */
export function outputOf(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Tags: a list of strings or one comma-separated string; blanks dropped. */
export function tagsOf(value: unknown, label: string): string[] {
  if (value === undefined || value === null) return [];
  const list = typeof value === 'string' ? value.split(',') : value;
  if (!Array.isArray(list) || !list.every((t) => typeof t === 'string')) {
    throw new TraceProblem(`${label} must be a list of strings`);
  }
  return list.map((t) => t.trim()).filter((t) => t !== '');
}

/** An optional non-empty string (node, subject). */
export function idLike(value: unknown, label: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new TraceProblem(`${label} must be a string`);
  return value.trim() || undefined;
}

function inputOf(line: Record<string, unknown>): TraceMessage[] {
  const input = line['input'];
  if (input === undefined) throw new TraceProblem('has neither input nor messages');
  if (typeof input !== 'string') throw new TraceProblem('input must be a string (or use messages)');
  if (input.trim() === '') throw new TraceProblem('input is empty');
  return [{ role: 'user', content: input }];
}

function check(messages: TraceMessage[] | string): TraceMessage[] {
  if (typeof messages === 'string') throw new TraceProblem(messages);
  return messages;
}
