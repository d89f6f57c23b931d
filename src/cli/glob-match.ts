/**
 * A glob as a regular expression over `/`-separated relative paths: `**` any
 * number of folders, `*` and `?` within one name, `{a,b}` alternatives, `[...]`
 * character classes (`[!...]` negated). Enough for the case globs of rubric.yaml.
 *
 * @example
 * globToRegExp('eval/**\/*.cases.yaml').test('eval/billing/refunds.cases.yaml') // true
 */
export function globToRegExp(glob: string): RegExp {
  const text = glob.replace(/^\.\//, '');
  let out = '';
  let braces = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '*') {
      if (text[i + 1] === '*') {
        const atStart = i === 0 || text[i - 1] === '/';
        const slashAfter = text[i + 2] === '/';
        if (atStart && slashAfter) {
          out += '(?:[^/]+/)*';
          i += 2;
        } else {
          out += '.*';
          i += 1;
        }
      } else out += '[^/]*';
    } else if (ch === '?') out += '[^/]';
    else if (ch === '{') {
      braces++;
      out += '(?:';
    } else if (ch === '}' && braces > 0) {
      braces--;
      out += ')';
    } else if (ch === ',' && braces > 0) out += '|';
    else if (ch === '[') {
      const close = text.indexOf(']', i + 2);
      if (close === -1) out += '\\[';
      else {
        const body = text
          .slice(i + 1, close)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\');
        out += `[${body}]`;
        i = close;
      }
    } else out += ch.replace(/[.+^$()|\\\]{}]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/**
 * Whether a relative path matches any of the globs.
 *
 * @example
 * matchesAny('agents/drafter.ts', ['agents/**']) // true
 */
export function matchesAny(file: string, globs: readonly string[]): boolean {
  return globs.some((glob) => globToRegExp(glob).test(file));
}
