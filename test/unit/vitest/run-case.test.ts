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
      'agent_usage',
    ]);
    expect(result.rubric_hash).toBe(rubricHash(CASE));
    // An agent that called no model: no tokens, and no latency kept (nothing was measured on a provider).
    expect(result.agent_usage).toEqual({
      trials: 1,
      calls: 0,
      cached_calls: 0,
      models: {},
      latency_ms: [],
      ttft_ms: [],
    });
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

  test("agent_usage counts the agent's calls only: tokens by model, reasoning, latency, first token", async () => {
    const wire = await startWire();
    try {
      wire.fake.on(
        { api: 'openai.chat', model: 'judge-1' },
        { json: { criteria: [{ id: 'window', reason: 'r', score: 9 }] }, usage: { input: 900, output: 90 } },
      );
      wire.fake.on(
        { api: 'openai.chat', model: 'cand-1' },
        { text: 'No: 30 days.', usage: { input: 100, output: 40, reasoning: 25 } },
      );
      wire.fake.on(
        { api: 'openai.chat', model: 'helper-1' },
        { text: 'lookup', usage: { input: 10, output: 5 } },
      );
      const ctx = {
        root: process.cwd(),
        model: 'openai:cand-1',
        judge: 'openai:judge-1',
        judgeSamples: 1,
      } as RuntimeContext;
      const scored = {
        ...CASE,
        checks: [],
        criteria: [{ id: 'window', text: 'States 30 days', weight: 1 }],
        repeats: 2,
      };
      const agent: Agent = async (input, { client }) => {
        await client.chat({ model: 'openai:helper-1', messages: [{ role: 'user', content: 'look up' }] });
        const reply = await client.chat({
          messages: [{ role: 'user', content: String(input) }],
          stream: true,
        });
        return reply.choices[0]!.text;
      };
      const result = await runCase(
        { ctx, client: wire.client, agentFor: () => Promise.resolve(agent) },
        scored,
        new AbortController().signal,
      );
      expect(result.usage.calls).toBe(6); // two trials of two agent calls, and their two judge calls
      expect(result.agent_usage).toMatchObject({
        trials: 2,
        calls: 4,
        cached_calls: 0,
        models: {
          'openai:helper-1': { input_tokens: 20, output_tokens: 10, reasoning_tokens: 0 },
          'openai:cand-1': { input_tokens: 200, output_tokens: 80, reasoning_tokens: 50 },
        },
      });
      expect(result.agent_usage!.latency_ms).toHaveLength(2);
      expect(result.agent_usage!.ttft_ms).toHaveLength(2);
      expect(
        result.agent_usage!.ttft_ms.every((t, i) => t >= 0 && t <= result.agent_usage!.latency_ms[i]!),
      ).toBe(true);
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
