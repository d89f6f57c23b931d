import { describe, expect, test } from 'vitest';
import { CheckSchema } from '../../../src/config/schema/checks.js';
import { runChecks } from '../../../src/scorers/checks.js';
import type { AgentOutput, Check } from '../../../src/scorers/types.js';

const call = (name: string, args: Record<string, unknown> = {}, raw = JSON.stringify(args)) => ({
  id: `c-${name}`,
  name,
  arguments: args,
  rawArguments: raw,
});
const agent = (...toolCalls: ReturnType<typeof call>[]): AgentOutput => ({ output: '', toolCalls });

async function run(entry: unknown, out: AgentOutput): Promise<{ pass: boolean; detail: string }> {
  const check = CheckSchema.parse(entry) as Check;
  const [result] = await runChecks([check], out, { id: 'refund' });
  return { pass: result!.pass, detail: result!.detail };
}

const lookup = call('lookup_order', { order_id: 'A1' });
const refund = call('refund', { order_id: 'A1', amount: 30 });
const search = call('search', { q: 'policy' });

describe('tool_trajectory parsing', () => {
  test('bare names become { name }, mode defaults to exact, the name lists the calls', () => {
    expect(
      CheckSchema.parse({
        tool_trajectory: { calls: ['lookup_order', { name: 'refund', arguments: { order_id: 'A1' } }] },
      }),
    ).toEqual({
      kind: 'tool_trajectory',
      value: {
        calls: [{ name: 'lookup_order' }, { name: 'refund', arguments: { order_id: 'A1' } }],
        mode: 'exact',
      },
      name: 'tool_trajectory exact lookup_order, refund',
    });
  });
});

describe('tool_trajectory exact', () => {
  const pinned = {
    tool_trajectory: { calls: ['lookup_order', { name: 'refund', arguments: { order_id: 'A1' } }] },
  };
  test.each([
    [agent(lookup, refund), true, '2 calls as expected'],
    [agent(lookup), false, 'call 2: expected "refund", no more calls; calls made: lookup_order'],
    [
      agent(refund, lookup),
      false,
      'call 1: expected "lookup_order", got "refund"; calls made: refund, lookup_order',
    ],
    [
      agent(lookup, refund, search),
      false,
      'call 3: extra call "search" after the 2 expected; calls made: lookup_order, refund, search',
    ],
    [
      agent(lookup, call('refund', { order_id: 'B2' })),
      false,
      'call 2: "refund" arguments at .order_id expected "A1", got "B2"; calls made: lookup_order, refund',
    ],
    [agent(), false, 'call 1: expected "lookup_order", no more calls; no calls'],
  ])('%#', async (out, pass, detail) => {
    expect(await run(pinned, out)).toEqual({ pass, detail });
  });

  test('arguments match after normalisation: strings trimmed, key order ignored', async () => {
    const padded = call('refund', {}, '{ "amount": 30, "order_id": "  A1 " }');
    expect(await run(pinned, agent(lookup, padded))).toEqual({ pass: true, detail: '2 calls as expected' });
  });

  test('an empty list pins "no tool calls"', async () => {
    expect(await run({ tool_trajectory: { calls: [] } }, agent())).toEqual({
      pass: true,
      detail: '0 calls as expected',
    });
    expect(await run({ tool_trajectory: { calls: [] } }, agent(search))).toEqual({
      pass: false,
      detail: 'call 1: extra call "search" after the 0 expected; calls made: search',
    });
  });
});

describe('tool_trajectory in_order and subset', () => {
  const inOrder = { tool_trajectory: { calls: ['lookup_order', 'refund'], mode: 'in_order' } };
  const subset = {
    tool_trajectory: {
      calls: ['refund', { name: 'lookup_order', arguments: { order_id: 'A1' } }],
      mode: 'subset',
    },
  };
  test.each([
    [inOrder, agent(lookup, search, refund), true, '2 calls in order'],
    [
      inOrder,
      agent(refund, lookup),
      false,
      'expected call 2 "refund" not made after call 2; calls made: refund, lookup_order',
    ],
    [inOrder, agent(search), false, 'expected call 1 "lookup_order" not made; calls made: search'],
    [subset, agent(refund, search, lookup), true, '2 expected calls made'],
    [
      subset,
      agent(refund, call('lookup_order', { order_id: 'Z9' })),
      false,
      'expected call 2 "lookup_order" not made: "lookup_order" arguments at .order_id expected "A1", got "Z9"; calls made: refund, lookup_order',
    ],
    [
      { tool_trajectory: { calls: ['search', 'search'], mode: 'subset' } },
      agent(search),
      false,
      'expected call 2 "search" not made; calls made: search',
    ],
  ])('%#', async (entry, out, pass, detail) => {
    expect(await run(entry, out)).toEqual({ pass, detail });
  });
});
