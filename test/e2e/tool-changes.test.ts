/**
 * Tool-use changes end to end (docs/scoring.md "Tool-use changes"): an agent that calls tools through
 * the official OpenAI SDK (pointed at the fake provider); the candidate model skips the lookup the
 * baseline made on one case while its score holds. The scorecard lists the change on that case, the
 * verdict is review (exit 0); arguments padded and reordered are no change; `on_change: ignore` passes;
 * a sharded run merges into the same changes.
 */
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startFakeProvider, type FakeProvider } from '../fake-provider/index.js';
import { evalResponder } from '../fake-provider/eval-responder.js';
import type { RecordedRequest, Reply } from '../fake-provider/types.js';
import { evalProject, providerEnv, type EvalProject } from './harness.js';

const RUBRIC = `model_primary: openai:model-a
judge: openai:judge-1
embeddings: openai:embed-1
agent: agents/tools.ts
judge_samples: 1
repeats: 2
thresholds: { rubric_min_score: 0.6, ragas: 0.5, max_per_case_regression: 3 }
providers: { openai: { max_retries: 1, timeout_s: 5 } }
cases: ["eval/cases/*.yaml"]
`;

const AGENT = `const tools = [
  { name: 'lookup_order', parameters: { type: 'object', properties: { order_id: { type: 'string' } } } },
  { name: 'refund', parameters: { type: 'object', properties: { order_id: { type: 'string' }, amount: { type: 'number' } } } },
];
export default async function agent(input: string, ctx: { client: any }) {
  const reply = await ctx.client.chat({ messages: [{ role: 'user', content: input }], tools });
  return { output: reply.choices[0].text, toolCalls: reply.choices[0].toolCalls };
}
`;

/** Four case files (two shards of two); refund-1 pins its trajectory with a tool_trajectory check. */
function files(rubric: string): Record<string, string> {
  const checks =
    '    checks:\n      - tool_trajectory: { calls: [lookup_order, { name: refund, arguments: { order_id: A1 } }] }\n';
  return {
    'rubric.yaml': rubric,
    'agents/tools.ts': AGENT,
    'eval/cases/a.yaml': `cases:\n  - id: refund-1\n    input: "Refund order A1"\n    criteria: [{ id: k, text: "K" }]\n${checks}`,
    'eval/cases/b.yaml':
      'cases:\n  - id: refund-2\n    input: "Refund order A2"\n    criteria: [{ id: k, text: "K" }]\n',
    'eval/cases/c.yaml':
      'cases:\n  - id: faq\n    input: "What is the refund window?"\n    criteria: [{ id: k, text: "K" }]\n',
    'eval/cases/d.yaml':
      'cases:\n  - id: status\n    input: "Where is order A4"\n    criteria: [{ id: k, text: "K" }]\n',
  };
}

/** The calls each model makes per input: model-b skips the lookup on A2 and pads/reorders arguments elsewhere. */
function toolCalls(model: string, input: string): { name: string; arguments: unknown }[] {
  const order = /order (A\d)/.exec(input)?.[1];
  if (!order) return [{ name: 'search', arguments: { q: 'refund window' } }];
  const b = model === 'model-b';
  const lookup = {
    name: 'lookup_order',
    arguments: b ? ` { "order_id": " ${order} " }` : { order_id: order },
  };
  if (!input.startsWith('Refund')) return [lookup];
  const refund = {
    name: 'refund',
    arguments: b ? { amount: 30, order_id: order } : { order_id: order, amount: 30 },
  };
  return b && order === 'A2' ? [refund] : [lookup, refund];
}

let fake: FakeProvider;
beforeAll(async () => {
  const respond = evalResponder({ answers: {} });
  fake = await startFakeProvider({
    fallback: async (req: RecordedRequest): Promise<Reply> => {
      const reply = await respond(req);
      const body = req.body as { tools?: unknown[]; messages?: { content?: unknown }[] };
      if (!body.tools?.length || body.messages?.length !== 1) return reply;
      return { ...reply, toolCalls: toolCalls(req.model, String(body.messages[0]?.content ?? '')) };
    },
  });
});
afterAll(async () => {
  await fake.close();
});

async function withBaseline(rubric: string): Promise<EvalProject> {
  const project = await evalProject(files(rubric));
  const first = await project.vitest(['run', '--project', 'eval'], providerEnv(fake));
  expect(first.code, first.stdout + first.stderr).toBe(0);
  const card = await project.scorecard();
  expect(card.verdict).toBe('pass');
  expect(card.cases.find((c) => c.id === 'refund-2')?.outputs?.[0]?.tool_calls?.map((c) => c.name)).toEqual([
    'lookup_order',
    'refund',
  ]);
  await project.write('eval/baseline.json', JSON.stringify(card));
  return project;
}

const candidate = { QUALIFY_MODEL: 'openai:model-b' };

describe('tool-use changes', { timeout: 300_000 }, () => {
  test('the candidate skips a lookup on one case: listed on that case, the verdict is review', async () => {
    await using project = await withBaseline(RUBRIC);
    const run = await project.vitest(['run', '--project', 'eval'], { ...providerEnv(fake), ...candidate });
    expect(run.code, run.stderr).toBe(0);
    const card = await project.scorecard();
    expect(card.cases.map((c) => [c.id, c.status, c.delta])).toEqual([
      ['refund-1', 'pass', 0],
      ['refund-2', 'pass', 0],
      ['faq', 'pass', 0],
      ['status', 'pass', 0],
    ]);
    expect(card.tool_changes).toEqual({ on_change: 'review', compared: 4, changed: 1, cases: ['refund-2'] });
    expect(card.cases.find((c) => c.id === 'refund-2')?.tool_changes).toEqual({
      changes: [{ kind: 'missing', name: 'lookup_order', count: 1 }],
      baseline: ['lookup_order', 'refund'],
      candidate: ['refund'],
      trials: { differ: 2, n: 2 },
      baseline_trials: { differ: 0, n: 2 },
    });
    expect(card.cases.filter((c) => c.tool_changes).map((c) => c.id)).toEqual(['refund-2']);
    expect(card.cases[0]?.checks).toEqual([
      { name: 'tool_trajectory exact lookup_order, refund', pass: true, detail: '2 calls as expected' },
    ]);
    expect([card.verdict, card.subjects['agent']?.verdict]).toEqual(['review', 'review']);
    expect(run.stderr).toContain('tool calls changed on 1 case (review)');
    expect(run.stderr).toContain('tools refund-2: missing call lookup_order');
    const markdown = await project.read('eval/out/scorecard.md');
    expect(markdown).toContain('### Tool calls changed');
    expect(markdown).toContain('| `refund-2` | pass | 0.0 | missing call `lookup_order` | 2/2 |');

    await project.write('rubric.yaml', `${RUBRIC}tool_changes: { on_change: ignore }\n`);
    const ignored = await project.vitest(['run', '--project', 'eval'], {
      ...providerEnv(fake),
      ...candidate,
    });
    expect(ignored.code, ignored.stderr).toBe(0);
    const quiet = await project.scorecard();
    expect([quiet.verdict, quiet.tool_changes?.changed]).toEqual(['pass', 1]);
    expect(await project.read('eval/out/scorecard.md')).not.toContain('Tool calls changed');
  });

  test('a 2-way sharded run merges into the same tool changes', async () => {
    await using project = await withBaseline(RUBRIC);
    await rm(`${project.dir}/eval/out`, { recursive: true, force: true });
    for (let i = 1; i <= 2; i++) {
      const shard = await project.vitest(['run', '--project', 'eval', `--shard=${i}/2`, '--reporter=blob'], {
        ...providerEnv(fake),
        ...candidate,
      });
      expect(shard.code, shard.stderr).toBe(0);
    }
    const merged = await project.vitest(['run', '--project', 'eval', '--merge-reports'], {
      ...providerEnv(fake),
      ...candidate,
    });
    expect(merged.code, merged.stderr).toBe(0);
    const card = await project.scorecard();
    expect(card.tool_changes).toEqual({ on_change: 'review', compared: 4, changed: 1, cases: ['refund-2'] });
    expect(card.cases.find((c) => c.id === 'refund-2')?.tool_changes?.changes).toEqual([
      { kind: 'missing', name: 'lookup_order', count: 1 },
    ]);
    expect(card.verdict).toBe('review');
  });
});
