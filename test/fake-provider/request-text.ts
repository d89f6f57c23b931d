/**
 * Reading text out of OpenAI and Anthropic request bodies (their message shapes
 * agree enough: `content` is a string or a list of parts with `text`).
 */
import type { JsonObject } from './types.js';

/** Whether a JSON value is an object (not an array, not null). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The text of a `content` field: a string, or the `text` (or nested `content`) of each part. */
function textOfContent(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: unknown) => {
      if (!isObject(part)) return '';
      if (typeof part['text'] === 'string') return part['text'];
      return textOfContent(part['content']);
    })
    .join('');
}

function messagesOf(body: JsonObject): JsonObject[] {
  const messages = body['messages'];
  return Array.isArray(messages) ? messages.filter(isObject) : [];
}

/**
 * The text of the last `user` message of a chat request, `''` when there is none.
 *
 * @example
 * lastUserText(fake.requests[0]!.body); // 'Can I return shoes after 40 days?'
 */
export function lastUserText(body: JsonObject): string {
  const user = messagesOf(body).findLast((message) => message['role'] === 'user');
  return user ? textOfContent(user['content']) : '';
}

/**
 * All prompt text of a chat request (system, every message, tool-call
 * arguments), for the default input-token estimate.
 *
 * @example
 * requestText({ system: 'Be brief.', messages: [{ role: 'user', content: 'Hi' }] }); // 'Be brief.\nHi'
 */
export function requestText(body: JsonObject): string {
  const parts = [textOfContent(body['system'])];
  for (const message of messagesOf(body)) {
    parts.push(textOfContent(message['content']));
    const toolCalls = message['tool_calls'];
    if (!Array.isArray(toolCalls)) continue;
    for (const call of toolCalls) {
      const fn: unknown = isObject(call) ? call['function'] : undefined;
      if (isObject(fn) && typeof fn['arguments'] === 'string') parts.push(fn['arguments']);
    }
  }
  return parts.filter((part) => part !== '').join('\n');
}

/**
 * The inputs of an embeddings request as strings (token-id arrays become `tokens:1,2,3`).
 *
 * @example
 * embeddingInputs({ input: ['a', 'b'] }); // ['a', 'b']
 * embeddingInputs({ inputText: 'a' }); // ['a']
 */
export function embeddingInputs(body: JsonObject): string[] {
  // Bedrock InvokeModel: Titan `inputText` (one), Cohere `texts`.
  if (typeof body['inputText'] === 'string') return [body['inputText']];
  const input = body['input'] ?? body['texts'];
  if (typeof input === 'string') return [input];
  if (!Array.isArray(input)) return [];
  if (input.every((item) => typeof item === 'number')) return [`tokens:${input.join(',')}`];
  return input.map((item: unknown) =>
    typeof item === 'string' ? item : Array.isArray(item) ? `tokens:${item.join(',')}` : '',
  );
}
