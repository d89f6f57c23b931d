/** What one check function returns; `runChecks` adds the check's name. */
export interface Outcome {
  pass: boolean;
  detail: string;
}

/**
 * A snippet of text for a detail line: quoted, at most `max` characters, one line.
 *
 * @example
 * snippet('a "b"\nc') // '"a \\"b\\"\\nc"'
 */
export function snippet(text: string, max = 60): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max - 1)}…` : text);
}
