import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { startWire } from '../scorers/wire.js';
import type { ProjectCase } from '../../../src/config/project.js';
import { CheckSchema } from '../../../src/config/schema/checks.js';
import type { ModelClient } from '../../../src/providers/types.js';
import type { Agent } from '../../../src/run/agent.js';
import type { RuntimeContext } from '../../../src/run/context.js';
import { rubricHash } from '../../../src/scorers/fingerprint.js';
import { runCase, type CaseRunner } from '../../../src/run/run-case.js';

/** A checks-only case: no criteria and no contexts, so scoring makes no model call. */
const CASE: ProjectCase = {
  id: 'refund-window',
  subject: 'agent',
  node: 'repair',
  tags: ['billing'],
  input: 'Can I return shoes after 40 days?',
  criteria: [],
  checks: [CheckSchema.parse({ not_contains: 'guarantee' }), CheckSchema.parse({ max_chars: 40 })],
  source: { file: 'eval/cases.yaml', line: 2, col: 5 },
  min_score: 0.8,
  repeats: 1,
};

/** The model client of a run whose scoring must not call a model. */
const noCalls: ModelClient = {
  chat: () => Promise.reject(new Error('no model call expected')),
  embed: () => Promise.reject(new Error('no model call expected')),
  usage: () => ({}) as ReturnType<ModelClient['usage']>,
  flush: () => Promise.resolve(),
};

function runner(agent: Agent): CaseRunner {
  const ctx = { root: process.cwd(), model: 'openai:cand-1', judge: 'openai:judge-1' } as RuntimeContext;
  return { ctx, client: noCalls, agentFor: () => Promise.resolve(agent) };
}

/** The CaseResult fields in the order the scorecard has always written them. */
const KEYS = [
  'id',
  'subject',
  'node',
  'tags',
  'min_score',
  'faithfulness',
  'answer_relevancy',
  'nan_metrics',
  'criteria',
  'checks',
  'trials',
  'usage',
  'score',
  'error',
  'latency_ms',
];

describe('runCase', () => {
  test('a scored case: every field, in the scorecard order', async () => {
    const result = await runCase(
      runner(async () => 'No, the window is 30 days.'),
      CASE,
      new AbortController().signal,
    );
    // A scored case adds the outputs it scored (kept for judging again), its gate decision, the hash of
    // what it was judged on, and its baseline judged again (none here: no plan).
    expect(Object.keys(result)).toEqual([
      ...KEYS,
      'outputs',
      'confirmation',
      'rubric_hash',
      'rejudged',
      'probe',
    ]);
    expect(result.rubric_hash).toBe(rubricHash(CASE));
    expect([result.rejudged, result.probe]).toEqual([undefined, undefined]);
    expect(result.outputs).toEqual([{ output: 'No, the window is 30 days.', score: 1 }]);
    expect(result).toMatchObject({
      id: 'refund-window',
      node: 'repair',
      tags: ['billing'],
      score: 1,
      error: null,
      checks: [
        { name: 'not_contains "guarantee"', pass: true },
        { name: 'max_chars 40', pass: true },
      ],
    });
  });

  test('an agent that throws: the same fields, no score, the error named', async () => {
    const result = await runCase(
      runner(async () => {
        throw new Error('agent broke\nsecond line');
      }),
      CASE,
      new AbortController().signal,
    );
    expect(Object.keys(result)).toEqual(KEYS);
    expect(result).toMatchObject({
      score: null,
      error: { kind: 'agent', code: 'E_AGENT_THREW', message: 'agent broke' },
    });
  });

  test("the run's judge_temperature reaches the judge's request on the wire", async () => {
    const wire = await startWire();
    try {
      wire.fake.on({ api: 'openai.chat' }, { json: { criteria: [{ id: 'window', reason: 'r', score: 9 }] } });
      const ctx = {
        root: process.cwd(),
        model: 'openai:cand-1',
        judge: 'openai:judge-1',
        judgeSamples: 1,
        judgeTemperature: 0.7,
      } as RuntimeContext;
      const scored = { ...CASE, checks: [], criteria: [{ id: 'window', text: 'States 30 days', weight: 1 }] };
      const result = await runCase(
        { ctx, client: wire.client, agentFor: () => Promise.resolve(async () => 'No: 30 days.') },
        scored,
        new AbortController().signal,
      );
      expect(result.score).toBeCloseTo(0.9, 12);
      expect(wire.fake.requests.map((r) => [r.body['model'], r.body['temperature']])).toEqual([
        ['judge-1', 0.7],
      ]);
    } finally {
      await wire.fake.close();
    }
  });

  test("an agent that throws keeps its own frames, this file's, without the runtime's", async () => {
    // prettier-ignore
    const result = await runCase( // CALLED HERE
      runner(async () => {
        throw new RangeError('out of range'); // THROWN HERE
      }),
      CASE,
      new AbortController().signal,
    );
    const lines = readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n');
    const at = (marker: string) => lines.findIndex((l) => l.includes(marker)) + 1;
    expect(result.error).toEqual({
      kind: 'agent',
      code: 'E_AGENT_THREW',
      message: 'out of range',
      stack: [
        `at test/unit/vitest/run-case.test.ts:${at('// THROWN HERE')}:15`,
        // The test is the caller of runCase here (in a run that is the runtime, whose frames go too);
        // Node 22 prints that awaiting frame as `at async ...`, Node 20 without the `async`.
        expect.stringMatching(
          new RegExp(`^at (async )?test/unit/vitest/run-case\\.test\\.ts:${at('// CALLED HERE')}:20$`),
        ),
      ],
    });
  });

  test('the agent: shorthand is "the agent" in a wrong-return message, not "the agent agent"', async () => {
    const result = await runCase(
      runner((async () => 42) as unknown as Agent),
      CASE,
      new AbortController().signal,
    );
    expect(result.error).toEqual({
      kind: 'agent',
      code: 'E_AGENT',
      message:
        'the agent returned 42: return a string or { output: string, context?: string[], toolCalls?: ToolCall[] }',
    });
  });
});
