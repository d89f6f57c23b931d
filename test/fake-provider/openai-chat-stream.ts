/**
 * An OpenAI chat completion cut into the chunks of its SSE stream (pure):
 * per choice a role chunk, content (or refusal) pieces with their log-probs,
 * tool-call headers then argument pieces, a finish chunk; then, with
 * `stream_options.include_usage`, a usage chunk with no choices.
 */
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionTokenLogprob,
} from 'openai/resources/chat/completions';
import { pieces } from './replies.js';
import { splitTokens } from './tokens.js';

type ChunkChoice = ChatCompletionChunk.Choice;

/** Content pieces paired with their log-probs: by token when the tokens spell the content. */
function contentPieces(
  content: string,
  logprobs: ChatCompletionTokenLogprob[] | null | undefined,
): { piece: string; logprobs: ChatCompletionTokenLogprob[] | undefined }[] {
  if (logprobs && logprobs.length > 0 && logprobs.map((entry) => entry.token).join('') === content) {
    return logprobs.map((entry) => ({ piece: entry.token, logprobs: [entry] }));
  }
  return splitTokens(content).map((piece, i) => ({
    piece,
    logprobs: i === 0 ? (logprobs ?? undefined) : undefined,
  }));
}

function choiceChunks(choice: ChatCompletion.Choice): ChunkChoice[] {
  const { index, message } = choice;
  const wantsLogprobs = choice.logprobs !== null;
  const out: ChunkChoice[] = [
    {
      index,
      delta: { role: 'assistant', content: '', refusal: null },
      finish_reason: null,
      logprobs: wantsLogprobs ? { content: [], refusal: null } : null,
    },
  ];
  for (const { piece, logprobs } of contentPieces(message.content ?? '', choice.logprobs?.content)) {
    out.push({
      index,
      delta: { content: piece },
      finish_reason: null,
      logprobs: wantsLogprobs ? { content: logprobs ?? [], refusal: null } : null,
    });
  }
  for (const piece of message.refusal === null ? [] : splitTokens(message.refusal)) {
    out.push({ index, delta: { refusal: piece }, finish_reason: null, logprobs: null });
  }
  (message.tool_calls ?? []).forEach((call, i) => {
    if (call.type !== 'function') return;
    const { id, function: fn } = call;
    out.push({
      index,
      delta: { tool_calls: [{ index: i, id, type: 'function', function: { name: fn.name, arguments: '' } }] },
      finish_reason: null,
      logprobs: null,
    });
    for (const part of pieces(fn.arguments)) {
      out.push({
        index,
        delta: { tool_calls: [{ index: i, function: { arguments: part } }] },
        finish_reason: null,
        logprobs: null,
      });
    }
  });
  out.push({ index, delta: {}, finish_reason: choice.finish_reason, logprobs: null });
  return out;
}

/**
 * The stream chunks of a completion, in order. Every chunk carries `usage: null`
 * when usage is included, as the real API does, and the last one carries the usage.
 *
 * @example
 * chatCompletionChunks(completion, true).at(-1)?.usage?.total_tokens;
 */
export function chatCompletionChunks(
  completion: ChatCompletion,
  includeUsage: boolean,
): ChatCompletionChunk[] {
  const { id, created, model, system_fingerprint, service_tier } = completion;
  const base = {
    id,
    object: 'chat.completion.chunk' as const,
    created,
    model,
    ...(system_fingerprint === undefined ? {} : { system_fingerprint }),
    ...(service_tier === undefined ? {} : { service_tier }),
    ...(includeUsage ? { usage: null } : {}),
  };
  const chunks: ChatCompletionChunk[] = completion.choices
    .flatMap(choiceChunks)
    .map((choice) => ({ ...base, choices: [choice] }));
  if (includeUsage && completion.usage !== undefined) {
    chunks.push({ ...base, choices: [], usage: completion.usage });
  }
  return chunks;
}

/**
 * The chunks of a stream cut off mid-message: about the first half of the
 * content, no finish chunk, no usage (the server then sends no `[DONE]`).
 *
 * @example
 * truncatedChunks(chatCompletionChunks(completion, true)).some((c) => c.choices[0]?.finish_reason); // false
 */
export function truncatedChunks(chunks: ChatCompletionChunk[]): ChatCompletionChunk[] {
  const open = chunks.filter(
    (chunk) => chunk.choices[0] !== undefined && chunk.choices[0].finish_reason === null,
  );
  return open.slice(0, Math.max(2, Math.ceil(open.length / 2)));
}
