import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import type { Baseline } from '../../../src/scorecard/baseline.js';
import type { ScoringIdentity } from '../../../src/scorecard/types.js';
import { NO_SCORING_NOTE, planScoring } from '../../../src/vitest/scoring-plan.js';

const today: ScoringIdentity = {
  judge: 'openai:judge-1',
  embeddings: 'openai:embed-1',
  judge_samples: 1,
  prompts: 'p1',
};
const out = (output: string, score = 0.9) => ({ output, score });

function baseline(over: Partial<Record<string, unknown>> = {}, cases?: Baseline['cases']): Baseline {
  return {
    schema: 'vitest-qualify/scorecard@1',
    model: 'openai:model-a',
    judge: 'openai:judge-1',
    embeddings: 'openai:embed-1',
    scoring: today,
    cases: cases ?? [
      { id: 'a', points: 90, rubric_hash: 'ha', outputs: [out('A1'), out('A2')] },
      { id: 'b', points: 80, rubric_hash: 'hb', outputs: [out('B1', 0.8)] },
      { id: 'c', points: null, rubric_hash: 'hc', outputs: [] },
    ],
    ...over,
  } as Baseline;
}
const cases = [
  { id: 'a', rubric_hash: 'ha' },
  { id: 'b', rubric_hash: 'hb' },
  { id: 'c', rubric_hash: 'hc' },
];

describe('planScoring', () => {
  test('nothing changed: no re-judging; the probe takes cases by the sha256 of their id', () => {
    const order = ['a', 'b'].sort((x, y) =>
      createHash('sha256').update(x).digest('hex') < createHash('sha256').update(y).digest('hex') ? -1 : 1,
    );
    const plan = planScoring({ baseline: baseline(), today, cases, probe: 1, fresh: true });
    expect(plan.rejudge).toEqual({});
    expect(plan.change).toBeUndefined();
    expect(Object.keys(plan.probe)).toEqual([order[0]]);
    expect(
      Object.keys(planScoring({ baseline: baseline(), today, cases, probe: 3, fresh: true }).probe).sort(),
    ).toEqual(['a', 'b']);
  });

  test('no probe with drift_probe 0, in a replayed run, or without a baseline', () => {
    expect(planScoring({ baseline: baseline(), today, cases, probe: 0, fresh: true }).probe).toEqual({});
    expect(planScoring({ baseline: baseline(), today, cases, probe: 3, fresh: false }).probe).toEqual({});
    expect(planScoring({ baseline: null, today, cases, probe: 3, fresh: true })).toEqual({
      rejudge: {},
      probe: {},
    });
  });

  test('a changed judge re-judges every compared case with its stored outputs, and no probe', () => {
    const plan = planScoring({
      baseline: baseline(),
      today: { ...today, judge: 'openai:judge-2' },
      cases,
      probe: 3,
      fresh: true,
    });
    expect(plan).toEqual({
      rejudge: { a: [out('A1'), out('A2')], b: [out('B1', 0.8)] },
      probe: {},
      change: { changed: ['judge'], cases: ['a', 'b'] },
    });
  });

  test('changed embeddings or prompts re-judge every compared case too', () => {
    const embeddings = planScoring({
      baseline: baseline(),
      today: { ...today, embeddings: 'openai:embed-2' },
      cases,
      probe: 3,
      fresh: true,
    });
    expect(embeddings.change).toEqual({ changed: ['embeddings'], cases: ['a', 'b'] });
    const prompts = planScoring({
      baseline: baseline(),
      today: { ...today, prompts: 'p2' },
      cases,
      probe: 3,
      fresh: true,
    });
    expect(prompts.change).toEqual({ changed: ['prompts'], cases: ['a', 'b'] });
  });

  test('judge_samples alone is recorded but re-judges nothing', () => {
    const plan = planScoring({
      baseline: baseline(),
      today: { ...today, judge_samples: 3 },
      cases,
      probe: 3,
      fresh: true,
    });
    expect([plan.rejudge, plan.change]).toEqual([{}, undefined]);
  });

  test('a case whose rubric_hash differs is re-judged alone; the probe is off', () => {
    const plan = planScoring({
      baseline: baseline(),
      today,
      cases: [
        { id: 'a', rubric_hash: 'ha' },
        { id: 'b', rubric_hash: 'hb2' },
      ],
      probe: 3,
      fresh: true,
    });
    expect(plan).toEqual({
      rejudge: { b: [out('B1', 0.8)] },
      probe: {},
      change: { changed: ['criteria'], cases: ['b'] },
    });
  });

  test('a case to re-judge with no stored outputs refuses in one line naming the change and the fix', () => {
    const old = baseline({}, [
      { id: 'a', points: 90, rubric_hash: 'ha', outputs: [out('A1')] },
      { id: 'b', points: 80, rubric_hash: 'hb' },
      { id: 'c', points: 70, rubric_hash: 'hc', outputs: [{ output: '', score: 0.7 }] },
    ]);
    const plan = planScoring({
      baseline: old,
      today: { ...today, judge: 'openai:judge-2' },
      cases,
      probe: 3,
      fresh: true,
    });
    expect(plan.refusal).toBe(
      'the judge changed (openai:judge-1 -> openai:judge-2) since the baseline was made, and the baseline keeps no outputs of 2 cases (b, c) to judge again with it: re-make the baseline on the base branch with the current judge and criteria (run the qualification there, then `qualify promote` its scorecard), or revert the change',
    );
    const edited = planScoring({
      baseline: old,
      today,
      cases: [{ id: 'b', rubric_hash: 'x' }],
      probe: 3,
      fresh: true,
    });
    expect(edited.refusal).toMatch(
      /^the criteria, reference or contexts of a case changed since the baseline was made, and the baseline keeps no outputs of case \(b\)/,
    );
  });

  test('a baseline without a scoring block: names only, and the scorecard says what cannot be seen', () => {
    const old = baseline({ scoring: undefined });
    const same = planScoring({
      baseline: old,
      today: { ...today, prompts: 'p2' },
      cases: [{ id: 'a', rubric_hash: 'other' }],
      probe: 0,
      fresh: true,
    });
    expect(same).toEqual({
      rejudge: {},
      probe: {},
      change: { changed: [], cases: [], note: NO_SCORING_NOTE },
    });
    const judge = planScoring({
      baseline: old,
      today: { ...today, judge: 'openai:judge-2' },
      cases,
      probe: 0,
      fresh: true,
    });
    expect(judge.change).toEqual({ changed: ['judge'], cases: ['a', 'b'], note: NO_SCORING_NOTE });
    expect(Object.keys(judge.rejudge)).toEqual(['a', 'b']);
  });
});
