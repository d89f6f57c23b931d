/**
 * What the user asked in a case, in the two forms the scorers need: the bare user
 * input (ragas' `user_input`) and a rendering of the whole conversation for a judge.
 */
import type { ScoringCase } from './types.js';

/**
 * The user input of a case: its `input`, or the last user message of its `messages`.
 * `''` when there is neither.
 *
 * @example
 * userInput({ id: 'a', messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' },
 *   { role: 'user', content: 'refund?' }] }) // 'refund?'
 */
export function userInput(c: Pick<ScoringCase, 'input' | 'messages'>): string {
  if (c.input !== undefined) return c.input;
  const users = (c.messages ?? []).filter((m) => m.role === 'user');
  return users.at(-1)?.content ?? '';
}

/**
 * The case input as a judge reads it: the `input` as is, or each message as `role: content`.
 *
 * @example
 * renderCaseInput({ id: 'a', messages: [{ role: 'user', content: 'hi' }] }) // 'user: hi'
 */
export function renderCaseInput(c: Pick<ScoringCase, 'input' | 'messages'>): string {
  if (c.input !== undefined) return c.input;
  return (c.messages ?? []).map((m) => `${m.role}: ${m.content}`).join('\n\n');
}
