import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { httpFetch } from '../../../src/providers/http-fetch.js';

let server: Server;
let base: string;
/** Requests the server saw, in order. */
const seen: { method: string; url: string; headers: Record<string, unknown>; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      switch (req.url) {
        case '/json':
          res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'req_1' });
          res.end(JSON.stringify({ ok: true, got: body }));
          return;
        case '/gzip':
          res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
          res.end(gzipSync(JSON.stringify({ zipped: true })));
          return;
        case '/empty':
          res.writeHead(204).end();
          return;
        case '/redirect':
          res.writeHead(307, { location: '/json' }).end();
          return;
        case '/error':
          res.writeHead(429, 'Too Many Requests', { 'retry-after': '2' });
          res.end('{"error":{"message":"slow down"}}');
          return;
        case '/half':
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.write('first part');
          return; // never ends: the client aborts
        default:
          return; // /hang: never answers
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('httpFetch', () => {
  test('sends the method, headers and body; answers status, headers and JSON', async () => {
    const response = await httpFetch(`${base}/json`, {
      method: 'POST',
      headers: new Headers({ 'content-type': 'application/json', authorization: 'Bearer sk-test' }),
      body: '{"q":1}',
    });
    expect(response.status).toBe(200);
    expect(response.ok).toBe(true);
    expect(response.headers.get('x-request-id')).toBe('req_1');
    expect(await response.json()).toEqual({ ok: true, got: '{"q":1}' });
    expect(seen.at(-1)).toMatchObject({
      method: 'POST',
      url: '/json',
      body: '{"q":1}',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test' },
    });
  });

  test('an error status is a response, not a rejection', async () => {
    const response = await httpFetch(`${base}/error`);
    expect([response.status, response.statusText, response.ok]).toEqual([429, 'Too Many Requests', false]);
    expect(response.headers.get('retry-after')).toBe('2');
    expect(await response.text()).toBe('{"error":{"message":"slow down"}}');
  });

  test('a gzip body is decoded', async () => {
    expect(await (await httpFetch(`${base}/gzip`)).json()).toEqual({ zipped: true });
  });

  test('204 has no body', async () => {
    const response = await httpFetch(`${base}/empty`, { method: 'DELETE' });
    expect(response.status).toBe(204);
    expect(response.body).toBe(null);
  });

  test('a redirect is followed (by the global fetch)', async () => {
    const response = await httpFetch(`${base}/redirect`, { method: 'POST', body: 'again' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, got: 'again' });
  });

  test('an abort before the answer rejects with the signal reason', async () => {
    const controller = new AbortController();
    const pending = httpFetch(`${base}/hang`, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    const error = await pending.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe('AbortError');
  });

  test('an abort while the body streams errors the body', async () => {
    const controller = new AbortController();
    const response = await httpFetch(`${base}/half`, { signal: controller.signal });
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('first part');
    controller.abort();
    const error = await reader.read().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as Error).name).toBe('AbortError');
  });

  test('an aborted signal sends nothing', async () => {
    const before = seen.length;
    const error = await httpFetch(`${base}/json`, { signal: AbortSignal.abort() }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as Error).name).toBe('AbortError');
    expect(seen.length).toBe(before);
  });

  test('no server: TypeError "fetch failed", the socket error as cause (as undici says it)', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await httpFetch(`http://127.0.0.1:${port}/`).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toBe('fetch failed');
    expect(((error as TypeError).cause as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
  });
});
