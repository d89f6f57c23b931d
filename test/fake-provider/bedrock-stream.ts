/**
 * A Converse response cut into the events of its ConverseStream (pure), and the
 * AWS event-stream binary framing they travel in
 * (`application/vnd.amazon.eventstream`): per message a prelude (total length,
 * headers length, prelude CRC32), the headers (`:event-type`, `:content-type`,
 * `:message-type`), the JSON payload, and the message CRC32.
 */
import { crc32 } from 'node:zlib';
import type { ConverseBody } from './bedrock-converse.js';
import { pieces } from './replies.js';
import { splitTokens } from './tokens.js';

/** One ConverseStream event: its type (`:event-type`) and payload. */
export interface BedrockStreamEvent {
  type:
    | 'messageStart'
    | 'contentBlockStart'
    | 'contentBlockDelta'
    | 'contentBlockStop'
    | 'messageStop'
    | 'metadata';
  payload: Record<string, unknown>;
}

/**
 * The stream events of a Converse response, in order: `messageStart`, per block
 * (`contentBlockStart` for a tool use) `contentBlockDelta`s and `contentBlockStop`,
 * `messageStop`, `metadata` (usage).
 *
 * @example
 * converseEvents(body).map((event) => event.type).at(-1); // 'metadata'
 */
export function converseEvents(body: ConverseBody): BedrockStreamEvent[] {
  const events: BedrockStreamEvent[] = [{ type: 'messageStart', payload: { role: 'assistant' } }];
  (body.output?.message?.content ?? []).forEach((block, contentBlockIndex) => {
    if (block.toolUse !== undefined) {
      const { toolUseId, name } = block.toolUse;
      events.push({
        type: 'contentBlockStart',
        payload: { contentBlockIndex, start: { toolUse: { toolUseId, name } } },
      });
      for (const input of pieces(JSON.stringify(block.toolUse.input) ?? 'null')) {
        events.push({
          type: 'contentBlockDelta',
          payload: { contentBlockIndex, delta: { toolUse: { input } } },
        });
      }
    } else {
      for (const text of splitTokens(block.text ?? '')) {
        events.push({ type: 'contentBlockDelta', payload: { contentBlockIndex, delta: { text } } });
      }
    }
    events.push({ type: 'contentBlockStop', payload: { contentBlockIndex } });
  });
  events.push({ type: 'messageStop', payload: { stopReason: body.stopReason } });
  events.push({ type: 'metadata', payload: { usage: body.usage, metrics: { latencyMs: 1 } } });
  return events;
}

/**
 * The events of a stream cut off mid-message: the start and about half of the
 * first block's deltas; no block stop, no `messageStop`, no `metadata`.
 *
 * @example
 * truncatedConverseEvents(converseEvents(body)).some((event) => event.type === 'messageStop'); // false
 */
export function truncatedConverseEvents(events: BedrockStreamEvent[]): BedrockStreamEvent[] {
  const firstStop = events.findIndex((event) => event.type === 'contentBlockStop');
  const upTo = firstStop === -1 ? events.length : firstStop;
  const deltas = events.slice(0, upTo).filter((event) => event.type === 'contentBlockDelta').length;
  const keep = upTo - deltas + Math.max(1, Math.floor(deltas / 2));
  return events.slice(0, Math.min(keep, upTo));
}

function stringHeader(name: string, value: string): Buffer {
  const nameBytes = Buffer.from(name, 'utf8');
  const valueBytes = Buffer.from(value, 'utf8');
  const head = Buffer.alloc(1 + nameBytes.length + 1 + 2);
  head.writeUInt8(nameBytes.length, 0);
  nameBytes.copy(head, 1);
  head.writeUInt8(7, 1 + nameBytes.length); // 7: string
  head.writeUInt16BE(valueBytes.length, 2 + nameBytes.length);
  return Buffer.concat([head, valueBytes]);
}

/**
 * One event-stream message: `headers` (string values) and a payload.
 *
 * @example
 * encodeMessage({ ':event-type': 'messageStop', ':message-type': 'event' }, Buffer.from('{}')).length; // 12 + headers + 2 + 4
 */
export function encodeMessage(headers: Readonly<Record<string, string>>, payload: Buffer): Buffer {
  const headerBytes = Buffer.concat(
    Object.entries(headers).map(([name, value]) => stringHeader(name, value)),
  );
  const total = 12 + headerBytes.length + payload.length + 4;
  const prelude = Buffer.alloc(12);
  prelude.writeUInt32BE(total, 0);
  prelude.writeUInt32BE(headerBytes.length, 4);
  prelude.writeUInt32BE(crc32(prelude.subarray(0, 8)), 8);
  const body = Buffer.concat([prelude, headerBytes, payload]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body), 0);
  return Buffer.concat([body, crc]);
}

/**
 * A ConverseStream event as one event-stream message. `payload` is sent as is
 * when a string (to send one that is not JSON).
 *
 * @example
 * encodeEvent({ type: 'messageStop', payload: { stopReason: 'end_turn' } });
 */
export function encodeEvent(event: { type: string; payload: Record<string, unknown> | string }): Buffer {
  const json = typeof event.payload === 'string' ? event.payload : JSON.stringify(event.payload);
  return encodeMessage(
    { ':event-type': event.type, ':content-type': 'application/json', ':message-type': 'event' },
    Buffer.from(json, 'utf8'),
  );
}

/**
 * An exception event of a ConverseStream: `type` is the member name (`throttlingException`,
 * `modelStreamErrorException`, `internalServerException`, ...), the payload `{ message }`.
 *
 * @example
 * encodeException('throttlingException', 'slow down');
 */
export function encodeException(type: string, message: string): Buffer {
  return encodeMessage(
    { ':exception-type': type, ':content-type': 'application/json', ':message-type': 'exception' },
    Buffer.from(JSON.stringify({ message }), 'utf8'),
  );
}
