/**
 * The first line of a message, at most 500 characters: what one line of a
 * scorecard or a log can hold of an error's message.
 *
 * @example
 * firstLine('boom\n    at agent.ts:3') // 'boom'
 */
export function firstLine(text: string): string {
  return (text.split('\n')[0] ?? '').slice(0, 500);
}
