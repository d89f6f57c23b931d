/**
 * Provider faults: 80 cases run twice through real Vitest, once against a
 * healthy fake provider and once against one that answers 30% of requests 429
 * (with retry-after), 10% 503, hangs on 5% past the timeout and resets 2% of
 * connections. The faulty run must come to the same verdict and scorecard,
 * lose and duplicate nothing, report its retries and respect the in-flight limit.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { evalResponder } from '../fake-provider/eval-responder.js';
import { startFakeProvider, type FakeProvider, type FaultPlan } from '../fake-provider/index.js';
import { evalProject, providerEnv } from '../e2e/harness.js';
import { caseIds, coldRequests, comparable, manyCases, rubric, worldScript } from './world.js';

const N = 80;
const MAX_IN_FLIGHT = 8;
/**
 * 47% of requests fail, so a call needs k+1 attempts with probability 0.47^k:
 * with 15 retries a call gives up with probability 0.47^16 (6e-6), so one of
 * the run's 240 calls does about once in 700 runs; with 8, once in 4 runs.
 */
const LIMITS = { max_retries: 15, timeout_s: 2, max_in_flight: MAX_IN_FLIGHT };
const PLAN: FaultPlan = { rate429: 0.3, retryAfterS: 0.05, rate503: 0.1, rateHang: 0.05, rateReset: 0.02 };

let fake: FakeProvider;
beforeAll(async () => {
  fake = await startFakeProvider({ seed: 7, fallback: evalResponder(worldScript(N)) });
});
afterAll(async () => {
  await fake.close();
});

describe('provider faults', { timeout: 400_000 }, () => {
  test('80 cases under 429/503/hang/reset faults: same verdict and scorecard, nothing lost, retries reported, limit kept', async () => {
    await using project = await evalProject({
      'rubric.yaml': rubric(LIMITS),
      'eval/cases.yaml': manyCases(N),
    });
    const args = ['run', '--project', 'eval'];

    const clean = await project.vitest(args, providerEnv(fake));
    expect(clean.code, clean.stdout + clean.stderr).toBe(0);
    const cleanCard = await project.scorecard();
    const cleanRequests = fake.stats.requests;
    // 80 agent calls and 80 judge calls; 20 cases with a context add 2 faithfulness, 1 relevancy, 1 embeddings call.
    expect(cleanRequests).toBe(coldRequests(N));
    expect(cleanRequests).toBe(240);
    expect(cleanCard.usage.retries).toBe(0);

    fake.reset();
    fake.setFaults(PLAN);
    const faulty = await project.vitest(args, providerEnv(fake));
    const stats = fake.stats;
    const card = await project.scorecard();

    expect(faulty.code, faulty.stdout + faulty.stderr).toBe(clean.code);
    expect(card.verdict).toBe(cleanCard.verdict);
    expect(card.verdict).toBe('pass');
    expect(comparable(card)).toEqual(comparable(cleanCard));

    const ids = card.cases.map((c) => c.id);
    expect(ids).toEqual(caseIds(N)); // all 80, each once, in case-file order
    expect(new Set(ids).size).toBe(N);
    expect(card.cases.filter((c) => c.error !== null)).toEqual([]);

    // Exact, though the order of requests varies: the seeded PRNG gives one draw per request in arrival
    // order, and the run takes draws until the 240 answers it needs were drawn (docs/guarantees.md).
    expect(stats.faults).toEqual({ '429': 108, '503': 32, hang: 19, reset: 4 });
    // Every fault cost exactly one retry of a call that then succeeded.
    const injected = Object.values(stats.faults).reduce((a, b) => a + b, 0);
    expect(card.usage.retries).toBe(injected);
    expect(card.cases.reduce((sum, c) => sum + (c.usage.retries ?? 0), 0)).toBe(injected);
    expect(stats.requests).toBe(cleanRequests + injected);
    expect(stats.requests).toBe(403);
    expect(await project.read('eval/out/scorecard.md')).toContain(
      ` ${injected} retries after provider faults (429, 5xx, timeouts, resets).`,
    );

    expect(stats.peakInFlight).toBeLessThanOrEqual(MAX_IN_FLIGHT);
    expect(stats.peakInFlight).toBe(MAX_IN_FLIGHT); // the limit was reached: 32 cases run at once
  });
});
