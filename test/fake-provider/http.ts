/**
 * Writing HTTP responses: JSON, raw text, and server-sent events.
 * @internal
 */
import type { ServerResponse } from 'node:http';

/**
 * Sends a complete response.
 *
 * @example
 * sendBody(res, 200, JSON.stringify({ ok: true }), 'application/json', { 'x-request-id': 'req_1' });
 */
export function sendBody(
  res: ServerResponse,
  status: number,
  body: string,
  contentType: string,
  headers: Readonly<Record<string, string>>,
): void {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(status, {
    ...headers,
    'content-type': contentType,
    'content-length': String(Buffer.byteLength(body)),
  });
  res.end(body);
}

/**
 * Sends a JSON response.
 *
 * @example
 * sendJson(res, 400, { error: { message: 'no' } }, {});
 */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>>,
): void {
  sendBody(res, status, JSON.stringify(body), 'application/json', headers);
}

/** One server-sent event: `data` is sent as is when a string, else as JSON. */
export interface SseEvent {
  event?: string;
  data: unknown;
}

/**
 * Sends a complete SSE stream in one write (the events are all known up front)
 * and ends the body cleanly: a truncated stream is one whose final events are
 * missing, not a broken connection.
 *
 * @example
 * sendSse(res, [{ data: { id: 1 } }, { data: '[DONE]' }], { 'x-request-id': 'req_1' });
 */
export function sendSse(
  res: ServerResponse,
  events: readonly SseEvent[],
  headers: Readonly<Record<string, string>>,
): void {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(200, {
    ...headers,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
  });
  const text = events
    .map(({ event, data }) => {
      const line = `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
      return event === undefined ? line : `event: ${event}\n${line}`;
    })
    .join('');
  res.end(text);
}

/**
 * Sends a complete AWS event stream (`application/vnd.amazon.eventstream`) in
 * one write, already framed (bedrock-stream.ts).
 *
 * @example
 * sendEventStream(res, [encodeEvent({ type: 'messageStop', payload: {} })], { 'x-amzn-requestid': 'req_1' });
 */
export function sendEventStream(
  res: ServerResponse,
  messages: readonly Buffer[],
  headers: Readonly<Record<string, string>>,
): void {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(200, { ...headers, 'content-type': 'application/vnd.amazon.eventstream' });
  res.end(Buffer.concat(messages));
}
