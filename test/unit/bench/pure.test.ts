import { describe, expect, test } from 'vitest';
import { callsPerCase, caseId, caseInput, workloadFiles } from '../../../bench/fixture.js';
import { occupancy } from '../../../bench/occupancy.js';
import { FULL_PLAN, SMOKE_PLAN, parseBenchArgs } from '../../../bench/plan.js';
import { droppedCases } from '../../../bench/sections/confirm.js';
import { parseStat } from '../../../bench/proc-tree.js';
import { bucketOf, summarizeProfile } from '../../../bench/profile.js';
import { formatValue, renderResults, verdictOf, type RunInfo } from '../../../bench/report.js';
import { floorFiles } from '../../../bench/sections/floor.js';
import { idealMs } from '../../../bench/sections/latency.js';
import { perCase } from '../../../bench/sections/tokens.js';
import { linearFit, summarize } from '../../../bench/stats.js';
import { purposeOf, type Exchange } from '../../../bench/world.js';

describe('stats', () => {
  test('median of an odd and an even count, with min and max', () => {
    expect(summarize([5, 1, 3])).toEqual({ median: 3, min: 1, max: 5, runs: 3 });
    expect(summarize([3, 1, 2, 10])).toEqual({ median: 2.5, min: 1, max: 10, runs: 4 });
  });

  test('no values: NaN, zero runs', () => {
    expect(summarize([])).toEqual({ median: NaN, min: NaN, max: NaN, runs: 0 });
  });

  test('a linear fit gives the per-unit and the fixed cost', () => {
    expect(linearFit([100, 1000, 10000], [1200, 3000, 21000])).toEqual({ slope: 2, intercept: 1000 });
  });
});

describe('occupancy', () => {
  test('mean and peak in flight, time at the limit, and a timeline', () => {
    const use = occupancy(
      [
        { start: 0, end: 10 },
        { start: 0, end: 5 },
      ],
      0,
      10,
      2,
      5,
    );
    expect(use).toEqual({ meanInFlight: 1.5, peakInFlight: 2, atLimit: 0.5, timeline: [2, 1] });
  });

  test('a slot handed over at the same instant is not two in flight', () => {
    const use = occupancy(
      [
        { start: 0, end: 4 },
        { start: 4, end: 8 },
      ],
      0,
      8,
      1,
      4,
    );
    expect(use).toEqual({ meanInFlight: 1, peakInFlight: 1, atLimit: 1, timeline: [1, 1] });
  });

  test('intervals are clipped to the window', () => {
    expect(occupancy([{ start: -10, end: 20 }], 0, 10, 4, 10)).toEqual({
      meanInFlight: 1,
      peakInFlight: 1,
      atLimit: 0,
      timeline: [1],
    });
  });
});

describe('fixtures', () => {
  test('full scoring is 6 calls a case; checks only is 1', () => {
    expect(callsPerCase({ criteria: 3, context: true })).toBe(6);
    expect(callsPerCase({ criteria: 0, context: false })).toBe(1);
    expect(callsPerCase({ criteria: 1, context: false })).toBe(2);
  });

  test('cases are spread over part files, every model on the openai provider', () => {
    const files = workloadFiles({
      cases: 5,
      perFile: 2,
      criteria: 1,
      context: false,
      checks: true,
      maxInFlight: 16,
    });
    expect(Object.keys(files)).toEqual([
      'rubric.yaml',
      'eval/cases/part-0001.cases.yaml',
      'eval/cases/part-0002.cases.yaml',
      'eval/cases/part-0003.cases.yaml',
    ]);
    expect(files['rubric.yaml']).toContain('providers: { openai: { max_in_flight: 16 } }\n');
    expect(files['rubric.yaml']).toContain('judge: openai:judge-1\n');
    expect(files['eval/cases/part-0003.cases.yaml']).toBe(
      'cases:\n' +
        `  - id: ${caseId(5)}\n` +
        `    input: ${JSON.stringify(caseInput(5))}\n` +
        '    criteria:\n' +
        '      - { id: k1, text: "States the 30-day return window" }\n' +
        '    checks:\n' +
        '      - not_contains: "guarantee"\n' +
        '      - max_chars: 1200\n',
    );
  });

  test('the plain-Vitest floor: trivial concurrent tests in files of the same size', () => {
    const files = floorFiles(1200, 500);
    expect(Object.keys(files)).toEqual([
      'floor/part-0001.test.ts',
      'floor/part-0002.test.ts',
      'floor/part-0003.test.ts',
    ]);
    expect(files['floor/part-0003.test.ts']).toContain('for (let i = 0; i < 200; i++) {\n');
  });

  test('the ideal wall time: the critical path, or all calls through the limit', () => {
    expect(idealMs(480, 200, 16)).toBe(6000);
    expect(idealMs(6, 200, 16)).toBe(600);
  });
});

describe('/proc parsing', () => {
  test('fields are counted from the last parenthesis', () => {
    const line = '42 (node (worker) x) S 7 42 42 0 -1 0 0 0 0 0 150 50 10 5 20 0 11 0 1 1 2560';
    expect(parseStat(line)).toEqual({
      pid: 42,
      ppid: 7,
      ownCpuMs: 2000,
      reapedCpuMs: 150,
      rssBytes: 2560 * 4096,
    });
  });
});

describe('wire purposes and tokens', () => {
  test('a call is classified by its structured-output schema', () => {
    const chat = (name?: string) => ({
      api: 'openai.chat' as const,
      body: name ? { response_format: { type: 'json_schema', json_schema: { name } } } : {},
    });
    expect(purposeOf(chat('criteria_scores'))).toBe('judge');
    expect(purposeOf(chat('statements'))).toBe('faithfulness');
    expect(purposeOf(chat('verdicts'))).toBe('faithfulness');
    expect(purposeOf(chat('generated_question'))).toBe('answer_relevancy');
    expect(purposeOf(chat())).toBe('agent');
    expect(purposeOf({ api: 'openai.embeddings', body: {} })).toBe('embeddings');
  });

  test('per-case totals of one purpose', () => {
    const e = (purpose: Exchange['purpose'], inputTokens: number): Exchange => ({
      purpose,
      start: 0,
      end: 1,
      inputTokens,
      outputTokens: 10,
      requestBytes: 2048,
      text: '',
    });
    const log = [e('judge', 100), e('judge', 300), e('agent', 7)];
    expect(perCase(log, 2, (x) => x.purpose === 'judge')).toEqual({
      calls: 1,
      inputTokens: 200,
      outputTokens: 10,
      requestKb: 2,
    });
  });
});

describe('profile summary', () => {
  test('buckets by package, source folder, or V8 category', () => {
    expect(bucketOf('file:///r/node_modules/openai/core.mjs')).toBe('openai');
    expect(bucketOf('file:///r/node_modules/@vitest/runner/dist/index.js')).toBe('@vitest/runner');
    expect(bucketOf('file:///r/src/providers/client.ts')).toBe('src/providers');
    expect(bucketOf('node:internal/deps/undici/undici')).toBe('node:internal');
    expect(bucketOf('', '(garbage collector)')).toBe('(garbage collector)');
  });

  test('self time per function and bucket, idle left out', () => {
    const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 0 });
    const summary = summarizeProfile({
      nodes: [
        { id: 1, callFrame: frame('(idle)', '') },
        { id: 2, callFrame: frame('chat', 'file:///r/src/providers/client.ts') },
        { id: 3, callFrame: frame('parse', 'file:///r/node_modules/zod/index.js') },
      ],
      samples: [1, 2, 2, 3],
      timeDeltas: [5000, 1000, 2000, 1000],
    });
    expect(summary.totalMs).toBe(4);
    expect(summary.buckets).toEqual([
      { name: 'src/providers', ms: 3, share: 0.75 },
      { name: 'zod', ms: 1, share: 0.25 },
    ]);
    expect(summary.functions[0]).toEqual({ name: 'chat providers/client.ts:1', ms: 3, share: 0.75 });
  });
});

describe('report', () => {
  test('a target met, or missed by how much', () => {
    expect(verdictOf(1.05, { op: '<=', value: 1.1 })).toBe('met');
    expect(verdictOf(1.2, { op: '<=', value: 1.1 })).toBe('missed by 9.1%');
    expect(verdictOf(30, { op: '<=', value: 15 })).toBe('missed by 100%');
    expect(verdictOf(6, { op: '=', value: 6 })).toBe('met');
    expect(verdictOf(5, { op: '=', value: 6 })).toBe('missed');
    expect(verdictOf(NaN, { op: '<=', value: 1 })).toBe('not measured');
    expect(verdictOf(1, undefined)).toBe('');
  });

  test('values with their units', () => {
    expect(formatValue(1.2345, 's')).toBe('1.23 s');
    expect(formatValue(1.2345, 'x')).toBe('1.23x');
    expect(formatValue(96.4, '%', 0)).toBe('96%');
    expect(formatValue(6, '', 0)).toBe('6');
    expect(formatValue(NaN, 'ms')).toBe('n/a');
  });

  test('a section renders as a figure table with median, min, max and the target', () => {
    const info: RunInfo = {
      date: '2026-11-27T00:00:00Z',
      mode: 'full',
      cpu: 'Test CPU',
      cores: 2,
      memoryGb: 8,
      kernel: 'Linux 6',
      node: 'v20.0.0',
      vitest: '4.1.12',
      commit: 'abc1234',
      plugin: 'the package',
      load: { before: 1, after: 2 },
      calibrationMs: 150,
      totalMinutes: 3,
    };
    const markdown = renderResults({
      info,
      sections: [
        {
          title: '9. Example',
          setup: 'Setup.',
          figures: [
            {
              name: 'ratio',
              unit: 'x',
              values: [1.2, 1.0, 1.1],
              target: { op: '<=', value: 1.1 },
              promptfoo: '1.29x',
            },
          ],
          notes: ['A note.'],
        },
      ],
    });
    expect(markdown).toContain(
      '## 9. Example\n\nSetup.\n\n' +
        '| Figure | Median | Min | Max | Runs | Target | promptfoo 0.123 | Target met? |\n' +
        '| --- | --- | --- | --- | --- | --- | --- | --- |\n' +
        '| ratio | 1.10x | 1.00x | 1.20x | 3 | <= 1.10x | 1.29x | met |\n\nA note.\n',
    );
    expect(markdown).toContain('| CPU | Test CPU, 2 cores |');
  });
});

describe('command line', () => {
  test('the full plan by default; --smoke, --runs, --only, --out, --src', () => {
    expect(parseBenchArgs([], 'out.md')).toEqual({
      plan: FULL_PLAN,
      only: [
        'latency',
        'overhead',
        'scale',
        'warm',
        'shard',
        'tokens',
        'layers',
        'floor',
        'profile',
        'noise',
        'confirm',
      ],
      out: 'out.md',
    });
    const args = parseBenchArgs(
      ['--smoke', '--runs', '2', '--only', 'scale,shard', '--out', 'r.md', '--src', '/x/src'],
      'out.md',
    );
    expect(args).toEqual({
      plan: { ...SMOKE_PLAN, runs: 2, source: { kind: 'src', dir: '/x/src' } },
      only: ['scale', 'shard'],
      out: 'r.md',
    });
    // --sizes sets the scale section's case counts; --runs caps the long figures' own counts.
    const sized = parseBenchArgs(['--sizes', '1000,10000', '--runs', '1'], 'o').plan;
    expect(sized.scale).toEqual({ ...FULL_PLAN.scale, sizes: [1000, 10000], largestRuns: 1 });
    expect(sized.shard.runs).toBe(1);
    expect(sized.confirm.runs).toBe(1);
  });

  test('the full plan: 1,000 to 100,000 cases, the largest fewer times; 8 shards', () => {
    expect(FULL_PLAN.scale.sizes).toEqual([1_000, 10_000, 100_000]);
    expect(FULL_PLAN.scale.largestRuns).toBeLessThan(FULL_PLAN.runs);
    expect(FULL_PLAN.shard.shards).toBe(8);
  });

  test('bad options say what to use', () => {
    expect(() => parseBenchArgs(['--only', 'speed'], 'o')).toThrow(
      '--only: unknown section speed; use latency, overhead, scale, warm, shard, tokens, layers, floor, profile, noise, confirm',
    );
    expect(() => parseBenchArgs(['--sizes', '1000,ten'], 'o')).toThrow(
      '--sizes takes whole numbers >= 1 separated by commas, got 1000,ten',
    );
    expect(() => parseBenchArgs(['--runs', '0'], 'o')).toThrow('--runs must be a whole number >= 1, got 0');
    expect(() => parseBenchArgs(['--fast'], 'o')).toThrow('unknown option --fast');
  });
});

describe('the confirmation section', () => {
  test('the worse cases are spread evenly, one per stretch of the case set', () => {
    expect(droppedCases(10_000, 100)).toHaveLength(100);
    expect(droppedCases(10_000, 100).slice(0, 3)).toEqual([1, 101, 201]);
    expect(droppedCases(20, 1)).toEqual([1]);
    expect(new Set(droppedCases(7, 3)).size).toBe(3);
  });
});
