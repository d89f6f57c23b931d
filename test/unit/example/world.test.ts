/**
 * The scripted world the example's cassettes are written from
 * (scripts/cassette-world): it covers the case set exactly, and the fake
 * provider's answers it produces read like the real graders' would.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { loadProject } from '../../../src/config/load.js';
import type { ProjectCase } from '../../../src/config/project.js';
import { fence } from '../../../src/scorers/fence.js';
import { weightedScores } from '../../../src/scorers/g-eval.js';
import { checkWorld } from '../../../scripts/cassette-world/check.js';
import { worldResponder } from '../../../scripts/cassette-world/responder.js';
import { judgeLogprobs, statementsOf } from '../../../scripts/cassette-world/wire.js';
import { loadWorld, type World } from '../../../scripts/cassette-world/world.js';
import type { RecordedRequest, Reply } from '../../fake-provider/index.js';

let world: World;
let cases: ProjectCase[];
beforeAll(async () => {
  world = await loadWorld();
  cases = (await loadProject({ cwd: process.cwd() })).cases;
});

describe('checkWorld', () => {
  test('the world answers every case of eval/ with both models, every criterion scored', () => {
    expect(checkWorld(world, cases)).toEqual([]);
  });

  test('names what is missing or does not fit', () => {
    const [first, ...rest] = world.drafter;
    const broken: World = {
      drafter: [
        { ...first!, 'opus-4-7': { ...first!['opus-4-7'], scores: { 'states-window': 9 } } },
        ...rest.filter((e) => e.case !== 'shipping-lost-parcel'),
        { ...rest[0]!, case: 'no-such-case' },
      ],
      verifier: world.verifier,
    };
    expect(checkWorld(broken, cases)).toEqual([
      'drafter.yaml scripts no-such-case, which is not a drafter case',
      "returns-window-late opus-4-7: scores states-window; the case's criteria are cites, says-no, states-window",
      'case shipping-lost-parcel (drafter) has no answers in the world',
    ]);
  });
});

describe('judgeLogprobs', () => {
  test('puts each score alone in a token that G-Eval weighs', () => {
    const content = JSON.stringify({
      criteria: [
        { id: 'a', reason: 'ok', score: 10 },
        { id: 'b', reason: 'meh', score: 9 },
      ],
    });
    const tokens = judgeLogprobs(content);
    expect(tokens.map((t) => t.token).join('')).toBe(content);
    const weighted = weightedScores(tokens).map((s) => [s.value, Number(s.weighted!.toFixed(4))]);
    expect(weighted).toEqual([
      [10, Number(((10 * 0.8 + 9 * 0.15) / 0.95).toFixed(4))],
      [9, 8.9],
    ]);
  });
});

test('statementsOf drops citations and splits sentences', () => {
  expect(statementsOf('Thirty days [returns-window]. Labels cost $6.95 [returns-shipping-cost].')).toEqual([
    'Thirty days.',
    'Labels cost $6.95.',
  ]);
});

describe('worldResponder', () => {
  const request = (model: string, body: Record<string, unknown>): RecordedRequest => ({
    id: 'req_1',
    api: 'anthropic.messages',
    path: '/v1/messages',
    query: {},
    model,
    body,
    headers: {},
    stream: true,
    at: 0,
  });

  test('answers the drafter as the model it is recording, ticket first where the world says so', async () => {
    const respond = worldResponder(world, cases, { model: 'opus-4-7' });
    const question = 'Tracking says my parcel was delivered yesterday but it is not here.';
    const first = (await respond(
      request('claude-opus-4-7', { messages: [{ role: 'user', content: question }] }),
    )) as Reply;
    expect(first).toEqual({
      text: '',
      toolCalls: [
        {
          name: 'create_ticket',
          arguments: {
            category: 'shipping',
            summary: 'Parcel shown as delivered yesterday has not arrived',
            priority: 'normal',
          },
        },
      ],
    });
    const second = (await respond(
      request('claude-opus-4-7', {
        messages: [
          { role: 'user', content: question },
          { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'create_ticket', input: {} }] },
          {
            role: 'user',
            content: [{ type: 'tool_result', tool_use_id: 't1', content: '{"ticket_id":"TCK-ABC123"}' }],
          },
        ],
      }),
    )) as { text: string };
    expect(second.text).toContain("I've opened ticket TCK-ABC123; our team will file a claim");
  });

  test('refuses to answer as another model than the one being recorded', () => {
    const respond = worldResponder(world, cases, { model: 'sonnet-4-6' });
    expect(() =>
      respond(
        request('claude-opus-4-7', { messages: [{ role: 'user', content: 'How do I start a return?' }] }),
      ),
    ).toThrow('the world is answering as claude-sonnet-4-6, not claude-opus-4-7');
  });

  test('scores a verifier case for the model being recorded', async () => {
    const respond = worldResponder(world, cases, { model: 'opus-4-7' });
    const draft = 'Shipping is free on every order [shipping-free-threshold].';
    const prompt = [
      `## What the user asked\n${fence('case_input', draft)}`,
      `## The assistant's answer\n${fence('agent_output', '{"verdict":"unsupported"}')}`,
      '## Criteria\n- id "flags": Marks it unsupported\n- id "reason": Names the threshold',
    ].join('\n\n');
    const reply = (await respond({
      ...request('gpt-4.1', {
        messages: [{ role: 'user', content: prompt }],
        response_format: { type: 'json_schema', json_schema: { name: 'criteria_scores' } },
      }),
      api: 'openai.chat',
    })) as { json: unknown; logprobs?: unknown };
    expect(reply.json).toEqual({
      criteria: [
        { id: 'flags', reason: 'Meets it: Marks it unsupported.', score: 10 },
        { id: 'reason', reason: 'Meets it: Names the threshold.', score: 10 },
      ],
    });
    expect(reply.logprobs).toBeUndefined();
  });
});
