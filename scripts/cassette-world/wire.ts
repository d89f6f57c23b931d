/**
 * Reading the requests the fake provider receives, in both wire formats
 * (OpenAI chat, Anthropic messages), and writing what a grader would answer
 * about them. Pure.
 */
import type { ScriptedLogprob } from '../../test/fake-provider/index.js';

/** A request body. */
export type Body = Record<string, unknown>;
type Message = { role?: unknown; content?: unknown };

const CITATION = /\s*\[[a-z][a-z0-9-]*(?:\s*,\s*[a-z][a-z0-9-]*)*\](?!\()/g;

/**
 * The text inside the fence tags labelled `label` in a grader prompt.
 *
 * @example
 * fenced(prompt, 'agent_output') // the agent's answer the judge reads
 */
export function fenced(prompt: string, label: string): string | undefined {
  return new RegExp(`<(${label}_[0-9a-f]{16})>\\n([\\s\\S]*?)\\n</\\1>`).exec(prompt)?.[2];
}

/**
 * The name of the structured output a request asks for (OpenAI `response_format`, Anthropic forced tool).
 *
 * @example
 * schemaName({ tool_choice: { type: 'tool', name: 'citation_checks' } }) // 'citation_checks'
 */
export function schemaName(body: Body): string | undefined {
  const format = body['response_format'] as { json_schema?: { name?: string } } | undefined;
  if (format?.json_schema?.name) return format.json_schema.name;
  const choice = body['tool_choice'] as { name?: string } | undefined;
  return choice?.name;
}

/**
 * The text of a message's content: a string, or its text parts.
 *
 * @example
 * textOf([{ type: 'text', text: 'Hi' }]) // 'Hi'
 */
export function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: { type?: string; text?: string }) =>
      part.type === 'text' || part.type === undefined ? (part.text ?? '') : '',
    )
    .join('');
}

function messagesOf(body: Body): Message[] {
  return Array.isArray(body['messages']) ? (body['messages'] as Message[]) : [];
}

/**
 * The text of the last user message (a grader's prompt).
 *
 * @example
 * lastUserText({ messages: [{ role: 'user', content: 'Grade this.' }] }) // 'Grade this.'
 */
export function lastUserText(body: Body): string {
  return textOf(messagesOf(body).findLast((m) => m.role === 'user')?.content);
}

/**
 * The tool result the model is reading now, if the last turn carries one.
 *
 * @example
 * toolResult({ messages: [{ role: 'tool', content: '{"ticket_id":"T"}' }] }) // '{"ticket_id":"T"}'
 */
export function toolResult(body: Body): string | undefined {
  const last = messagesOf(body).at(-1);
  if (last?.role === 'tool') return textOf(last.content);
  if (last?.role !== 'user' || !Array.isArray(last.content)) return undefined;
  const block = (last.content as { type?: string; content?: unknown }[]).find(
    (b) => b.type === 'tool_result',
  );
  return block ? textOf(block.content) : undefined;
}

/**
 * The customer's last own words: the last user message that is not a tool result.
 *
 * @example
 * lastQuestion({ messages: [{ role: 'user', content: 'Where is my parcel?' }] }) // 'Where is my parcel?'
 */
export function lastQuestion(body: Body): string {
  const user = messagesOf(body).findLast(
    (m) =>
      m.role === 'user' &&
      !(Array.isArray(m.content) && m.content.some((b: { type?: string }) => b.type === 'tool_result')),
  );
  return textOf(user?.content);
}

/**
 * Sentences of an answer without citation markers: the grader's statements.
 *
 * @example
 * statementsOf('Thirty days [returns-window]. Free labels.') // ['Thirty days.', 'Free labels.']
 */
export function statementsOf(answer: string): string[] {
  return answer
    .replace(CITATION, '')
    .split(/(?<=[.!?])\s+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * The judge's token log-probabilities for a reply: the text around the scores as
 * plain tokens, and each score alone in a token whose alternatives spread the
 * judge's belief over the neighbouring integers (0.8 on the score written, 0.15
 * one below, 0.05 one above), so G-Eval weighting has something to weigh: a
 * written 10 weighs 9.8, a 9 weighs 8.9.
 *
 * @example
 * judgeLogprobs('{"score":9}').map((t) => t.token) // ['{"score":', '9', '}']
 */
export function judgeLogprobs(content: string): ScriptedLogprob[] {
  const plain = (token: string): ScriptedLogprob => ({ token, logprob: 0, top: [{ token, logprob: 0 }] });
  const tokens: ScriptedLogprob[] = [];
  let at = 0;
  for (const match of content.matchAll(/"score":(\d+)/g)) {
    const start = match.index + '"score":'.length;
    tokens.push(plain(content.slice(at, start)));
    const score = Number(match[1]);
    const spread = [
      [score, 0.8],
      [score - 1, 0.15],
      [score + 1, 0.05],
    ].filter(([value]) => value! >= 0 && value! <= 10);
    const mass = spread.reduce((sum, [, p]) => sum + p!, 0);
    const top = spread.map(([value, p]) => ({ token: String(value), logprob: Math.log(p! / mass) }));
    tokens.push({ token: match[1]!, logprob: top[0]!.logprob, top });
    at = start + match[1]!.length;
  }
  if (at < content.length) tokens.push(plain(content.slice(at)));
  return tokens;
}
