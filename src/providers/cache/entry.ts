/**
 * Where a cassette entry lives and how it is built: the part of the cassette
 * format the response cache needs on every call. Apart from `cassette.ts`
 * (the zod schemas that parse a cassette), so a worker loads zod only when it
 * reads or writes a cassette, not to make its first call.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { CassetteEntry, StoredChatResponse, StoredEmbedResponse } from './cassette.js';
import { cacheKey } from './key.js';
import type { CacheKind, KeyedRequest } from './key.js';

/**
 * The cassette file of a model: `<dir>/<provider>/<model>.jsonl`, the model
 * name made safe for every filesystem (other characters become `_`, plus a short
 * hash of the original name so two names never share a file).
 *
 * @example
 * cassettePath('eval/cassettes', { provider: 'anthropic', model: 'claude-sonnet-4-6' })
 * // 'eval/cassettes/anthropic/claude-sonnet-4-6.jsonl'
 */
export function cassettePath(dir: string, ref: { provider: string; model: string }): string {
  return join(dir, safeName(ref.provider), `${safeName(ref.model)}.jsonl`);
}

function safeName(name: string): string {
  const safe = name
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .replace(/^\.+/, '_')
    .slice(0, 100);
  if (safe === name && safe.length > 0) return safe;
  return `${safe}-${createHash('sha256').update(name).digest('hex').slice(0, 8)}`;
}

/**
 * Build an entry, keyed by its request; `kind` tells the response shape apart.
 * `key` is the request's `cacheKey`, passed when the caller has it already.
 *
 * @example
 * makeEntry('embed', 'openai:text-embedding-3-small', { input: ['hi'], model: 'openai:text-embedding-3-small' },
 *   { model: 'text-embedding-3-small', vectors: [[0.1]], usage: { inputTokens: 1, outputTokens: 0 } }, new Date())
 */
export function makeEntry(
  kind: CacheKind,
  model: string,
  request: KeyedRequest,
  response: StoredChatResponse | StoredEmbedResponse,
  recordedAt: Date,
  key: string = cacheKey(kind, model, request),
): CassetteEntry {
  const recorded_at = recordedAt.toISOString();
  return kind === 'chat'
    ? { key, kind, model, request, response: response as StoredChatResponse, recorded_at }
    : { key, kind, model, request, response: response as StoredEmbedResponse, recorded_at };
}
