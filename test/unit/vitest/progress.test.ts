import { describe, expect, test } from 'vitest';
import { formatCost, formatThreshold } from '../../../src/scorecard/format.js';
import { ProgressLog, progressInterval, progressLine } from '../../../src/vitest/progress.js';

describe('progressInterval', () => {
  const terminal = { stdout: true, stderr: true };
  test.each([
    [{ CI: 'true' }, terminal, 5000],
    [{}, terminal, null],
    [{ CI: 'false' }, terminal, null],
    [{}, { stdout: false, stderr: true }, 5000],
    [{}, { stdout: true, stderr: false }, 5000],
    [{ CI: '1', QUALIFY_PROGRESS: '0' }, terminal, 0],
    [{ CI: '1', QUALIFY_PROGRESS: '2.5' }, terminal, 2500],
    [{ CI: '1', QUALIFY_PROGRESS: 'off' }, terminal, null],
    [{ QUALIFY_PROGRESS: '30' }, terminal, null],
  ])('%j on %j: %j ms', (env, tty, expected) => {
    expect(progressInterval(env, tty)).toBe(expected);
  });

  test('a value that is not seconds is one line saying what to write', () => {
    expect(() => progressInterval({ QUALIFY_PROGRESS: 'fast' }, { stdout: false, stderr: false })).toThrow(
      'QUALIFY_PROGRESS=fast is not a number of seconds; use e.g. QUALIFY_PROGRESS=5, 0 for a line per case, or off',
    );
    expect(() => progressInterval({ QUALIFY_PROGRESS: '-1' }, { stdout: false, stderr: false })).toThrow(
      'QUALIFY_PROGRESS=-1 is not a number of seconds',
    );
  });
});

describe('ProgressLog', () => {
  /** A log on a clock the test moves. */
  function log(intervalMs: number) {
    let now = 1000;
    const lines: string[] = [];
    const progress = new ProgressLog(
      intervalMs,
      () => now,
      (line) => lines.push(line),
    );
    return { progress, lines, advance: (ms: number) => (now += ms) };
  }

  test('the first case prints, then at most one line per interval, then one at the end', () => {
    const { progress, lines, advance } = log(5000);
    progress.collected(4);
    progress.collected(2); // a second case file
    advance(1200);
    progress.finished('passed', { cost_usd: 0.01 });
    advance(1000);
    progress.finished('failed', { cost_usd: 0.02 }); // 1 s after the last line: quiet
    advance(3999);
    progress.finished('error', { cost_usd: 0 }); // 4.999 s: quiet
    advance(1);
    progress.finished('passed', { cost_usd: 0.0005, unpriced: ['openai-compatible:m'] }); // 5 s: prints
    advance(10_000);
    progress.finished('passed', { cost_usd: 0.01 });
    progress.finished('passed', { cost_usd: 0.01 });
    progress.end();
    expect(lines).toEqual([
      ' qualify  1/6 cases: 1 passed, 0 failed, 0 errored; cost $0.0100; 1 s',
      ' qualify  4/6 cases: 2 passed, 1 failed, 1 errored; cost $0.0305 plus unpriced calls (openai-compatible:m has no price: add it under prices: in rubric.yaml); 6 s',
      ' qualify  5/6 cases: 3 passed, 1 failed, 1 errored; cost $0.0405 plus unpriced calls (openai-compatible:m has no price: add it under prices: in rubric.yaml); 16 s',
      ' qualify  6/6 cases: 4 passed, 1 failed, 1 errored; cost $0.0505 plus unpriced calls (openai-compatible:m has no price: add it under prices: in rubric.yaml); 16 s',
    ]);
  });

  test('the end adds nothing when the last line said it all, and nothing for a run with no case', () => {
    const every = log(0);
    every.progress.collected(2);
    every.progress.finished('passed', { cost_usd: 0 });
    every.progress.finished('passed', { cost_usd: 0 });
    every.progress.end();
    expect(every.lines).toEqual([
      ' qualify  1/2 cases: 1 passed, 0 failed, 0 errored; cost $0.0000; 0 s',
      ' qualify  2/2 cases: 2 passed, 0 failed, 0 errored; cost $0.0000; 0 s',
    ]);
    const none = log(5000);
    none.progress.end();
    expect(none.lines).toEqual([]);
  });

  test('never more done than collected, if a case reports before its file is counted', () => {
    expect(
      progressLine(
        { done: 3, total: 3, passed: 3, failed: 0, errors: 0, cost_usd: 1.5, unpriced: [] },
        61_600,
      ),
    ).toBe(' qualify  3/3 cases: 3 passed, 0 failed, 0 errored; cost $1.5000; 62 s');
    const { progress, lines } = log(5000);
    progress.finished('passed', { cost_usd: 0 });
    expect(lines).toEqual([' qualify  1/1 cases: 1 passed, 0 failed, 0 errored; cost $0.0000; 0 s']);
  });
});

describe('format', () => {
  test.each([
    [0.82, 'min_score', '82 points (min_score 0.82)'],
    [0.6, 'rubric_min_score', '60 points (rubric_min_score 0.6)'],
    [0.855, 'min_score', '85.5 points (min_score 0.855)'],
    [1, 'ragas.faithfulness', '100 points (ragas.faithfulness 1)'],
  ])('formatThreshold(%j, %j)', (score, key, expected) => {
    expect(formatThreshold(score, key)).toBe(expected);
  });

  test.each([
    [{ cost_usd: 0.00305 }, '$0.0031'],
    [{ cost_usd: 0, unpriced: [] }, '$0.0000'],
    [
      { cost_usd: 0, unpriced: ['openai-compatible:my-model'] },
      'unpriced (openai-compatible:my-model has no price: add it under prices: in rubric.yaml)',
    ],
    [
      { cost_usd: 0, unpriced: ['a:x', 'b:y', 'c:z'] },
      'unpriced (a:x, b:y and c:z have no price: add them under prices: in rubric.yaml)',
    ],
    [
      { cost_usd: 2, unpriced: ['a:x'] },
      '$2.0000 plus unpriced calls (a:x has no price: add it under prices: in rubric.yaml)',
    ],
  ])('formatCost(%j)', (usage, expected) => {
    expect(formatCost(usage)).toBe(expected);
  });
});
