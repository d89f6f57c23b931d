/**
 * Reading scripted replies: which kind a reply is, its output text, its finish
 * reason in each vendor's spelling.
 * @internal
 */
import type { ChatReply, EmbeddingsReply, FaultReply, ModelsReply, Reply } from './types.js';

/** @example isFaultReply({ fault: { kind: 'hang' } }); // true */
export function isFaultReply(reply: Reply): reply is FaultReply {
  return 'fault' in reply;
}

/** @example isEmbeddingsReply({ embeddings: [[1, 0]] }); // true */
export function isEmbeddingsReply(reply: Reply): reply is EmbeddingsReply {
  return 'embeddings' in reply;
}

/** @example isModelsReply({ models: ['gemini-2.5-pro'] }); // true */
export function isModelsReply(reply: Reply): reply is ModelsReply {
  return 'models' in reply;
}

/** @example isChatReply({ text: 'hi' }); // true */
export function isChatReply(reply: Reply): reply is ChatReply {
  return !isFaultReply(reply) && !isEmbeddingsReply(reply) && !isModelsReply(reply);
}

/**
 * The wire text of scripted tool arguments: a string is sent verbatim, anything else as JSON.
 *
 * @example
 * argumentsText({ city: 'Oslo' }); // '{"city":"Oslo"}'
 */
export function argumentsText(args: unknown): string {
  return typeof args === 'string' ? args : (JSON.stringify(args) ?? 'null');
}

/**
 * Everything a reply "generates", for the default output-token estimate.
 *
 * @example
 * outputText({ text: 'Hi', refusal: 'No' }); // 'HiNo'
 */
export function outputText(reply: ChatReply): string {
  return [
    reply.text ?? '',
    reply.json === undefined ? '' : argumentsText(reply.json),
    ...(reply.toolCalls ?? []).map((call) => call.name + argumentsText(call.arguments)),
    reply.refusal ?? '',
  ].join('');
}

const TO_OPENAI: Readonly<Record<string, string>> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  tool_use: 'tool_calls',
};
const TO_ANTHROPIC: Readonly<Record<string, string>> = {
  stop: 'end_turn',
  length: 'max_tokens',
  tool_calls: 'tool_use',
  content_filter: 'refusal',
};

/**
 * A scripted finish reason in one vendor's spelling; unknown values pass through.
 *
 * @example
 * finishReasonFor('anthropic', 'length'); // 'max_tokens'
 */
export function finishReasonFor(vendor: 'openai' | 'anthropic', reason: string): string {
  return (vendor === 'openai' ? TO_OPENAI : TO_ANTHROPIC)[reason] ?? reason;
}

/**
 * Splits a string into pieces of at most `size` characters (at least one piece).
 *
 * @example
 * pieces('abcde', 2); // ['ab', 'cd', 'e']
 */
export function pieces(text: string, size = 24): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out.length > 0 ? out : [''];
}
