/**
 * The `rel="next"` target of an HTTP `Link` header (RFC 8288), as GitHub sends
 * it for paginated lists; `undefined` on the last page.
 *
 * @example
 * nextLink('<https://api.github.com/x?page=2>; rel="next", <https://api.github.com/x?page=3>; rel="last"')
 * // 'https://api.github.com/x?page=2'
 */
export function nextLink(header: string | null | undefined): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (!match) continue;
    const rels = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(match[2]!);
    const names = (rels?.[1] ?? rels?.[2] ?? '').toLowerCase().split(/\s+/);
    if (names.includes('next')) return match[1];
  }
  return undefined;
}
