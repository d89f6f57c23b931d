/**
 * Assembly of a ConverseStream into the reply parts (pure): text deltas
 * appended, tool input JSON deltas concatenated per block, the stop reason from
 * `messageStop`, usage from `metadata`.
 */
import type { ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';
import type { BedrockReply, ReplyBlock } from './wire.js';
import { parseJsonOrUndefined } from '../sdk-call.js';

/**
 * Assembles a streamed Converse reply event by event.
 *
 * @example
 * const stream = new BedrockStreamAssembler()
 * for await (const event of response.stream) if (stream.add(event)) firstTokenAt = now()
 * const reply = stream.finish() // undefined if no messageStop came
 */
export class BedrockStreamAssembler {
  readonly #blocks = new Map<number, ReplyBlock>();
  #stopReason: string | undefined;
  #inputTokens = 0;
  #outputTokens = 0;
  #stopped = false;
  #sawContent = false;

  /** Take one event; returns true when it carried the first content of the reply. */
  add(event: ConverseStreamOutput): boolean {
    let content = false;
    if (event.contentBlockStart !== undefined) {
      const { contentBlockIndex: index = 0, start } = event.contentBlockStart;
      const use = start?.toolUse;
      if (use !== undefined) {
        this.#blocks.set(index, {
          type: 'tool_use',
          id: use.toolUseId ?? '',
          name: use.name ?? '',
          input: {},
          rawArguments: '',
        });
      }
    } else if (event.contentBlockDelta !== undefined) {
      const { contentBlockIndex: index = 0, delta } = event.contentBlockDelta;
      const block = this.#blocks.get(index);
      if (typeof delta?.text === 'string') {
        if (block?.type === 'text') block.text += delta.text;
        else if (block === undefined) this.#blocks.set(index, { type: 'text', text: delta.text });
        content = true;
      } else if (typeof delta?.toolUse?.input === 'string') {
        if (block?.type === 'tool_use') block.rawArguments += delta.toolUse.input;
        content = true;
      }
    } else if (event.messageStop !== undefined) {
      this.#stopReason = event.messageStop.stopReason;
      this.#stopped = true;
    } else if (event.metadata !== undefined) {
      this.#inputTokens = event.metadata.usage?.inputTokens ?? this.#inputTokens;
      this.#outputTokens = event.metadata.usage?.outputTokens ?? this.#outputTokens;
    }
    const first = content && !this.#sawContent;
    this.#sawContent ||= content;
    return first;
  }

  /** The assembled reply, or `undefined` when the stream ended before `messageStop`. */
  finish(): BedrockReply | undefined {
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
      inputTokens: this.#inputTokens,
      outputTokens: this.#outputTokens,
    };
  }
}
