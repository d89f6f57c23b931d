import { describe, expect, test } from 'vitest';
import { COMMENT_LIMIT, fitComment } from '../../../src/cli/github/trim.js';
import { OUTPUT_MAX } from '../../../src/scorecard/gate-markdown.js';
import { renderMarkdown } from '../../../src/scorecard/markdown.js';
import { renderTerminal } from '../../../src/scorecard/terminal.js';
import {
  arm,
  BASELINE,
  BASELINE_MODEL,
  gateCard,
  MODEL,
  oldCard,
  result,
  RESULTS,
  trials,
} from './gate-card.js';

/** The text from the line starting with `from` up to (not including) the line starting with `to`. */
function between(md: string, from: string, to: string): string {
  const start = md.indexOf(`\n${from}`) + 1;
  expect(start, `no line starting with ${from}`).toBeGreaterThan(0);
  const end = md.indexOf(`\n${to}`, start);
  expect(end, `no line starting with ${to}`).toBeGreaterThan(start);
  return md.slice(start, end + 1);
}

describe('renderMarkdown: the gate section', () => {
  const md = renderMarkdown(gateCard());

  test('under the verdict: how the gate decided, the stored fallback named', () => {
    expect(md.split('\n')[2]).toBe(
      '**Verdict: FAIL** against `anthropic:claude-sonnet-4-6` · 5 cases: 2 pass, 0 new, 1 allowlisted, 2 fail, 0 error',
    );
    expect(between(md, '**How the gate decided**', '> Judge')).toBe(
      [
        '**How the gate decided** (“How the gate decides” in vitest-qualify’s docs/scoring.md):',
        '',
        '- Mean Δ +1.0 points, 95 % interval [-12.5, +14.5], paired over 5 cases.',
        '- Smallest per-case drop this run could detect with 80 % power: 1.6 points; trial noise sd 1.2 points (35 degrees of freedom).',
        '- 5 cases compared with the baseline: 3 screened in for confirmation, 2 confirmed, 1 cleared by fresh trials.',
        '- 60 confirmation calls beside 30 first-pass calls.',
        '- Test: one-sided moderated t-test per case (first pass against the stored baseline, then fresh trials of both models, combined by the inverse normal method); Holm across the compared cases; family-wise level 0.05. A first-pass drop is screened in at a one-sided level of 0.1, then re-measured with 3 rounds of fresh trials of both models, continued to 8 unless those show no drop.',
        "- Compared with the baseline's stored trials, because the baseline model could not be called: `escalation-tone`.",
        '',
        '',
      ].join('\n'),
    );
  });

  test('confirmed drops with their evidence and outputs, drops within noise folded, flips', () => {
    expect(between(md, '### Confirmed drops', '### Slices')).toBe(
      [
        '### Confirmed drops',
        '',
        "Each dropped by more than its trial noise explains, after Holm's correction across the 5 compared cases. Outputs are cut to 1,000 characters (…).",
        '',
        '| case | status | first pass Δ | estimated drop | 95 % interval | trials: this run / baseline | p (one-sided) | confirmed |',
        '| --- | --- | ---: | ---: | --- | --- | ---: | --- |',
        '| `refund-window` | fail | -8.0 | 8.0 | [6.2, 9.8] | 8 / 8 re-measured | 0.00040 | yes |',
        '| `escalation-tone` | allowlisted | -3.0 | 2.6 | [1.3, 3.9] | 8 / 3 stored | 0.0020 | yes |',
        '',
        "<details><summary>Outputs of `refund-window`: this run's beside the baseline's</summary>",
        '',
        '| this run (`anthropic:claude-opus-4-7`, first trial, 80.0 points) | baseline (`anthropic:claude-sonnet-4-6`, first stored trial) |',
        '| --- | --- |',
        '| Refunds are possible within 14 days. | Refunds within 30 days. |',
        '',
        '</details>',
        '',
        "<details><summary>Outputs of `escalation-tone`: this run's beside the baseline's</summary>",
        '',
        "Baseline: the baseline model could not be called (404 model not found): compared with the baseline's stored trials, which this run cannot re-measure.",
        '',
        '| this run (`anthropic:claude-opus-4-7`, first trial, 81.0 points) | baseline (`anthropic:claude-sonnet-4-6`, first stored trial) |',
        '| --- | --- |',
        '| Let me pass this to a specialist. | A specialist will call. |',
        '',
        '</details>',
        '',
        '<details><summary>Drops within noise (not confirmed): 2 cases</summary>',
        '',
        'Lower than the baseline, but by no more than the trial noise explains across the 5 compared cases: these drops do not count against the regression budget (a case here that fails, fails for another reason, shown above). Outputs are cut to 1,000 characters (…).',
        '',
        '| case | status | first pass Δ | estimated drop | 95 % interval | trials: this run / baseline | p (one-sided) | confirmed |',
        '| --- | --- | ---: | ---: | --- | --- | ---: | --- |',
        '| `privacy-other-customer` | pass | -2.0 | -0.3 | [-2.1, 1.4] | 3 / 3 re-measured | 1.00 | no: cleared by fresh trials |',
        '| `billing-dispute` | fail | -2.0 | 2.0 | – | 3 first-pass / stored | 0.30 (first pass) | no: within first-pass noise |',
        '',
        "<details><summary>Outputs of `privacy-other-customer`: this run's beside the baseline's</summary>",
        '',
        '| this run (`anthropic:claude-opus-4-7`, first trial, 85.0 points) | baseline (`anthropic:claude-sonnet-4-6`, first stored trial) |',
        '| --- | --- |',
        '| I cannot share another customer’s order. | I cannot share that. |',
        '',
        '</details>',
        '',
        "<details><summary>Outputs of `billing-dispute`: this run's beside the baseline's</summary>",
        '',
        '| this run (`anthropic:claude-opus-4-7`, first trial, 77.0 points) | baseline (`anthropic:claude-sonnet-4-6`, first stored trial) |',
        '| --- | --- |',
        '| Disputes take 5 days. | Disputes take 3 days. |',
        '',
        '</details>',
        '',
        '</details>',
        '',
        '### Flips against the baseline',
        '',
        "2 from passing to failing, 1 from failing to passing, against the baseline's own statuses.",
        '',
        '| case | baseline status | this run |',
        '| --- | --- | --- |',
        '| `refund-window` | pass | fail |',
        '| `billing-dispute` | pass | fail |',
        '| `greeting` | fail | pass |',
        '',
        '',
      ].join('\n'),
    );
  });

  test('a drop the gate did not confirm leaves the failing table; a case failing its minimum stays', () => {
    const failing = between(md, '### Failing', '### Confirmed drops');
    expect(failing.match(/^\| `[a-z-]+`/gm)).toEqual([
      '| `refund-window`',
      '| `billing-dispute`',
      '| `escalation-tone`',
    ]);
  });

  test('the terminal: one line with the mean delta, its interval and the drops', () => {
    expect(renderTerminal(gateCard()).split('\n')[3]).toBe(
      '          gate: mean Δ +1.0 points (95 % interval [-12.5, +14.5]) over 5 cases; 2 drops confirmed, 2 within noise',
    );
  });
});

describe('renderMarkdown: a scorecard written before the gate was noise-aware', () => {
  test('renders exactly as before: no gate section, no flips, no drop sections', () => {
    expect(renderMarkdown(oldCard())).toBe(
      [
        '## ❌ `anthropic:claude-opus-4-7` does not qualify',
        '',
        '**Verdict: FAIL** against `anthropic:claude-sonnet-4-6` · 5 cases: 2 pass, 0 new, 1 allowlisted, 2 fail, 0 error',
        '',
        '> Judge `openai:gpt-4.1`.',
        '> Baseline read from `origin/main:eval/baseline.json` (the base branch, not the PR head).',
        '',
        '### Gates',
        '',
        '| subject | gate | mean points | threshold | result |',
        '| --- | --- | ---: | ---: | --- |',
        '| drafter | rubric | 83.6 | 80 points (rubric_min_score 0.8) | pass over 5 rows |',
        '| drafter | faithfulness | – | 78 points (ragas.faithfulness 0.78) | n/a (no scored rows) over 0 rows |',
        '| drafter | answer_relevancy | – | 78 points (ragas.answer_relevancy 0.78) | n/a (no scored rows) over 0 rows |',
        '',
        '### Failing, errored and regressed cases',
        '',
        '| case | subject | status | points | baseline | Δ | why |',
        '| --- | --- | --- | ---: | ---: | ---: | --- |',
        '| `refund-window` | drafter | fail | 82.0 | 90.0 | -8.0 | regressed 8.0 points (90.0 -&gt; 82.0) (confirmed by 8 fresh trials against 8 of the baseline model anthropic:claude-sonnet-4-6, p = 0.00040, 95 % interval \\[6.2, 9.8\\]), more than the 3-point budget: no allowlist entry can cover it |',
        '| `billing-dispute` | drafter | fail | 78.0 | 80.0 | -2.0 | scored 78.0 points, below the minimum 80 points (min\\_score 0.8) |',
        "| `escalation-tone` | drafter | allowlisted | 82.0 | 85.0 | -3.0 | regressed 2.6 points (85.0 -&gt; 82.0) (confirmed by 8 fresh trials against the baseline's 3 stored trials, p = 0.0020, 95 % interval \\[1.3, 3.9\\]), allowlisted by ana on 2026-11-20: softer tone on purpose; needs a second reviewer |",
        '| `privacy-other-customer` | drafter | pass | 86.0 | 88.0 | -2.0 | dropped 2.0 points in the first pass; 3 fresh trials against 3 of the baseline model anthropic:claude-sonnet-4-6 show no drop (+0.3, 95 % interval \\[-2.1, 1.4\\]): cleared as noise (88.0 -&gt; 86.0) |',
        '',
        '### Slices',
        '',
        '| slice | cases | mean points | mean Δ | fail | error |',
        '| --- | ---: | ---: | ---: | ---: | ---: |',
        '| subject drafter | 5 | 83.6 | +1.0 | 2 | 0 |',
        '',
        '### Per-case delta',
        '',
        '```mermaid',
        'xychart-beta',
        '  title "Delta versus baseline, points"',
        '  x-axis ["refund-window", "escalation-tone", "privacy-other-customer", "billing-dispute", "greeting"]',
        '  y-axis "delta (points)" -20 --> 20',
        '  bar [-8.0, -3.0, -2.0, -2.0, 20.0]',
        '```',
        '',
        '### Cost and time',
        '',
        '90 model calls (0 from cassettes), 500 input and 100 output tokens, cost $0.0050, 12.3 s.',
        '',
        '<details><summary>All 5 cases</summary>',
        '',
        '| case | subject | tags | status | points | baseline | Δ | spread | faithfulness | relevancy |',
        '| --- | --- | --- | --- | ---: | ---: | ---: | --- | ---: | ---: |',
        '| `refund-window` | drafter |  | fail | 82.0 | 90.0 | -8.0 | 80.0–84.0 | – | – |',
        '| `privacy-other-customer` | drafter |  | pass | 86.0 | 88.0 | -2.0 | 85.0–87.0 | – | – |',
        '| `escalation-tone` | drafter |  | allowlisted | 82.0 | 85.0 | -3.0 | 81.0–83.0 | – | – |',
        '| `billing-dispute` | drafter |  | fail | 78.0 | 80.0 | -2.0 | 77.0–79.0 | – | – |',
        '| `greeting` | drafter |  | pass | 90.0 | 70.0 | +20.0 | 89.0–91.0 | – | – |',
        '',
        '</details>',
        '',
      ].join('\n'),
    );
  });

  test('the terminal has no gate line', () => {
    expect(renderTerminal(oldCard())).not.toContain('gate:');
    expect(renderTerminal(oldCard()).split('\n')).toHaveLength(7);
  });
});

describe('renderMarkdown: model output in the gate section', () => {
  test('a mention, a pipe, a script tag and a 5,000-character output are escaped and cut', () => {
    const prefix = '@octocat <script>alert(1)</script> | a | b ';
    const hostile = result('hostile', 0.82, {
      trials: trials([0.81, 0.82, 0.83]),
      outputs: [{ output: `${prefix}\n${'x'.repeat(5000)}`, score: 0.81 }],
    });
    const baseline = {
      ...BASELINE,
      cases: [
        {
          id: 'hostile',
          points: 90,
          status: 'pass',
          outputs: [{ output: '@org/team </details> [link](https://evil.example)', score: 0.9 }],
        },
      ],
    };
    const md = renderMarkdown(gateCard([hostile], baseline));
    const cut = `@\u200boctocat &lt;script&gt;alert(1)&lt;/script&gt; \\| a \\| b ${'x'.repeat(OUTPUT_MAX - 1 - prefix.length)}…`;
    expect(between(md, '<details><summary>Outputs of `hostile`', '### Flips')).toBe(
      [
        "<details><summary>Outputs of `hostile`: this run's beside the baseline's</summary>",
        '',
        '| this run (`anthropic:claude-opus-4-7`, first trial, 81.0 points) | baseline (`anthropic:claude-sonnet-4-6`, first stored trial) |',
        '| --- | --- |',
        `| ${cut} | @\u200borg/team &lt;/details&gt; \\[link\\](https://evil.example) |`,
        '',
        '</details>',
        '',
        '',
      ].join('\n'),
    );
    expect(md).not.toMatch(/@(octocat|org)/);
    expect(md).not.toContain('<script');
    expect(md).not.toContain('x'.repeat(OUTPUT_MAX));
    expect(md.match(/<details>/g)).toHaveLength(md.match(/<\/details>/g)!.length);
  });
});

describe('renderMarkdown: flips', () => {
  test('more than 10 flips are folded', () => {
    const ids = Array.from({ length: 11 }, (_, i) => `case-${String(i).padStart(2, '0')}`);
    const md = renderMarkdown(
      gateCard(
        ids.map((id) => result(id, 0.5)),
        { ...BASELINE, cases: ids.map((id) => ({ id, points: 90, status: 'pass', outputs: [] })) },
      ),
    );
    expect(between(md, '### Flips', '### Slices')).toBe(
      [
        '### Flips against the baseline',
        '',
        "11 from passing to failing, 0 from failing to passing, against the baseline's own statuses.",
        '',
        '<details><summary>The 11 flips</summary>',
        '',
        '| case | baseline status | this run |',
        '| --- | --- | --- |',
        ...ids.map((id) => `| \`${id}\` | pass | fail |`),
        '',
        '</details>',
        '',
        '',
      ].join('\n'),
    );
  });
});

describe('fitComment on a scorecard with the gate section', () => {
  test('drops the folded sections, bottom up, before anything under the verdict', () => {
    const long = (who: string, i: number) => `${who} answer ${i}: ${'words '.repeat(300)}`;
    const dropped = (i: number, confirmed: boolean) =>
      result(`drop-${confirmed ? 'real' : 'noise'}-${String(i).padStart(2, '0')}`, 0.85, {
        trials: trials([0.84, 0.85, 0.86]),
        outputs: [{ output: long('this run', i), score: 0.84 }],
        confirmation: {
          screen: { drop: 5, se: 1, p: confirmed ? 0.001 : 0.3 },
          candidate: confirmed ? arm(MODEL, [85, 84, 86]) : null,
          baseline: confirmed ? { ...arm(BASELINE_MODEL, [90, 91, 89]), source: 'model' } : null,
          drop: 5,
          interval: confirmed ? [3, 7] : null,
          p: confirmed ? 0.000001 : 1,
          stage: confirmed ? 'tested' : 'not-screened',
          calls: confirmed ? 12 : 0,
        },
        usage: {
          calls: confirmed ? 18 : 6,
          input_tokens: 100,
          output_tokens: 20,
          cost_usd: 0.001,
          cached_calls: 0,
        },
      });
    const results = [
      ...Array.from({ length: 35 }, (_, i) => dropped(i, true)),
      ...Array.from({ length: 20 }, (_, i) => dropped(i, false)),
      ...RESULTS,
    ];
    const baseline = {
      ...BASELINE,
      cases: [
        ...results.slice(0, 55).map((r, i) => ({
          id: r.id,
          points: 90,
          status: 'pass',
          outputs: [{ output: long('baseline', i), score: 0.9 }],
        })),
        ...BASELINE.cases,
      ],
    };
    const markdown = renderMarkdown(gateCard(results, baseline));
    expect(markdown.length).toBeGreaterThan(COMMENT_LIMIT);
    const fitted = fitComment({ marker: '<!-- m -->', markdown, link: undefined });
    expect(fitted.body.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(fitted.leftOut).toEqual([
      'the full case table',
      'the drops within noise',
      'the outputs beside the baseline’s',
    ]);
    // Everything above the first folded block is kept whole: the verdict, how the gate decided,
    // the gates, the failing cases and the confirmed drops' table.
    const head = markdown.slice(0, markdown.indexOf('\n<details>') + 1);
    expect(head).toContain('**How the gate decided**');
    expect(head).toContain(
      '| `drop-real-34` | fail | -5.0 | 5.0 | [3.0, 7.0] | 3 / 3 re-measured | < 0.0001 | yes |',
    );
    expect(fitted.body.startsWith(`<!-- m -->\n${head}`)).toBe(true);
    expect(fitted.body).toContain('<details><summary>The 38 flips</summary>');
    // Outputs dropped from the bottom up, only as many as needed.
    expect(fitted.body).toContain(
      "<details><summary>Outputs of `refund-window`: this run's beside the baseline's",
    );
    expect(fitted.body).not.toContain('Outputs of `escalation-tone`');
    expect(fitted.body).not.toContain('Drops within noise');
    // The nested <details> of the drops within noise went with it: no tag left open or dangling.
    expect(fitted.body.match(/<details>/g)!.length).toBe(fitted.body.match(/<\/details>/g)!.length);
  });
});
