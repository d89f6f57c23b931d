/**
 * A `fetch` for the official SDKs over `node:http`/`node:https` with keep-alive
 * agents. Hand-written for a measurement: on a loopback call Node's built-in
 * `fetch` (undici) costs 1.15 ms of CPU per request against 0.38 ms for `node:http`,
 * and the OpenAI SDK 1.47 ms per call on it against 0.87 ms on this one (medians,
 * bench/RESULTS.md per-layer table; bench/FINDINGS.md fix 1): over thousands of judge
 * and agent calls undici was most of the harness's own CPU.
 *
 * It covers what the SDKs send: a string or byte body, `Headers`, an abort
 * signal, streamed or buffered responses, gzip/deflate/br bodies. Anything else
 * (a stream or form body, a redirect, a non-HTTP URL, a custom undici
 * dispatcher such as a proxy) goes to the global `fetch`, unchanged.
 */
import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';

const AGENTS = {
  'http:': new http.Agent({ keepAlive: true }),
  'https:': new https.Agent({ keepAlive: true }),
} as const;

/** Statuses whose response has no body, by the Fetch standard. */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);
const REDIRECT = new Set([301, 302, 303, 307, 308]);
/** Where undici keeps a dispatcher set with `setGlobalDispatcher` (a proxy, say). */
const GLOBAL_DISPATCHER = Symbol.for('undici.globalDispatcher.1');

/**
 * `fetch`, over `node:http` for the requests the SDKs make.
 *
 * @example
 * new OpenAI({ apiKey, baseURL, fetch: httpFetch })
 */
export function httpFetch(input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
  const url = typeof input === 'string' ? new URL(input) : input instanceof URL ? input : undefined;
  const body = init.body;
  const plainBody =
    body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array;
  if (
    url === undefined ||
    (url.protocol !== 'http:' && url.protocol !== 'https:') ||
    !plainBody ||
    (init.redirect !== undefined && init.redirect !== 'follow') ||
    customDispatcher()
  ) {
    return globalThis.fetch(input, init);
  }
  const signal = init.signal ?? undefined;
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  return new Promise<Response>((resolve, reject) => {
    const request = (url.protocol === 'https:' ? https : http).request(url, {
      method: init.method ?? 'GET',
      headers: plainHeaders(init.headers),
      agent: url.protocol === 'https:' ? AGENTS['https:'] : AGENTS['http:'],
    });
    const onAbort = (): void => {
      const reason = abortReason(signal!);
      request.destroy(reason instanceof Error ? reason : undefined);
      reject(reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const settle = (): void => signal?.removeEventListener('abort', onAbort);
    request.on('error', (error) => {
      settle();
      reject(signal?.aborted ? abortReason(signal) : new TypeError('fetch failed', { cause: error }));
    });
    request.on('response', (incoming) => {
      const status = incoming.statusCode ?? 0;
      if (REDIRECT.has(status) && incoming.headers.location) {
        incoming.resume();
        settle();
        resolve(globalThis.fetch(input, init));
        return;
      }
      // From here the body stream carries an abort: it errors with the signal's reason.
      const onBodyAbort = (): void => {
        incoming.destroy(errorOf(abortReason(signal!)));
      };
      settle();
      signal?.addEventListener('abort', onBodyAbort, { once: true });
      incoming.once('close', () => signal?.removeEventListener('abort', onBodyAbort));
      const noBody = NULL_BODY.has(status) || init.method === 'HEAD';
      if (noBody) incoming.resume();
      resolve(
        new Response(noBody ? null : (Readable.toWeb(decoded(incoming)) as ReadableStream<Uint8Array>), {
          status,
          statusText: incoming.statusMessage ?? '',
          headers: responseHeaders(incoming.rawHeaders),
        }),
      );
    });
    request.end(body ?? undefined);
  });
}

/** The body, decompressed when the server encoded it. */
function decoded(incoming: http.IncomingMessage): Readable {
  const encoding = (incoming.headers['content-encoding'] ?? '').trim().toLowerCase();
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? zlib.createGunzip()
      : encoding === 'deflate'
        ? zlib.createInflate()
        : encoding === 'br'
          ? zlib.createBrotliDecompress()
          : undefined;
  if (!decoder) return incoming;
  incoming.on('error', (error) => decoder.destroy(error));
  return incoming.pipe(decoder);
}

function plainHeaders(headers: RequestInit['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers === undefined) return out;
  new Headers(headers).forEach((value, name) => {
    out[name] = value;
  });
  return out;
}

function responseHeaders(raw: readonly string[]): Headers {
  const headers = new Headers();
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  return headers;
}

/** Whether someone installed an undici dispatcher (a proxy agent) that the global `fetch` would use. */
function customDispatcher(): boolean {
  const dispatcher = (globalThis as Record<symbol, unknown>)[GLOBAL_DISPATCHER];
  return dispatcher !== undefined && (dispatcher as object).constructor?.name !== 'Agent';
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

function errorOf(reason: unknown): Error {
  return reason instanceof Error ? reason : new DOMException('This operation was aborted', 'AbortError');
}
