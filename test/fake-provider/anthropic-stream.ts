/**
 * An Anthropic message cut into the events of its SSE stream (pure):
 * `message_start`, `ping`, per block `content_block_start`, `content_block_delta`
 * (`text_delta` / `input_json_delta`), `content_block_stop`, then `message_delta`
 * and `message_stop`.
 */
import type { Message, RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import { pieces } from './replies.js';
import { splitTokens } from './tokens.js';

/** One SSE event: Anthropic names every event after its `type`. */
export type AnthropicStreamEvent = RawMessageStreamEvent | { type: 'ping' };

function blockEvents(message: Message): RawMessageStreamEvent[] {
  const out: RawMessageStreamEvent[] = [];
  message.content.forEach((block, index) => {
    if (block.type === 'text') {
      out.push({ type: 'content_block_start', index, content_block: { ...block, text: '' } });
      for (const text of splitTokens(block.text)) {
        out.push({ type: 'content_block_delta', index, delta: { type: 'text_delta', text } });
      }
    } else if (block.type === 'tool_use') {
      out.push({ type: 'content_block_start', index, content_block: { ...block, input: {} } });
      const json = JSON.stringify(block.input) ?? 'null';
      for (const partial_json of pieces(json)) {
        out.push({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json } });
      }
    } else {
      out.push({ type: 'content_block_start', index, content_block: block });
    }
    out.push({ type: 'content_block_stop', index });
  });
  return out;
}

/**
 * The stream events of a message, in order.
 *
 * @example
 * messageEvents(message).map((event) => event.type).at(-1); // 'message_stop'
 */
export function messageEvents(message: Message): AnthropicStreamEvent[] {
  const { usage } = message;
  const start: Message = {
    ...message,
    content: [],
    stop_reason: null,
    stop_sequence: null,
    stop_details: null,
    usage: { ...usage, output_tokens: Math.min(1, usage.output_tokens) },
  };
  return [
    { type: 'message_start', message: start },
    { type: 'ping' },
    ...blockEvents(message),
    {
      type: 'message_delta',
      delta: {
        stop_reason: message.stop_reason,
        stop_sequence: message.stop_sequence,
        stop_details: message.stop_details,
        container: null,
      },
      usage: {
        input_tokens: usage.input_tokens,
        output_tokens: usage.output_tokens,
        cache_creation_input_tokens: usage.cache_creation_input_tokens,
        cache_read_input_tokens: usage.cache_read_input_tokens,
        server_tool_use: null,
        output_tokens_details: null,
      },
    },
    { type: 'message_stop' },
  ];
}

/**
 * The events of a stream cut off mid-message: the start and about half of the
 * first block's deltas; no block stop, no `message_delta`, no `message_stop`.
 *
 * @example
 * truncatedEvents(messageEvents(message)).some((event) => event.type === 'message_stop'); // false
 */
export function truncatedEvents(events: AnthropicStreamEvent[]): AnthropicStreamEvent[] {
  const firstStop = events.findIndex((event) => event.type === 'content_block_stop');
  const upTo = firstStop === -1 ? events.length : firstStop;
  const deltas = events.slice(0, upTo).filter((event) => event.type === 'content_block_delta').length;
  const keep = upTo - deltas + Math.max(1, Math.floor(deltas / 2));
  return events.slice(0, Math.min(keep, upTo));
}
