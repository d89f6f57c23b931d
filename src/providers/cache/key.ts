import { createHash } from 'node:crypto';
import type { ChatRequest, EmbedRequest } from '../types.js';

/** Which API a cassette entry answers. */
export type CacheKind = 'chat' | 'embed';

/** A request as it is keyed and stored: plain JSON, no `signal`, `purpose` or `stream`. */
export type KeyedRequest = Record<string, unknown>;

/** Request fields that do not change the answer, so never key it. */
const UNKEYED_FIELDS = new Set(['signal', 'purpose', 'stream']);

/**
 * JSON with object keys sorted at every depth and `undefined` members left
 * out, so equal values always give equal text.
 *
 * @example
 * canonicalJson({ b: 1, a: [{ d: 2, c: undefined }] }) // '{"a":[{"d":2}],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    if (text === undefined) throw new TypeError(`cannot key a ${typeof value} value`);
    return text;
  }
  if (Array.isArray(value)) {
    return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  }
  const members = Object.keys(value)
    .sort()
    .filter((name) => (value as Record<string, unknown>)[name] !== undefined)
    .map((name) => `${JSON.stringify(name)}:${canonicalJson((value as Record<string, unknown>)[name])}`);
  return `{${members.join(',')}}`;
}

/**
 * The part of a request that decides its answer, as plain JSON with sorted keys:
 * the request minus `signal`, `purpose` and `stream`. It never holds headers or
 * keys, because neutral requests do not carry them.
 *
 * @example
 * keyedRequest({ model: 'openai:gpt-5', messages: [], purpose: 'judge' }) // { messages: [], model: 'openai:gpt-5' }
 */
export function keyedRequest(request: ChatRequest | EmbedRequest): KeyedRequest {
  return JSON.parse(canonicalRequest(request)) as KeyedRequest;
}

/**
 * The canonical JSON text of the part of a request that decides its answer:
 * `canonicalJson(keyedRequest(request))`, without building the copy.
 *
 * @example
 * canonicalRequest({ model: 'openai:gpt-5', messages: [], purpose: 'judge' }) // '{"messages":[],"model":"openai:gpt-5"}'
 */
export function canonicalRequest(request: ChatRequest | EmbedRequest): string {
  const kept = Object.fromEntries(Object.entries(request).filter(([name]) => !UNKEYED_FIELDS.has(name)));
  return canonicalJson(kept);
}

/**
 * The cache key: sha256 (hex) of the canonical JSON of `{ kind, model, request }`.
 *
 * @example
 * cacheKey('chat', 'anthropic:claude-sonnet-4-6', keyedRequest(request)) // '3f1c…' (64 hex digits)
 */
export function cacheKey(kind: CacheKind, model: string, request: KeyedRequest): string {
  return cacheKeyOfCanonical(kind, model, canonicalJson(request));
}

/**
 * The cache key from the request's canonical text (`canonicalRequest`): the same
 * hash as `cacheKey`, since canonical JSON lists `kind`, `model`, `request` in
 * that order and a canonical text parsed and written again is the same text.
 *
 * @example
 * cacheKeyOfCanonical('chat', 'openai:gpt-5', canonicalRequest(request)) === cacheKey('chat', 'openai:gpt-5', keyedRequest(request)) // true
 */
export function cacheKeyOfCanonical(kind: CacheKind, model: string, canonical: string): string {
  return createHash('sha256')
    .update(`{"kind":${JSON.stringify(kind)},"model":${JSON.stringify(model)},"request":${canonical}}`)
    .digest('hex');
}

/**
 * A short, one-line description of a request for messages: the first 80
 * characters of the last message (chat) or of the first input (embed).
 *
 * @example
 * summarizeRequest('chat', { messages: [{ role: 'user', content: 'Can I return shoes?' }] }) // '"Can I return shoes?"'
 */
export function summarizeRequest(kind: CacheKind, request: KeyedRequest): string {
  if (kind === 'chat') {
    const messages = Array.isArray(request['messages']) ? (request['messages'] as unknown[]) : [];
    const last = messages.at(-1) as { content?: unknown } | undefined;
    return quote(typeof last?.content === 'string' ? last.content : '');
  }
  const input = Array.isArray(request['input']) ? (request['input'] as unknown[]) : [];
  const first = typeof input[0] === 'string' ? input[0] : '';
  return input.length > 1 ? `${quote(first)} (+${input.length - 1} more)` : quote(first);
}

function quote(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(oneLine.length > 80 ? `${oneLine.slice(0, 80)}…` : oneLine);
}
