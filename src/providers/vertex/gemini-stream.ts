/**
 * Assembly of a streamed Gemini response (`streamGenerateContent?alt=sse`)
 * into one response (pure). Each chunk carries, per candidate, the next parts
 * (text pieces, whole function calls), its log-probabilities so far, and at the
 * end its `finishReason`; usage comes with the last chunks.
 */
import type { Candidate, Part } from '@google/genai';
import type { GeminiReply } from './gemini-wire.js';

interface Assembled {
  parts: Part[];
  finishReason: Candidate['finishReason'];
  finishMessage: string | undefined;
  chosen: NonNullable<NonNullable<Candidate['logprobsResult']>['chosenCandidates']>;
  top: NonNullable<NonNullable<Candidate['logprobsResult']>['topCandidates']>;
}

/**
 * Assembles a Gemini stream chunk by chunk.
 *
 * @example
 * const stream = new GeminiStreamAssembler()
 * for await (const chunk of sdkStream) if (stream.add(chunk)) firstTokenAt = now()
 * const reply = stream.finish() // undefined if no candidate finished
 */
export class GeminiStreamAssembler {
  readonly #candidates = new Map<number, Assembled>();
  #usage: GeminiReply['usageMetadata'];
  #feedback: GeminiReply['promptFeedback'];
  #sawContent = false;

  /** Take one chunk; returns true when it carried the first content of the reply. */
  add(chunk: GeminiReply): boolean {
    if (chunk.usageMetadata !== undefined) this.#usage = chunk.usageMetadata;
    if (chunk.promptFeedback !== undefined) this.#feedback = chunk.promptFeedback;
    let content = false;
    for (const candidate of chunk.candidates ?? []) {
      const index = candidate.index ?? 0;
      const into = this.#candidates.get(index) ?? {
        parts: [],
        finishReason: undefined,
        finishMessage: undefined,
        chosen: [],
        top: [],
      };
      this.#candidates.set(index, into);
      for (const part of candidate.content?.parts ?? []) {
        const last = into.parts.at(-1);
        const isText = part.text !== undefined && part.functionCall === undefined;
        if (
          isText &&
          last?.text !== undefined &&
          last.functionCall === undefined &&
          last.thought === part.thought
        ) {
          last.text += part.text;
        } else {
          into.parts.push({ ...part });
        }
        if (part.thought !== true && (part.functionCall !== undefined || (part.text ?? '') !== ''))
          content = true;
      }
      into.chosen.push(...(candidate.logprobsResult?.chosenCandidates ?? []));
      into.top.push(...(candidate.logprobsResult?.topCandidates ?? []));
      into.finishReason = candidate.finishReason ?? into.finishReason;
      into.finishMessage = candidate.finishMessage ?? into.finishMessage;
    }
    const first = content && !this.#sawContent;
    this.#sawContent ||= content;
    return first;
  }

  /**
   * The assembled response, or `undefined` when the stream ended before every
   * candidate finished (and the prompt was not blocked).
   */
  finish(): GeminiReply | undefined {
    const entries = [...this.#candidates.entries()].sort(([a], [b]) => a - b);
    if (entries.length === 0) {
      return this.#feedback?.blockReason === undefined
        ? undefined
        : { candidates: [], promptFeedback: this.#feedback, usageMetadata: this.#usage };
    }
    if (entries.some(([, candidate]) => candidate.finishReason === undefined)) return undefined;
    const candidates = entries.map(([index, candidate]): Candidate => ({
      index,
      content: { role: 'model', parts: candidate.parts },
      ...(candidate.finishReason === undefined ? {} : { finishReason: candidate.finishReason }),
      ...(candidate.finishMessage === undefined ? {} : { finishMessage: candidate.finishMessage }),
      ...(candidate.chosen.length === 0
        ? {}
        : { logprobsResult: { chosenCandidates: candidate.chosen, topCandidates: candidate.top } }),
    }));
    return { candidates, usageMetadata: this.#usage, promptFeedback: this.#feedback };
  }
}
