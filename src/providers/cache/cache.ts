import type { Cassette, CassetteEntry, StoredChatResponse, StoredEmbedResponse } from './cassette.js';
import type * as CassetteFiles from './file.js';
import { makeEntry } from './entry.js';
import { canonicalJson, summarizeRequest } from './key.js';
import type { CacheKind } from './key.js';
import type { FileLockOptions } from './lock.js';
import { Slot, type CacheSlot } from './slot.js';
import { CacheMissError } from '../errors.js';
import type {
  CacheMode,
  ChatRequest,
  ChatResponse,
  EmbedRequest,
  EmbedResponse,
  ModelRef,
} from '../types.js';

export interface CacheHit {
  response: StoredChatResponse | StoredEmbedResponse;
  /** The answer came from a cassette whose header says `hand-written`. */
  handWritten: boolean;
}

/** What the cache served, for the scorecard. */
export interface CacheReport {
  hits: number;
  handWrittenHits: number;
  /** Cassettes marked hand-written that answered at least one request, sorted. */
  handWrittenFiles: string[];
}

export interface ResponseCacheOptions {
  mode: CacheMode;
  /** Cassette folder, e.g. `eval/cassettes`. */
  dir: string;
  now?: (() => number) | undefined;
  warn?: ((message: string) => void) | undefined;
  /** Write pending entries at most this long after the first one. Default 250 ms. */
  flushDelayMs?: number | undefined;
  /** Write at once when this many entries are pending. Default 200. */
  flushMaxEntries?: number | undefined;
  lock?: FileLockOptions | undefined;
}

/**
 * The request-keyed response cache over JSONL cassettes, one file per model.
 * Cassettes load lazily; new entries are appended in batches under a lock
 * file, so a batch costs its own size whatever the cassette holds, and other
 * processes' batches land beside it. The run compacts what it appended when it
 * ends (`compactCassettes` in file.ts: sorted, one line per key).
 *
 * @example
 * const cache = new ResponseCache({ mode: 'auto', dir: 'eval/cassettes' });
 * const slot = cache.slot('chat', ref, request);
 * const hit = await cache.lookup(slot);
 * if (!hit) cache.store(slot, await callProvider());
 * await cache.flush();
 */
export class ResponseCache {
  readonly mode: CacheMode;
  readonly dir: string;
  readonly #now: () => number;
  readonly #warn: (message: string) => void;
  readonly #flushDelayMs: number;
  readonly #flushMaxEntries: number;
  readonly #lock: FileLockOptions | undefined;
  readonly #loaded = new Map<string, Promise<Cassette>>();
  readonly #pending = new Map<string, Map<string, CassetteEntry>>();
  #pendingCount = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #writing: Promise<void> = Promise.resolve();
  #backgroundError: unknown;
  readonly #report = { hits: 0, handWrittenHits: 0, handWrittenFiles: new Set<string>() };

  constructor(options: ResponseCacheOptions) {
    this.mode = options.mode;
    this.dir = options.dir;
    this.#now = options.now ?? Date.now;
    this.#warn = options.warn ?? ((message) => console.warn(`vitest-qualify: ${message}`));
    this.#flushDelayMs = options.flushDelayMs ?? 250;
    this.#flushMaxEntries = options.flushMaxEntries ?? 200;
    this.#lock = options.lock;
  }

  /** Whether answers are read from cassettes (`auto`, `replay`). */
  get reads(): boolean {
    return this.mode === 'auto' || this.mode === 'replay';
  }

  /** Whether answers are written to cassettes (`auto`, `record`). */
  get writes(): boolean {
    return this.mode === 'auto' || this.mode === 'record';
  }

  /**
   * Key a request: one canonical text of it serves the key and, parsed, the
   * stored request. With a mode that neither reads nor writes (`off`) even that
   * waits until something asks for the key (a miss error): keying a judge
   * request costs about 0.1 ms, for nothing when no cassette is read or written.
   */
  slot(kind: CacheKind, ref: ModelRef, request: ChatRequest | EmbedRequest): CacheSlot {
    const slot = new Slot(kind, ref, request, this.dir);
    // Keyed now when the cache is used: the caller may change its request objects after the call.
    if (this.reads || this.writes) void slot.key;
    return slot;
  }

  /** The recorded answer of a request, if any (always none when the mode does not read). */
  async lookup(slot: CacheSlot): Promise<CacheHit | undefined> {
    if (!this.reads) return undefined;
    // An answer this process recorded and has not written yet is its own, never hand-written.
    const pending = this.#pending.get(slot.file)?.get(slot.key);
    const cassette = pending ? undefined : await this.#load(slot.file);
    const entry = pending ?? cassette?.entries.get(slot.key);
    if (!entry || entry.kind !== slot.kind) return undefined;
    const handWritten = cassette?.header?.source === 'hand-written';
    this.#report.hits += 1;
    if (handWritten) {
      this.#report.handWrittenHits += 1;
      this.#report.handWrittenFiles.add(slot.file);
    }
    return { response: structuredClone(entry.response), handWritten };
  }

  /** Queue an answer for writing (nothing happens when the mode does not write). */
  store(slot: CacheSlot, response: ChatResponse | EmbedResponse): void {
    if (!this.writes) return;
    const stored = JSON.parse(canonicalJson(toStored(response))) as StoredChatResponse | StoredEmbedResponse;
    const entry = makeEntry(slot.kind, slot.ref.id, slot.request, stored, new Date(this.#now()), slot.key);
    let pending = this.#pending.get(slot.file);
    if (!pending) this.#pending.set(slot.file, (pending = new Map()));
    if (!pending.has(slot.key)) this.#pendingCount += 1;
    pending.set(slot.key, entry);
    if (this.#pendingCount >= this.#flushMaxEntries) this.#flushInBackground();
    else this.#timer ??= setTimeout(() => this.#flushInBackground(), this.#flushDelayMs);
  }

  /** Write every pending entry now. Safe to call more than once; rethrows a failed background write. */
  async flush(): Promise<void> {
    this.#clearTimer();
    const previous = this.#backgroundError;
    this.#backgroundError = undefined;
    await this.#writePending();
    if (previous !== undefined) throw previous;
  }

  report(): CacheReport {
    return {
      hits: this.#report.hits,
      handWrittenHits: this.#report.handWrittenHits,
      handWrittenFiles: [...this.#report.handWrittenFiles].sort(),
    };
  }

  /**
   * The error for a request with no cassette entry. With `credentialsHint`, it
   * also says that no key is set to call the provider (an `auto` miss).
   */
  missError(slot: CacheSlot, credentialsHint: string, noCredentials = false): CacheMissError {
    const what = `no cassette entry for ${slot.ref.id} ${slot.kind} ${summarizeRequest(slot.kind, slot.request)} (key ${slot.key}) in ${slot.file}`;
    const message = noCredentials
      ? `${what}, and ${credentialsHint} is not set: set ${credentialsHint} to call the provider (with QUALIFY_CACHE=record to record the answer)`
      : `${what}: record it with QUALIFY_CACHE=record and ${credentialsHint} set, or add the entry by hand`;
    return new CacheMissError(message.charAt(0).toUpperCase() + message.slice(1), {
      provider: slot.ref.provider,
      model: slot.ref.model,
      key: slot.key,
    });
  }

  #load(file: string): Promise<Cassette> {
    let loading = this.#loaded.get(file);
    if (!loading) {
      loading = cassetteFiles().then(({ readCassette }) => readCassette(file, this.#warn));
      this.#loaded.set(file, loading);
      // A failed load (a corrupt line) is retried on the next lookup, after the user fixed it.
      loading.catch(() => this.#loaded.delete(file));
    }
    return loading;
  }

  #flushInBackground(): void {
    this.#clearTimer();
    this.#writePending().catch((error: unknown) => {
      this.#backgroundError ??= error;
      const reason = error instanceof Error ? error.message : String(error);
      this.#warn(`could not write cassette entries (${reason}); they stay pending and flush() tries again`);
    });
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /**
   * Writes run one after another; each takes what is pending when it starts.
   * Entries stay pending (and visible to `lookup`) until their write succeeded.
   */
  #writePending(): Promise<void> {
    const run = this.#writing.then(async () => {
      const batches = [...this.#pending].map(([file, entries]) => [file, new Map(entries)] as const);
      if (batches.length === 0) return;
      const { appendCassette } = await cassetteFiles();
      const failures: unknown[] = [];
      for (const [file, entries] of batches) {
        try {
          await appendCassette(file, entries, this.#warn, this.#lock);
          this.#remember(file, entries);
          this.#settle(file, entries);
        } catch (error) {
          failures.push(error);
        }
      }
      if (failures.length > 0) throw failures[0];
    });
    this.#writing = run.catch(() => undefined);
    return run;
  }

  /** A loaded cassette gets the entries just written to it, so lookups need not read the file again. */
  #remember(file: string, written: Map<string, CassetteEntry>): void {
    const loading = this.#loaded.get(file);
    if (!loading) return;
    const updated = loading.then((cassette) => {
      for (const [key, entry] of written) cassette.entries.set(key, entry);
      return cassette;
    });
    this.#loaded.set(file, updated);
    updated.catch(() => {
      if (this.#loaded.get(file) === updated) this.#loaded.delete(file);
    });
  }

  /** Drop written entries from the pending set, unless a newer answer for the key arrived meanwhile. */
  #settle(file: string, written: Map<string, CassetteEntry>): void {
    const pending = this.#pending.get(file);
    if (!pending) return;
    for (const [key, entry] of written) {
      if (pending.get(key) !== entry) continue;
      pending.delete(key);
      this.#pendingCount -= 1;
    }
    if (pending.size === 0) this.#pending.delete(file);
  }
}

let files: Promise<typeof CassetteFiles> | undefined;

/** Reading and writing cassettes, loaded on first use: it brings zod, which a worker with the cache off does not need to start. */
function cassetteFiles(): Promise<typeof CassetteFiles> {
  return (files ??= import('./file.js'));
}

function toStored(response: ChatResponse | EmbedResponse): StoredChatResponse | StoredEmbedResponse {
  const reasoning = response.usage.reasoningTokens;
  const usage = {
    inputTokens: response.usage.inputTokens,
    outputTokens: response.usage.outputTokens,
    ...(reasoning !== undefined && reasoning > 0 ? { reasoningTokens: reasoning } : {}),
  };
  if ('choices' in response) {
    return { model: response.model, choices: response.choices, usage, requestId: response.requestId };
  }
  return { model: response.model, vectors: response.vectors, usage };
}
