import { describe, expect, test } from 'vitest';
import { buildScorecard } from '../../../src/scorecard/build.js';
import { renderMarkdown } from '../../../src/scorecard/markdown.js';
import { renderTerminal } from '../../../src/scorecard/terminal.js';
import type { CaseResult, Thresholds } from '../../../src/scorecard/types.js';
import { computeVerdict } from '../../../src/scorecard/verdict.js';

const thresholds: Thresholds = {
  rubric_min_score: 0.8,
  ragas: { faithfulness: 0.78, answer_relevancy: 0.78 },
  max_per_case_regression: 3,
};

function result(id: string, score: number | null, extra: Partial<CaseResult> = {}): CaseResult {
  return {
    id,
    subject: 'drafter',
    tags: ['billing'],
    score,
    min_score: 0.8,
    faithfulness: null,
    answer_relevancy: null,
    nan_metrics: [],
    criteria: [],
    checks: [],
    trials: null,
    error: null,
    usage: {
      calls: 2,
      input_tokens: 100,
      output_tokens: 20,
      cost_usd: 0.001,
      cached_calls: 2,
      hand_written_calls: 2,
    },
    latency_ms: 5,
    ...extra,
  };
}

function card(results: CaseResult[], baseline: { id: string; points: number }[] | null) {
  const verdict = computeVerdict({
    results,
    baseline: baseline ? { cases: baseline } : null,
    allowlist: [],
    thresholds: { default: thresholds },
    model: 'anthropic:claude-opus-4-7',
    today: '2026-11-27',
  });
  return buildScorecard(verdict, {
    model: 'anthropic:claude-opus-4-7',
    judge: 'openai:gpt-4.1',
    embeddings: 'openai:text-embedding-3-small',
    thresholds,
    baseline: baseline
      ? { schema: 'vitest-qualify/scorecard@1', model: 'anthropic:claude-sonnet-4-6', cases: baseline }
      : null,
    baselineSource: baseline
      ? { kind: 'git', ref: 'origin/main', path: 'eval/baseline.json' }
      : { kind: 'none', path: 'eval/baseline.json' },
    branch: 'model/anthropic-claude-opus-4-7',
    commit: 'abc123',
    createdAt: new Date('2026-11-27T10:00:00Z'),
    durationMs: 12_345,
  });
}

describe('renderMarkdown', () => {
  test('verdict first, gates, regressions with deltas, slices, chart, cost, folded table', () => {
    const md = renderMarkdown(
      card(
        [result('refund-window', 0.85), result('privacy-other-customer', 0.8), result('greeting', 0.92)],
        [
          { id: 'refund-window', points: 86 },
          { id: 'privacy-other-customer', points: 90 },
          { id: 'greeting', points: 90 },
        ],
      ),
    );
    const lines = md.split('\n');
    expect(lines[0]).toBe('## ❌ `anthropic:claude-opus-4-7` does not qualify');
    expect(lines[2]).toBe(
      '**Verdict: FAIL** against `anthropic:claude-sonnet-4-6` · 3 cases: 1 pass, 0 new, 0 allowlisted, 2 fail, 0 error',
    );
    expect(md).toContain(
      '> Baseline read from `origin/main:eval/baseline.json` (the base branch, not the PR head).',
    );
    expect(md).toContain('> Outputs replayed from cassettes written by hand, not recorded from a provider.');
    expect(md).toContain('| drafter | rubric | 85.7 | 80 points (rubric_min_score 0.8) | pass over 3 rows |');
    expect(md).toContain(
      '| `privacy-other-customer` | drafter | fail | 80.0 | 90.0 | -10.0 | regressed 10.0 points (90.0 -&gt; 80.0), more than the 3-point budget: no allowlist entry can cover it |',
    );
    expect(md).toContain('| tag billing | 3 | 85.7 | -3.0 | 2 | 0 |');
    expect(md).toContain('```mermaid\nxychart-beta');
    expect(md).toContain('  bar [-10.0, -1.0, 2.0]');
    expect(md).toContain(
      '6 model calls (6 from cassettes), 300 input and 60 output tokens, cost $0.0030, 12.3 s.',
    );
    expect(md).toContain('<details><summary>All 3 cases</summary>');
    expect(md.indexOf('### Gates')).toBeLessThan(md.indexOf('### Failing'));
  });

  test('hostile model output renders inert', () => {
    const hostile = '@octocat </details> <img src=x onerror=alert(1)> | broken | table\n# heading\u0000';
    const md = renderMarkdown(
      card(
        [
          result('hostile', 0, {
            checks: [{ name: 'not_contains "guarantee"', pass: false, detail: `found in: ${hostile}` }],
          }),
        ],
        null,
      ),
    );
    expect(md).not.toContain('@octocat');
    expect(md).not.toContain('</details> ');
    expect(md).not.toContain('<img');
    expect(md).not.toContain('\u0000');
    const row = md.split('\n').find((l) => l.startsWith('| `hostile`'));
    expect(row).toBeDefined();
    // Exactly the 8 unescaped pipes of a 7-column row (9 parts): the output's pipes are escaped.
    expect(row!.replace(/\\\|/g, '').split('|')).toHaveLength(9);
    expect(md.split('</details>')).toHaveLength(2); // only our own closing tag
  });

  test('no baseline and an error are said plainly', () => {
    const md = renderMarkdown(
      card([result('x', null, { error: { kind: 'provider', code: 'E', message: '503 from openai' } })], null),
    );
    expect(md).toContain('## ⚠️ `anthropic:claude-opus-4-7` could not be measured');
    expect(md).toContain('> No baseline (missing): every case is new and gated by its minimum only.');
    expect(md).toContain('provider error: 503 from openai; no regression was measured for this case');
  });

  test("an agent that threw: its own frames, folded under the cases' table", () => {
    const error = {
      kind: 'agent' as const,
      code: 'E_AGENT_THREW',
      message: 'no entry | for `x`',
      stack: ['at lookUp (lib/kb.ts:10:11)', 'at agents/```odd```.ts:6:12'],
    };
    const md = renderMarkdown(card([result('x', null, { error }), result('y', 0.9)], null));
    const start = md.indexOf('<details><summary>Where');
    expect(md.slice(start, md.indexOf('</details>', start) + '</details>'.length)).toBe(
      [
        '<details><summary>Where `x` threw (no entry \\| for \\`x\\`)</summary>',
        '',
        '````',
        'at lookUp (lib/kb.ts:10:11)',
        'at agents/```odd```.ts:6:12',
        '````',
        '',
        '</details>',
      ].join('\n'),
    );
    expect(md.split('<details><summary>Where')).toHaveLength(2); // none for the case without a stack
  });
});

describe('renderTerminal', () => {
  test('a compact summary', () => {
    const text = renderTerminal(card([result('a', 0.9), result('b', 0.5)], [{ id: 'a', points: 90 }]), [
      'eval/out/scorecard.json',
    ]);
    expect(text).toBe(
      [
        '',
        ' qualify  FAIL  anthropic:claude-opus-4-7 vs anthropic:claude-sonnet-4-6',
        '          2 cases: 1 pass, 0 new, 0 allowlisted, 1 fail, 0 error',
        '          gate drafter.rubric 70.0 points, below 80 points (rubric_min_score 0.8)',
        '          gate: mean Δ not estimated (1 compared case, fewer than two); 0 drops confirmed, 0 within noise',
        '          fail b: scored 50.0 points, below the minimum 80 points (min_score 0.8)',
        '          cost: $0.0020; 4 model calls (4 from cassettes), 12.3 s',
        '          scorecard: eval/out/scorecard.json',
        '',
      ].join('\n'),
    );
  });
});

describe('cost of models with no price', () => {
  const usage = (cost_usd: number, unpriced: string[]) => ({
    calls: 2,
    input_tokens: 100,
    output_tokens: 20,
    cost_usd,
    cached_calls: 0,
    unpriced,
  });

  test('a run on an unpriced model says unpriced and names it, in the JSON, the markdown and the terminal', () => {
    const scored = card([result('a', 0.9, { usage: usage(0, ['openai-compatible:my-model']) })], null);
    expect(scored.usage).toMatchObject({ cost_usd: 0, unpriced: ['openai-compatible:my-model'] });
    const why = 'openai-compatible:my-model has no price: add it under prices: in rubric.yaml';
    expect(renderMarkdown(scored)).toContain(
      '2 model calls (0 from cassettes), 100 input and 20 output tokens, cost unpriced (openai-compatible:my-model has no price: add it under prices: in rubric.yaml), 12.3 s.',
    );
    expect(renderTerminal(scored).split('\n')).toContain(
      `          cost: unpriced (${why}); 2 model calls (0 from cassettes), 12.3 s`,
    );
    expect(renderMarkdown(scored)).not.toContain('$0.0000');
  });

  test('priced and unpriced calls together: the known cost plus the unpriced models, each named once', () => {
    const scored = card(
      [
        result('a', 0.9, { usage: usage(0.5, ['openai:judge-x']) }),
        result('b', 0.9, { usage: usage(0.25, ['azure:deploy', 'openai:judge-x']) }),
        result('c', 0.9, { usage: usage(0.25, []) }),
      ],
      null,
    );
    expect(scored.usage).toMatchObject({ cost_usd: 1, unpriced: ['azure:deploy', 'openai:judge-x'] });
    expect(renderTerminal(scored).split('\n')).toContain(
      '          cost: $1.0000 plus unpriced calls (azure:deploy and openai:judge-x have no price: add them under prices: in rubric.yaml); 6 model calls (0 from cassettes), 12.3 s',
    );
  });

  test('every model priced: dollars alone, and an empty unpriced list in the JSON', () => {
    const scored = card([result('a', 0.9, { usage: usage(0.0123, []) })], null);
    expect(scored.usage).toMatchObject({ cost_usd: 0.0123, unpriced: [] });
    expect(renderTerminal(scored)).toContain('          cost: $0.0123; 2 model calls');
  });
});

describe('one scale: points on 0-100', () => {
  test('gates, faithfulness and relevancy read in points, thresholds with the rubric value beside them', () => {
    const scored = card(
      [
        result('a', 0.9, { faithfulness: 0.5, answer_relevancy: 0.875 }),
        result('b', 0.9, { faithfulness: 0.7 }),
      ],
      null,
    );
    const md = renderMarkdown(scored);
    expect(md).toContain('| subject | gate | mean points | threshold | result |');
    expect(md).toContain(
      '| drafter | faithfulness | 60.0 | 78 points (ragas.faithfulness 0.78) | **fail** over 2 rows |',
    );
    expect(md).toContain(
      '| drafter | answer_relevancy | 87.5 | 78 points (ragas.answer_relevancy 0.78) | pass over 1 rows |',
    );
    expect(md).toContain('| `a` | drafter | billing | new | 90.0 | – | – | – | 50.0 | 87.5 |');
    expect(renderTerminal(scored).split('\n')).toContain(
      '          gate drafter.faithfulness 60.0 points, below 78 points (ragas.faithfulness 0.78)',
    );
  });
});
