import { describe, expect, test } from 'vitest';
import { COMMENT_LIMIT, fitComment } from '../../../src/cli/github/trim.js';

const MARKER = '<!-- vitest-qualify:scorecard -->';
const rows = (prefix: string, n: number): string =>
  Array.from({ length: n }, (_, i) => `| ${prefix}-${i} | 1.0 |`).join('\n');

/** A scorecard shaped as renderMarkdown writes it, with sections of chosen sizes. */
function scorecard(sizes: { failing: number; slices: number; cost: number; details: number }): string {
  return [
    '## ❌ `m` does not qualify',
    '',
    '**Verdict: FAIL**',
    '',
    '### Gates',
    '',
    '| gate | value |',
    '| --- | ---: |',
    '| rubric | 0.5 |',
    '',
    '### Failing, errored and regressed cases',
    '',
    '| case | Δ |',
    '| --- | ---: |',
    rows('failing', sizes.failing),
    '',
    '### Slices',
    '',
    rows('slice', sizes.slices),
    '',
    '### Cost and time',
    '',
    rows('cost', sizes.cost),
    '',
    '<details><summary>All cases</summary>',
    '',
    rows('all', sizes.details),
    '',
    '</details>',
    '',
  ].join('\n');
}

describe('fitComment', () => {
  test('a body within the limit is the marker line and the markdown, untouched', () => {
    const markdown = scorecard({ failing: 2, slices: 2, cost: 1, details: 5 });
    expect(fitComment({ marker: MARKER, markdown, link: undefined })).toEqual({
      body: `${MARKER}\n${markdown}`,
      trimmed: false,
      leftOut: [],
    });
  });

  test('drops the folded table first, then optional sections from the bottom up, until it fits', () => {
    const markdown = scorecard({ failing: 10, slices: 10, cost: 40, details: 200 });
    const limit = 1200;
    const fitted = fitComment({ marker: MARKER, markdown, link: 'https://ci.example/run/1', limit });
    expect(fitted.leftOut).toEqual(['the full case table', 'Cost and time']);
    expect(fitted.body.length).toBeLessThanOrEqual(limit);
    expect(fitted.body).toContain('### Slices\n');
    expect(fitted.body).toContain('| failing-9 | 1.0 |');
    expect(fitted.body).not.toContain('### Cost and time');
    expect(
      fitted.body.endsWith(
        '| slice-9 | 1.0 |\n\n---\n\n✂️ Trimmed to fit GitHub’s 1,200-character comment limit; ' +
          'left out: the full case table, Cost and time. [The full scorecard](<https://ci.example/run/1>) has everything.\n',
      ),
    ).toBe(true);
  });

  test('when the failing cases alone are too long, their last rows are cut at line boundaries', () => {
    const markdown = scorecard({ failing: 5000, slices: 3, cost: 3, details: 10 });
    const fitted = fitComment({ marker: MARKER, markdown, link: undefined });
    expect(fitted.trimmed).toBe(true);
    expect(fitted.body.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(fitted.leftOut).toEqual(['the full case table', 'Cost and time', 'Slices']);
    expect(
      fitted.body.startsWith(`${MARKER}\n## ❌ \`m\` does not qualify\n\n**Verdict: FAIL**\n\n### Gates\n`),
    ).toBe(true);
    expect(fitted.body).toContain('| failing-0 | 1.0 |\n| failing-1 | 1.0 |');
    expect(fitted.body).not.toContain('| failing-4999 |');
    const kept = fitted.body.match(/\| failing-\d+ \|/g)!.length;
    expect(fitted.body).toContain(
      `\n\n… ${5000 - kept} more lines left out here; they are in the full scorecard.\n`,
    );
    expect(fitted.body).toContain(
      'left out: the full case table, Cost and time, Slices, the last rows of the tables. ' +
        'The full scorecard is in the workflow run’s step summary and its scorecard artifact.\n',
    );
  });

  test('never ends inside a surrogate pair, even when one line alone is over the limit', () => {
    const markdown = `## ❌ verdict\n\n### Gates\n\n${'😀'.repeat(40_000)}\n`;
    const fitted = fitComment({ marker: MARKER, markdown, link: undefined });
    expect(fitted.body.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(fitted.body).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    expect(fitted.body).toContain('1 more line left out here');
  });
});
