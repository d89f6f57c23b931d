import { cassettePath } from './entry.js';
import { cacheKeyOfCanonical, canonicalRequest } from './key.js';
import type { CacheKind, KeyedRequest } from './key.js';
import type { ChatRequest, EmbedRequest, ModelRef } from '../types.js';

/** Where one request lives in the cache. */
export interface CacheSlot {
  kind: CacheKind;
  ref: ModelRef;
  key: string;
  file: string;
  request: KeyedRequest;
}

/** A request's place in the cache, keyed on first use. */
/** @internal */
export class Slot implements CacheSlot {
  readonly kind: CacheKind;
  readonly ref: ModelRef;
  readonly #source: ChatRequest | EmbedRequest;
  readonly #dir: string;
  #canonical: string | undefined;
  #request: KeyedRequest | undefined;
  #key: string | undefined;
  #file: string | undefined;

  constructor(kind: CacheKind, ref: ModelRef, source: ChatRequest | EmbedRequest, dir: string) {
    this.kind = kind;
    this.ref = ref;
    this.#source = source;
    this.#dir = dir;
  }

  /** The keyed request's canonical text, written once for both the key and the stored request. */
  get #text(): string {
    return (this.#canonical ??= canonicalRequest(this.#source));
  }

  get request(): KeyedRequest {
    return (this.#request ??= JSON.parse(this.#text) as KeyedRequest);
  }

  get key(): string {
    return (this.#key ??= cacheKeyOfCanonical(this.kind, this.ref.id, this.#text));
  }

  get file(): string {
    return (this.#file ??= cassettePath(this.#dir, this.ref));
  }
}
