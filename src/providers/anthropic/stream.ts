/**
 * Assembly of a streamed Anthropic message into the reply parts (pure).
 * Hand-written for the error contract, not speed (bench/ has no measurement of it): the
 * SDK's `MessageStream` throws a plain `AnthropicError` on a stream with no `message_stop`,
 * and reads tool input with its partial-JSON parser (the raw text only in a hidden
 * `__json_buf`); the adapter reports a cut with the request id, and keeps the raw arguments.
 */
import type { RawMessageStreamEvent, StopReason } from '@anthropic-ai/sdk/resources/messages';
import type { AnthropicReply, ReplyBlock } from './wire.js';
import { parseJsonOrUndefined } from '../sdk-call.js';

/**
 * Assembles a streamed message event by event: text deltas appended, tool input
 * JSON deltas concatenated per block, usage from `message_start` and
 * `message_delta`.
 *
 * @example
 * const stream = new AnthropicStreamAssembler()
 * for await (const event of sdkStream) if (stream.add(event)) firstTokenAt = now()
 * const reply = stream.finish() // undefined if no message_stop came
 */
export class AnthropicStreamAssembler {
  readonly #blocks = new Map<number, ReplyBlock>();
  #stopReason: StopReason | null = null;
  #explanation: string | null = null;
  #inputTokens = 0;
  #outputTokens = 0;
  #stopped = false;
  #sawContent = false;

  /** Take one event; returns true when it carried the first content of the reply. */
  add(event: RawMessageStreamEvent): boolean {
    let content = false;
    switch (event.type) {
      case 'message_start':
        this.#inputTokens = event.message.usage.input_tokens;
        this.#outputTokens = event.message.usage.output_tokens;
        break;
      case 'content_block_start': {
        const block = event.content_block;
        if (block.type === 'text') this.#blocks.set(event.index, { type: 'text', text: block.text });
        if (block.type === 'tool_use') {
          this.#blocks.set(event.index, {
            type: 'tool_use',
            id: block.id,
            name: block.name,
            input: {},
            rawArguments: '',
          });
        }
        break;
      }
      case 'content_block_delta': {
        const block = this.#blocks.get(event.index);
        if (event.delta.type === 'text_delta' && block?.type === 'text') block.text += event.delta.text;
        if (event.delta.type === 'input_json_delta' && block?.type === 'tool_use') {
          block.rawArguments += event.delta.partial_json;
        }
        content = event.delta.type === 'text_delta' || event.delta.type === 'input_json_delta';
        break;
      }
      case 'message_delta':
        this.#stopReason = event.delta.stop_reason ?? this.#stopReason;
        this.#explanation = event.delta.stop_details?.explanation ?? this.#explanation;
        this.#outputTokens = event.usage.output_tokens;
        if (typeof event.usage.input_tokens === 'number') this.#inputTokens = event.usage.input_tokens;
        break;
      case 'message_stop':
        this.#stopped = true;
        break;
    }
    const first = content && !this.#sawContent;
    this.#sawContent ||= content;
    return first;
  }

  /** The assembled reply, or `undefined` when the stream ended before `message_stop`. */
  finish(): AnthropicReply | undefined {
    if (!this.#stopped) return undefined;
    const blocks = [...this.#blocks.entries()]
      .sort(([a], [b]) => a - b)
      .map(([, block]): ReplyBlock => {
        if (block.type === 'text') return block;
        const rawArguments = block.rawArguments === '' ? '{}' : block.rawArguments;
        return { ...block, rawArguments, input: parseJsonOrUndefined(rawArguments) };
      });
    return {
      blocks,
      stopReason: this.#stopReason,
      explanation: this.#explanation,
      inputTokens: this.#inputTokens,
      outputTokens: this.#outputTokens,
    };
  }
}
