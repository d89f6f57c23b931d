/**
 * Vertex through the model client, against the fake provider: Google's 429
 * (`RESOURCE_EXHAUSTED`) and 503 (`UNAVAILABLE`) under a seeded fault plan are
 * retried until answered, one retry per fault, for Gemini and Claude on Vertex;
 * `n` samples are one Gemini request and a fan-out of Claude requests.
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
import { envFor } from './adapters-fixture.js';

const SEED = 15;
const CALLS_PER_MODEL = 100;
const PLAN: FaultPlan = { rate429: 0.3, rate503: 0.1 };

let fake: FakeProvider;
let dir: string;
beforeAll(async () => {
  fake = await startFakeProvider({ seed: SEED });
  dir = await mkdtemp(join(tmpdir(), 'qualify-client-vertex-'));
});
afterAll(async () => {
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

/** A client at the default settings whose retry budget runs on a virtual clock. */
function vertexClient() {
  const clock = { t: 0 };
  const client = createModelClient({
    cache: { mode: 'off', dir },
    env: envFor(fake, 'vertex'),
    clock: () => clock.t,
    sleep: async (ms) => {
      clock.t += ms;
    },
  });
  return client;
}

describe('vertex through the client', () => {
  test(`${2 * CALLS_PER_MODEL} calls under 30% 429 + 10% 503 (Google error bodies), seed ${SEED}: none lost, one retry per fault`, async () => {
    fake.reset();
    fake.setFaults(PLAN);
    fake.on({ api: 'vertex.generate' }, { text: 'gemini answer' });
    fake.on({ api: 'anthropic.messages' }, { text: 'claude answer' });
    const client = vertexClient();
    const lost: string[] = [];
    const texts = new Set<string>();
    for (let i = 0; i < CALLS_PER_MODEL; i++) {
      for (const model of ['vertex:gemini-2.5-flash', 'vertex:claude-sonnet-4-5@20250929']) {
        try {
          const reply = await client.chat({ model, messages: [{ role: 'user', content: `Question ${i}` }] });
          texts.add(reply.choices[0]?.text ?? '');
        } catch (error) {
          lost.push(`${model} #${i}: ${String(error)}`);
        }
      }
    }
    const expected = faultsBeforeAnswers(PLAN, SEED, 2 * CALLS_PER_MODEL);
    const injected = Object.values(expected).reduce((a, b) => a + b, 0);
    expect(lost).toEqual([]);
    expect([...texts].sort()).toEqual(['claude answer', 'gemini answer']);
    expect(fake.stats.faults).toEqual(expected);
    expect(injected).toBeGreaterThan(40);
    expect(fake.stats.requests).toBe(2 * CALLS_PER_MODEL + injected);
    expect(client.usage().retries).toBe(injected);
  });

  test('n = 3 is one Gemini request (candidateCount) and three Claude requests', async () => {
    fake.reset();
    fake.setFaults(undefined);
    fake.on({ api: 'vertex.generate' }, { choices: [{ text: 'a' }, { text: 'b' }, { text: 'c' }] });
    fake.on({ api: 'anthropic.messages' }, { text: 'same' });
    const client = vertexClient();
    const messages = [{ role: 'user' as const, content: 'Sample' }];
    const gemini = await client.chat({ model: 'vertex:gemini-2.5-flash', messages, n: 3 });
    expect(gemini.choices.map((c) => c.text)).toEqual(['a', 'b', 'c']);
    expect(fake.stats.byApi['vertex.generate']).toBe(1);
    const claude = await client.chat({ model: 'vertex:claude-sonnet-4-5@20250929', messages, n: 3 });
    expect(claude.choices.map((c) => c.text)).toEqual(['same', 'same', 'same']);
    expect(fake.stats.byApi['anthropic.messages']).toBe(3);
  });
});
