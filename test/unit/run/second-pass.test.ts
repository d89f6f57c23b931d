import { describe, expect, test } from 'vitest';
import { afterSecondPass, secondPassGroup, transient } from '../../../src/run/second-pass.js';
import { timedOutResult, unscoredResult } from '../../../src/run/case-result.js';
import type { CaseError, CaseResult } from '../../../src/scorecard/types.js';

const identity = { id: 'refund-1', subject: 'agent', min_score: 0.7 };

/** A cool-down that resolves when the test says so, counting how many were started. */
function manualSleep() {
  const pending: Array<{ ms: number; resolve: () => void }> = [];
  return {
    pending,
    sleep: (ms: number) => new Promise<void>((resolve) => pending.push({ ms, resolve })),
    /** End every cool-down started so far, then let the waiters' continuations run. */
    async elapse() {
      for (const p of pending.splice(0)) p.resolve();
      await new Promise((r) => setImmediate(r));
    },
  };
}

/** Tracks which of several waits have resolved. */
function track(promises: Record<string, Promise<void>>) {
  const done = new Set<string>();
  for (const [name, p] of Object.entries(promises)) void p.then(() => done.add(name));
  return done;
}

const tick = () => new Promise((r) => setImmediate(r));

describe('transient', () => {
  test.each<[CaseError, boolean]>([
    [{ kind: 'provider', code: 'E_PROVIDER_RATE_LIMIT', message: '' }, true],
    [{ kind: 'provider', code: 'E_PROVIDER_SERVER', message: '' }, true],
    [{ kind: 'provider', code: 'E_PROVIDER_TIMEOUT', message: '' }, true],
    [{ kind: 'provider', code: 'E_PROVIDER_CONNECTION', message: '' }, true],
    [{ kind: 'provider', code: 'E_PROVIDER_RESPONSE', message: '' }, true],
    [{ kind: 'judge', code: 'E_JUDGE_REPLY', message: '' }, true],
    [{ kind: 'timeout', code: 'E_CASE_TIMEOUT', message: '' }, true],
    [{ kind: 'provider', code: 'E_PROVIDER_AUTH', message: '' }, false],
    [{ kind: 'provider', code: 'E_PROVIDER_BAD_REQUEST', message: '' }, false],
    [{ kind: 'provider', code: 'E_MODEL_REFUSAL', message: '' }, false],
    [{ kind: 'provider', code: 'E_CACHE_MISS', message: '' }, false],
    [{ kind: 'provider', code: 'E_PROVIDER_ABORT', message: '' }, false],
    [{ kind: 'agent', code: 'E_AGENT_THREW', message: '' }, false],
    [{ kind: 'judge', code: 'E_SCORER', message: '' }, false],
    [{ kind: 'missing', code: 'E_CASE_NO_RESULT', message: '' }, false],
  ])('%o -> %s', (error, expected) => {
    expect(transient(error)).toBe(expected);
  });
});

describe('secondPassGroup', () => {
  test('a waiter goes once every other case of the group has settled, after one cool-down', async () => {
    const clock = manualSleep();
    const group = secondPassGroup({ size: 3, slots: 32, coolDownMs: 30_000, maxWaitMs: 600_000, ...clock });
    const done = track({ a: group.wait() });
    group.settled();
    await tick();
    expect(clock.pending).toEqual([]); // one case still running: no cool-down yet
    group.settled();
    await tick();
    expect(clock.pending.map((p) => p.ms)).toEqual([30_000]);
    expect(done.has('a')).toBe(false);
    await clock.elapse();
    expect([...done]).toEqual(['a']);
  });

  test('waiters who are all that is left go together, sharing one cool-down', async () => {
    const clock = manualSleep();
    const group = secondPassGroup({ size: 3, slots: 32, coolDownMs: 1_000, maxWaitMs: 600_000, ...clock });
    group.settled();
    const done = track({ a: group.wait(), b: group.wait() });
    await tick();
    expect(clock.pending).toHaveLength(1);
    await clock.elapse();
    expect([...done].sort()).toEqual(['a', 'b']);
  });

  test('waiters holding every concurrency slot go at once, so the cases behind them are not blocked', async () => {
    const clock = manualSleep();
    const group = secondPassGroup({ size: 10, slots: 2, coolDownMs: 5, maxWaitMs: 600_000, ...clock });
    const first = track({ a: group.wait() });
    await tick();
    expect(clock.pending).toEqual([]);
    const second = track({ b: group.wait() });
    await tick();
    expect(clock.pending).toHaveLength(1);
    await clock.elapse();
    expect([...first, ...second].sort()).toEqual(['a', 'b']);
    // A later waiter of the same group waits again for the rest.
    const later = track({ c: group.wait() });
    group.settled();
    group.settled();
    await tick();
    expect(clock.pending).toEqual([]);
    expect(later.size).toBe(0);
  });

  test('a waiter goes alone after maxWaitMs plus the cool-down when the group never quiets', async () => {
    const clock = manualSleep();
    const group = secondPassGroup({ size: 5, slots: 32, coolDownMs: 7, maxWaitMs: 20, ...clock });
    const done = track({ a: group.wait() });
    await new Promise((r) => setTimeout(r, 40));
    expect(clock.pending.map((p) => p.ms)).toEqual([7]);
    await clock.elapse();
    expect([...done]).toEqual(['a']);
    // It left the waiters: the group's later quiet releases nobody twice.
    group.settled();
    group.settled();
    group.settled();
    group.settled();
    await tick();
    expect(clock.pending).toEqual([]);
  });

  test('an abort ends the wait at once, without a cool-down', async () => {
    const clock = manualSleep();
    const group = secondPassGroup({ size: 5, slots: 32, coolDownMs: 7, maxWaitMs: 600_000, ...clock });
    const controller = new AbortController();
    const done = track({ a: group.wait(controller.signal) });
    controller.abort();
    await tick();
    expect([...done]).toEqual(['a']);
    expect(clock.pending).toEqual([]);
  });
});

describe('afterSecondPass', () => {
  const usage = (calls: number, cost: number) => ({
    calls,
    input_tokens: calls * 100,
    output_tokens: calls * 10,
    cost_usd: cost,
    cached_calls: 1,
    retries: 2,
  });
  const error: CaseError = { kind: 'provider', code: 'E_PROVIDER_SERVER', message: 'the agent: 503' };

  test('a recovered case is the second pass, with the first error kept and both passes paid for', () => {
    const first: CaseResult = Object.assign(unscoredResult(identity, usage(1, 0.001)), {
      score: null,
      error,
      latency_ms: 1200,
    });
    const second: CaseResult = Object.assign(unscoredResult(identity, usage(3, 0.004)), {
      score: 0.9,
      error: null,
      latency_ms: 800,
    });
    const result = afterSecondPass(first, second);
    expect(result.score).toBe(0.9);
    expect(result.error).toBeNull();
    expect(result.latency_ms).toBe(800);
    expect(result.second_pass).toEqual({ first_error: error, recovered: true });
    expect(result.usage).toEqual({
      calls: 4,
      input_tokens: 400,
      output_tokens: 40,
      cost_usd: 0.005,
      cached_calls: 2,
      retries: 4,
    });
  });

  test('a case that errs again keeps the second error and says it was not recovered', () => {
    const first: CaseResult = Object.assign(unscoredResult(identity, usage(0, 0)), {
      score: null,
      error,
      latency_ms: 10,
    });
    const second = timedOutResult(identity, 300_000);
    const result = afterSecondPass(first, second);
    expect(result.error).toEqual({
      kind: 'timeout',
      code: 'E_CASE_TIMEOUT',
      message:
        'the case timed out after 300 s (case_timeout_s): raise case_timeout_s in rubric.yaml, or look for a call that hangs',
    });
    expect(result.second_pass).toEqual({ first_error: error, recovered: false });
  });
});
