/**
 * Bedrock through the whole client (limiter, retries, samples fan-out, usage)
 * and the real AWS SDK against the fake provider: the fault mix of
 * client-faults.test.ts, seeded, loses no call and costs one retry per fault;
 * `n` samples are fanned out, since Converse has no `n`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createModelClient } from '../../../src/providers/client.js';
import {
  faultsBeforeAnswers,
  startFakeProvider,
  type FakeProvider,
  type FaultPlan,
} from '../../fake-provider/index.js';

const SEED = 23;
const CALLS = 300;
const PLAN: FaultPlan = { rate429: 0.3, retryAfterS: 0, rate503: 0.1 };
const MODEL = 'bedrock:us.anthropic.claude-sonnet-4-6-v1:0';

let fake: FakeProvider;
let dir: string;
beforeAll(async () => {
  fake = await startFakeProvider({ seed: SEED });
  dir = await mkdtemp(join(tmpdir(), 'qualify-client-bedrock-'));
});
afterAll(async () => {
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

function bedrockClient() {
  const clock = { t: 0, sleeps: 0 };
  const client = createModelClient({
    cache: { mode: 'off', dir },
    env: {
      AWS_ACCESS_KEY_ID: 'AKIDTESTBEDROCK',
      AWS_SECRET_ACCESS_KEY: 'test-secret',
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_BEDROCK_RUNTIME: fake.bedrockEndpoint,
    },
    clock: () => clock.t,
    sleep: async (ms) => {
      clock.t += ms;
      clock.sleeps += 1;
    },
  });
  return { client, clock };
}

describe('bedrock through the client', () => {
  test(`${CALLS} calls (plain and streamed) under 30% ThrottlingException + 10% ServiceUnavailable, seed ${SEED}: none lost, one retry per fault`, async () => {
    fake.reset();
    fake.setFaults(PLAN);
    fake.on({ api: 'bedrock.converse' }, { text: 'bedrock answer' });
    const { client, clock } = bedrockClient();
    const lost: string[] = [];
    let answered = 0;
    for (let i = 0; i < CALLS; i++) {
      try {
        const reply = await client.chat({
          model: MODEL,
          messages: [{ role: 'user', content: `Question ${i}` }],
          stream: i % 2 === 1,
        });
        if (reply.choices[0]?.text === 'bedrock answer') answered += 1;
      } catch (error) {
        lost.push(`#${i}: ${String(error)}`);
      }
    }
    const expected = faultsBeforeAnswers(PLAN, SEED, CALLS);
    const injected = Object.values(expected).reduce((a, b) => a + b, 0);
    expect(lost).toEqual([]);
    expect(answered).toBe(CALLS);
    expect(fake.stats.faults).toEqual(expected);
    expect(injected).toBeGreaterThan(CALLS / 4);
    // maxAttempts: 1 keeps the SDK's own retries off: every request the fake saw is one of ours.
    expect(fake.stats.requests).toBe(CALLS + injected);
    expect(client.usage().retries).toBe(injected);
    expect(clock.sleeps).toBe(injected);
  });

  test('n samples are n Converse calls, their usage summed', async () => {
    fake.reset();
    fake.setFaults(undefined);
    fake.on({ api: 'bedrock.converse' }, { text: 'sample', usage: { input: 10, output: 2 } });
    const { client } = bedrockClient();
    const reply = await client.chat({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }], n: 3 });
    expect(reply.choices.map((choice) => choice.text)).toEqual(['sample', 'sample', 'sample']);
    expect(fake.stats.byApi['bedrock.converse']).toBe(3);
    expect(reply.usage).toMatchObject({ inputTokens: 30, outputTokens: 6 });
  });

  test('Titan embeddings through the client: one vector per input, priced', async () => {
    fake.reset();
    fake.on({ api: 'bedrock.embeddings' }, { embeddings: (text) => [text.length, 0, 1] });
    const { client } = bedrockClient();
    const reply = await client.embed({
      model: 'bedrock:amazon.titan-embed-text-v2:0',
      input: ['one', 'three'],
    });
    expect(reply.vectors).toEqual([
      [3, 0, 1],
      [5, 0, 1],
    ]);
    expect(reply.usage.inputTokens).toBe(3); // the fake counts ceil(characters / 4): 1 + 2
    expect(reply.usage.costUsd).toBeCloseTo((3 * 0.02) / 1_000_000, 12);
  });
});
