/**
 * A data path as a reader writes it: `thresholds.rubric_min_score`,
 * `cases[3].checks[0]`, `prices["openai:gpt-5"]`. The empty path reads as
 * `whole` (`the file` for a config file; `''` where the caller adds nothing).
 *
 * @example
 * formatPath(['cases', 3, 'checks', 0]) // 'cases[3].checks[0]'
 * formatPath([], '') // ''
 */
export function formatPath(path: readonly PropertyKey[], whole = 'the file'): string {
  if (path.length === 0) return whole;
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_][\w-]*$/.test(String(segment)))
      out += out === '' ? String(segment) : `.${String(segment)}`;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out;
}
