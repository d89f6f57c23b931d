import { describe, expect, test } from 'vitest';
import { buildScorecard } from '../../../src/scorecard/build.js';
import { renderMarkdown } from '../../../src/scorecard/markdown.js';
import { renderTerminal } from '../../../src/scorecard/terminal.js';
import { toolChangeLines, toolChangeSection } from '../../../src/scorecard/tool-changes-markdown.js';
import type { Scorecard, StoredOutput, Thresholds } from '../../../src/scorecard/types.js';
import { computeVerdict } from '../../../src/scorecard/verdict.js';
import { result } from './gate-card.js';

const thresholds: Thresholds = {
  rubric_min_score: 0.5,
  ragas: { faithfulness: 0.5, answer_relevancy: 0.5 },
  max_per_case_regression: 3,
};
const call = (name: string, args: Record<string, unknown> = {}) => ({
  name,
  arguments: JSON.stringify(args),
});
const trial = (...tool_calls: { name: string; arguments: string }[]): StoredOutput => ({
  output: 'ok',
  score: 0.9,
  tool_calls,
});

function card(onChange: 'review' | 'ignore' = 'review'): Scorecard {
  const baseline = {
    scoring: { judge: 'openai:gpt-4.1', embeddings: 'openai:e', judge_samples: 1, prompts: 'x' },
    cases: [
      {
        id: 'refund',
        points: 90,
        outputs: [trial(call('lookup_order', { id: 'A1' }), call('refund', { id: 'A1' }))],
      },
      { id: 'faq', points: 90, outputs: [trial(call('search', { q: 'policy', n: 3 }))] },
      { id: 'held', points: 90, outputs: [trial(call('search', { q: 'x' }))] },
    ],
  };
  const results = [
    result('refund', 0.9, { outputs: [trial(call('refund', { id: 'A1' }), call('refund', { id: 'A1' }))] }),
    result('faq', 0.91, { outputs: [trial(call('search', { q: 'refund policy', lang: 'en' }))] }),
    result('held', 0.9, { outputs: [trial(call('search', { q: ' x ' }))] }),
  ];
  const verdict = computeVerdict({
    results,
    baseline,
    allowlist: [],
    thresholds: { default: thresholds },
    model: 'openai:gpt-5',
    today: '2026-12-03',
    toolChanges: onChange,
  });
  return buildScorecard(verdict, {
    model: 'openai:gpt-5',
    judge: 'openai:gpt-4.1',
    embeddings: null,
    thresholds,
    baseline: { schema: 'vitest-qualify/scorecard@1', model: 'openai:gpt-4.1', cases: baseline.cases },
    baselineSource: { kind: 'file', path: 'eval/baseline.json' },
    branch: null,
    commit: null,
    createdAt: new Date('2026-12-03T10:00:00Z'),
    durationMs: 1000,
  });
}

describe('tool changes rendered', () => {
  test('the scorecard JSON: the summary and each changed case', () => {
    const c = card();
    expect(c.verdict).toBe('review');
    expect(c.tool_changes).toEqual({
      on_change: 'review',
      compared: 3,
      changed: 2,
      cases: ['refund', 'faq'],
    });
    expect(c.cases.find((x) => x.id === 'refund')?.tool_changes?.changes).toEqual([
      { kind: 'missing', name: 'lookup_order', count: 1 },
      { kind: 'extra', name: 'refund', count: 1 },
    ]);
    expect(c.cases.find((x) => x.id === 'held')?.tool_changes).toBeUndefined();
  });

  test('the Markdown section: case, status, delta, changes, trials differing', () => {
    expect(toolChangeSection(card())).toEqual([
      '### Tool calls changed',
      '',
      "2 of 3 compared cases call tools differently from the baseline (its modal trajectory against this run's); a review, not a failure: check the changes are intended.",
      '',
      '| case | status | Δ | change | trials differing |',
      '| --- | --- | ---: | --- | ---: |',
      '| `refund` | pass | 0.0 | missing call `lookup_order`; extra call `refund` | 1/1 |',
      '| `faq` | pass | +1.0 | other arguments for `search`: \\~q, +lang, -n | 1/1 |',
      '',
    ]);
    const md = renderMarkdown(card());
    expect(md).toContain('### Tool calls changed');
    expect(md).toContain('🟡');
  });

  test('the terminal lines', () => {
    expect(toolChangeLines(card())).toEqual([
      'tool calls changed on 2 cases (review)',
      'tools refund: missing call lookup_order; extra call refund',
      'tools faq: other arguments for search: ~q, +lang, -n',
    ]);
    expect(renderTerminal(card())).toContain(
      '          tools refund: missing call lookup_order; extra call refund\n',
    );
  });

  test('on_change: ignore shows nothing (the JSON keeps the record)', () => {
    const c = card('ignore');
    expect(c.verdict).toBe('pass');
    expect(toolChangeSection(c)).toEqual([]);
    expect(toolChangeLines(c)).toEqual([]);
    expect(renderMarkdown(c)).not.toContain('Tool calls changed');
  });

  test('a baseline that predates stored tool calls: a note, no section', () => {
    const c = card();
    c.tool_changes = { on_change: 'review', compared: 0, changed: 0, cases: [], note: 'not compared: old' };
    for (const x of c.cases) delete x.tool_changes;
    const md = renderMarkdown(c);
    expect(md).toContain('> Tool calls not compared: old.');
    expect(md).not.toContain('### Tool calls changed');
  });

  test('a hostile tool name or argument key renders inert', () => {
    const c = card();
    const refund = c.cases.find((x) => x.id === 'refund')!;
    refund.tool_changes!.changes = [
      { kind: 'missing', name: '@team`</details>|', count: 1 },
      { kind: 'arguments', name: 'x', call: 1, added: ['<img src=x>'], removed: [], changed: [] },
    ];
    expect(toolChangeSection(c)[6]).toBe(
      '| `refund` | pass | 0.0 | missing call `@team</details>\\|`; other arguments for `x`: +&lt;img src=x&gt; | 1/1 |',
    );
  });
});
