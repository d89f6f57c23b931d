/**
 * Model output is hostile. Everything a model wrote (outputs, judge reasons,
 * check details) goes through `escapeCell` before it reaches markdown that a
 * PR comment or a step summary renders: no mentions, no raw HTML, no broken
 * tables, no links, no control characters.
 *
 * @example
 * escapeCell('@team </details> | x') // '@\u200bteam &lt;/details&gt; \\| x'
 */
export function escapeCell(text: string, maxLength = 300): string {
  let out = text
    // Control characters (but tab/newline, folded below) and bidi overrides.
    // eslint-disable-next-line no-control-regex -- removing control characters is the point
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (out.length > maxLength) out = `${out.slice(0, maxLength - 1)}…`;
  return (
    out
      // Markdown that could link or format: escape it (backslash first of all). Brackets are
      // enough to stop a link; parentheses stay readable.
      .replace(/([\\`*_[\]!~])/g, '\\$1')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/\|/g, '\\|')
      .replace(/#/g, '&#35;')
      // Mentions and team mentions never notify.
      .replace(/@/g, '@\u200b')
  );
}

/** A case id or model name in code style; ids are validated, but escape anyway. */
export function code(text: string): string {
  const clean = text.replace(/[`\r\n]/g, '');
  return `\`${clean}\``;
}
