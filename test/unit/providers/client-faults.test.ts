/**
 * The retry budget at the shipped defaults, through the official OpenAI and
 * Anthropic SDKs against the fake provider: the fault mix of issue 14 (30% 429
 * with `retry-after: 0`, 10% 503) loses no call. The budget runs on a virtual
 * clock that the client's sleep moves on (the calls run one after another, so
 * they share it), so 2,000 calls take seconds, not the minutes of real backoff.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createModelClient } from '../../../src/providers/client.js';
import { ProviderServerError } from '../../../src/providers/errors.js';
import {
  faultsBeforeAnswers,
  startFakeProvider,
  type FakeProvider,
  type FaultPlan,
} from '../../fake-provider/index.js';

const SEED = 14;
const CALLS_PER_SDK = 1000;
const PLAN: FaultPlan = { rate429: 0.3, retryAfterS: 0, rate503: 0.1 };

let fake: FakeProvider;
let dir: string;
beforeAll(async () => {
  fake = await startFakeProvider({ seed: SEED });
  dir = await mkdtemp(join(tmpdir(), 'qualify-client-faults-'));
});
afterAll(async () => {
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

/** A client with no provider settings (the defaults) whose retry budget runs on a virtual clock. */
function defaultClient() {
  const clock = { t: 0, sleeps: 0 };
  const client = createModelClient({
    cache: { mode: 'off', dir },
    env: {
      OPENAI_API_KEY: 'sk-test-openai',
      OPENAI_BASE_URL: fake.openaiBaseURL,
      ANTHROPIC_API_KEY: 'sk-test-anthropic',
      ANTHROPIC_BASE_URL: fake.anthropicBaseURL,
    },
    clock: () => clock.t,
    sleep: async (ms) => {
      clock.t += ms;
      clock.sleeps += 1;
    },
  });
  return { client, clock };
}

describe('the retry budget at the default settings, through both SDKs', () => {
  test(`${2 * CALLS_PER_SDK} calls under 30% 429 (retry-after 0) + 10% 503, seed ${SEED}: none lost, one retry per fault`, async () => {
    fake.reset();
    fake.setFaults(PLAN);
    fake.on({ api: 'openai.chat' }, { text: 'openai answer' });
    fake.on({ api: 'anthropic.messages' }, { text: 'anthropic answer' });
    const { client, clock } = defaultClient();
    const retries: number[] = [];
    const lost: string[] = [];
    for (let i = 0; i < CALLS_PER_SDK; i++) {
      for (const model of ['openai:gpt-5-mini', 'anthropic:claude-sonnet-4-6']) {
        try {
          const reply = await client.chat({ model, messages: [{ role: 'user', content: `Question ${i}` }] });
          retries.push(reply.usage.retries);
        } catch (error) {
          lost.push(`${model} #${i}: ${String(error)}`);
        }
      }
    }
    const expected = faultsBeforeAnswers(PLAN, SEED, 2 * CALLS_PER_SDK);
    const injected = Object.values(expected).reduce((a, b) => a + b, 0);
    console.log(
      `client-faults: ${2 * CALLS_PER_SDK} calls, seed ${SEED}: faults ${JSON.stringify(fake.stats.faults)}, ` +
        `most retries of one call ${Math.max(...retries)}, calls with more than 4 ${retries.filter((n) => n > 4).length}, ${(clock.t / 1000).toFixed(1)} s of backoff in all`,
    );

    expect(lost).toEqual([]);
    expect(fake.stats.faults).toEqual(expected);
    expect(expected).toEqual({ '429': 962, '503': 320 });
    // The SDKs' own retries are off: every request the fake saw is one of ours, each fault one retry.
    expect(fake.stats.requests).toBe(2 * CALLS_PER_SDK + injected);
    expect(client.usage().retries).toBe(injected);
    expect(retries.reduce((a, b) => a + b, 0)).toBe(injected);
    expect(clock.sleeps).toBe(injected);
    // The calls run one after another, so each takes its draws in turn: exact. Four retries, the old
    // fixed count, would have lost the 16 calls that needed more.
    expect(Math.max(...retries)).toBe(8);
    expect(retries.filter((n) => n > 4).length).toBe(16);
  });

  test('a provider that never recovers: the error says how many attempts over how many seconds', async () => {
    fake.reset();
    fake.setFaults(undefined);
    fake.on({ api: 'openai.chat' }, { fault: { kind: 'status', status: 503, message: 'overloaded' } });
    const { client, clock } = defaultClient();
    const error = await client
      .chat({ model: 'openai:gpt-5', messages: [{ role: 'user', content: 'Hi' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderServerError);
    const { attempts, message } = error as ProviderServerError;
    // Full jitter (Math.random) over 0.5 s doubling to 30 s: at worst (every wait at its ceiling) 12 retries fit in 240 s, and it gives up only with under 30 s left.
    expect(attempts).toBeGreaterThanOrEqual(13);
    expect(fake.stats.requests).toBe(attempts);
    expect(clock.t).toBeGreaterThan(210_000);
    expect(clock.t).toBeLessThanOrEqual(240_000);
    expect(message).toMatch(
      new RegExp(
        `^openai:gpt-5 answered 503: overloaded; the next wait \\(\\d+(\\.\\d)? s\\) would end past the 240 s retry budget ` +
          `\\(providers\\.openai\\.retry_budget_s\\): gave up after ${attempts} attempts over ${Math.round(clock.t / 1000)} s; ` +
          'retry when the provider has recovered, or raise retry_budget_s$',
      ),
    );
  });
});
