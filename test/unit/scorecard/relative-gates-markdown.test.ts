import { describe, expect, test } from 'vitest';
import type { RelativeGate } from '../../../src/scorecard/relative-gate-types.js';
import { relativeGateLines, relativeGateTable } from '../../../src/scorecard/relative-gates-markdown.js';

const base = { subject: 'agent', budget: 0.2, on_exceed: 'fail', cases: 6 } as const;
const GATES: RelativeGate[] = [
  {
    ...base,
    name: 'cost_per_case',
    unit: 'usd',
    baseline: 0.002025,
    candidate: 0.002835,
    increase: 0.4,
    interval: [0.4, 0.4],
    status: 'fail',
    note: '+40.0 % (90 % interval +40.0 %..+40.0 %), over the +20.0 % budget',
  },
  {
    ...base,
    name: 'latency_p50',
    unit: 'ms',
    baseline: 812.4,
    candidate: 1040.2,
    increase: 0.2804,
    interval: [-0.05, 0.61],
    status: 'review',
    note: '+28.0 %: over budget, not confirmed (90 % interval −5.0 %..+61.0 %)',
  },
  {
    ...base,
    name: 'output_tokens',
    unit: 'tokens',
    baseline: 312.25,
    candidate: 300,
    increase: -0.0392,
    interval: [-0.1, 0.02],
    status: 'pass',
    note: '−3.9 % (90 % interval −10.0 %..+2.0 %), within the +20.0 % budget',
  },
  {
    ...base,
    name: 'reasoning_tokens',
    unit: 'tokens',
    baseline: null,
    candidate: null,
    increase: null,
    interval: null,
    status: 'not_applicable',
    cases: 0,
    note: 'not applicable: 0 compared cases with reasoning tokens recorded on both sides | x; 5 needed',
  },
];

describe('relative gates rendered', () => {
  test('the Markdown table beside the score gates: values, increase with interval, budget, result', () => {
    expect(relativeGateTable({ relative_gates: GATES })).toEqual([
      '| subject | relative gate | baseline | this run | increase (90 % interval) | budget | result |',
      '| --- | --- | ---: | ---: | --- | ---: | --- |',
      '| agent | cost_per_case | $0.00202 | $0.00283 | +40.0 % (+40.0 %..+40.0 %) | +20.0 % | **fail** over 6 cases |',
      '| agent | latency_p50 | 812 ms | 1040 ms | +28.0 % (−5.0 %..+61.0 %) | +20.0 % | review: over budget, not confirmed, over 6 cases |',
      '| agent | output_tokens | 312.3 | 300 | −3.9 % (−10.0 %..+2.0 %) | +20.0 % | pass over 6 cases |',
      '| agent | reasoning_tokens | – | – | – | +20.0 % | n/a (0 compared cases with reasoning tokens recorded on both sides \\| x; 5 needed) |',
      '',
    ]);
  });

  test('the terminal: counts, then each gate that failed or asks for review', () => {
    expect(relativeGateLines({ relative_gates: GATES })).toEqual([
      'relative gates: 1 fail, 1 review, 1 pass, 1 not applicable',
      'relative gate agent.cost_per_case fail: +40.0 % (90 % interval +40.0 %..+40.0 %), over the +20.0 % budget',
      'relative gate agent.latency_p50 review: +28.0 %: over budget, not confirmed (90 % interval −5.0 %..+61.0 %)',
    ]);
  });

  test('a scorecard without relative gates renders nothing', () => {
    expect([relativeGateTable({}), relativeGateLines({ relative_gates: [] })]).toEqual([[], []]);
  });
});
