/**
 * Assembly of a streamed OpenAI chat completion into neutral choices (pure).
 * Hand-written for the error contract, not speed (bench/ has no measurement of it): the
 * SDK's `ChatCompletionStream` throws a plain `OpenAIError` on a cut stream ("missing
 * finish_reason") and `JSON.parse`s strict tools' arguments, throwing on bad JSON; the
 * adapter reports a cut as `unreadableResponse` with the request id, and keeps bad arguments raw.
 */
import type { ChatCompletionChunk, ChatCompletionTokenLogprob } from 'openai/resources/chat/completions';
import { toChoice, toToolCall, type OpenAIResult } from './wire.js';

interface StreamedChoice {
  text: string;
  refusal: string;
  finishReason: string | null;
  calls: Map<number, { id: string; name: string; rawArguments: string }>;
  logprobs: ChatCompletionTokenLogprob[] | undefined;
}

/**
 * Assembles a streamed chat completion chunk by chunk: text and refusal deltas
 * appended, tool call argument deltas concatenated per call, usage from the last
 * chunk (`stream_options.include_usage`).
 *
 * @example
 * const stream = new OpenAIStreamAssembler()
 * for await (const chunk of sdkStream) if (stream.add(chunk)) firstTokenAt = now()
 * const result = stream.finish({ wantsParsed: false }) // undefined if it ended early
 */
export class OpenAIStreamAssembler {
  readonly #choices = new Map<number, StreamedChoice>();
  #inputTokens = 0;
  #outputTokens = 0;
  #reasoningTokens: number | undefined;
  #sawContent = false;

  /** Take one chunk; returns true when it carried the first content of the reply. */
  add(chunk: ChatCompletionChunk): boolean {
    if (chunk.usage) {
      this.#inputTokens = chunk.usage.prompt_tokens;
      this.#outputTokens = chunk.usage.completion_tokens;
      const reasoning = chunk.usage.completion_tokens_details?.reasoning_tokens;
      if (typeof reasoning === 'number') this.#reasoningTokens = reasoning;
    }
    let content = false;
    for (const delta of chunk.choices ?? []) {
      const choice = this.#choice(delta.index);
      const { content: text, refusal, tool_calls: calls } = delta.delta ?? {};
      if (text) choice.text += text;
      if (refusal) choice.refusal += refusal;
      for (const call of calls ?? []) {
        const known = choice.calls.get(call.index) ?? { id: '', name: '', rawArguments: '' };
        if (call.id) known.id = call.id;
        if (call.function?.name) known.name = call.function.name;
        if (call.function?.arguments) known.rawArguments += call.function.arguments;
        choice.calls.set(call.index, known);
      }
      if (delta.logprobs?.content) choice.logprobs = [...(choice.logprobs ?? []), ...delta.logprobs.content];
      if (delta.finish_reason) choice.finishReason = delta.finish_reason;
      content ||= Boolean(text) || Boolean(refusal) || (calls?.length ?? 0) > 0;
    }
    const first = content && !this.#sawContent;
    this.#sawContent ||= content;
    return first;
  }

  /** Whether no chunk carried any choice (an empty answer, not a cut-off one). */
  get empty(): boolean {
    return this.#choices.size === 0;
  }

  /** The assembled result, or `undefined` when some choice never got its `finish_reason`. */
  finish(options: { wantsParsed: boolean }): OpenAIResult | undefined {
    const streamed = [...this.#choices.entries()].sort(([a], [b]) => a - b).map(([, choice]) => choice);
    if (streamed.length === 0 || streamed.some((choice) => choice.finishReason === null)) return undefined;
    const choices = streamed.map((choice) =>
      toChoice(
        {
          text: choice.text,
          toolCalls: [...choice.calls.entries()]
            .sort(([a], [b]) => a - b)
            .map(([, call]) => toToolCall(call.id, call.name, call.rawArguments)),
          refusal: choice.refusal === '' ? undefined : choice.refusal,
          finishReason: choice.finishReason,
          logprobs: choice.logprobs,
        },
        options.wantsParsed,
      ),
    );
    const reasoning = this.#reasoningTokens;
    return {
      choices,
      inputTokens: this.#inputTokens,
      outputTokens: this.#outputTokens,
      ...(reasoning === undefined ? {} : { reasoningTokens: reasoning }),
    };
  }

  #choice(index: number): StreamedChoice {
    let choice = this.#choices.get(index);
    if (!choice) {
      choice = { text: '', refusal: '', finishReason: null, calls: new Map(), logprobs: undefined };
      this.#choices.set(index, choice);
    }
    return choice;
  }
}
