import { describe, expect, test } from 'vitest';
import { escapeCell } from '../../../src/internal/markdown-escape.js';

describe('escapeCell', () => {
  test.each([
    ['@team please look', '@\u200bteam please look'],
    ['</details><script>x</script>', '&lt;/details&gt;&lt;script&gt;x&lt;/script&gt;'],
    ['a | b', 'a \\| b'],
    ['[click](http://evil)', '\\[click\\](http://evil)'],
    ['line1\nline2\r\n\tend', 'line1 line2 end'],
    ['bell\u0007 and \u202eoverride', 'bell and override'],
    ['fixes #12', 'fixes &#35;12'],
    ['`code` *bold* _it_ ~s~ !img \\', '\\`code\\` \\*bold\\* \\_it\\_ \\~s\\~ \\!img \\\\'],
    // A backslash before a pipe: escaped first, so GitHub reads a literal backslash and an escaped pipe.
    ['a\\|b', 'a\\\\\\|b'],
    ['C:\\dir\\', 'C:\\\\dir\\\\'],
    ['| | |', '\\| \\| \\|'],
    ['a\r\nb|c', 'a b\\|c'],
    ['<b>x</b> & y', '&lt;b&gt;x&lt;/b&gt; &amp; y'],
    ['&lt;', '&amp;lt;'],
    ['@org/team', '@\u200borg/team'],
  ])('%j', (input, expected) => {
    expect(escapeCell(input)).toBe(expected);
  });

  test('long text is cut', () => {
    expect(escapeCell('x'.repeat(100_000))).toBe(`${'x'.repeat(299)}…`);
  });
});
