import { describe, expect, test } from 'vitest';
import { createLimiter } from '../../../src/providers/limiter.js';
import type { LimiterTimers, Release } from '../../../src/providers/limiter.js';

/** A manual clock: timers fire only when the test advances time. */
function fakeClock(): LimiterTimers & { advanceTo(ms: number): Promise<void>; time: number } {
  let time = 0;
  let nextId = 0;
  const timers = new Map<number, { at: number; callback: () => void }>();
  return {
    get time() {
      return time;
    },
    now: () => time,
    setTimeout(callback, ms) {
      nextId += 1;
      timers.set(nextId, { at: time + ms, callback });
      return nextId;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    async advanceTo(target) {
      await flushMicrotasks();
      for (;;) {
        const due = [...timers.entries()]
          .filter(([, t]) => t.at <= target)
          .sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        time = due[1].at;
        due[1].callback();
        await flushMicrotasks();
      }
      time = target;
      await flushMicrotasks();
    },
  };
}

async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
}

describe('createLimiter', () => {
  test('10 acquisitions with maxInFlight 3 never hold more than 3 slots, and all finish', async () => {
    const limiter = createLimiter({ maxInFlight: 3 });
    let inFlight = 0;
    let peak = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        const release = await limiter.acquire();
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        order.push(i);
        await new Promise((resolve) => setTimeout(resolve, 2));
        inFlight -= 1;
        release();
      }),
    );
    expect(peak).toBe(3);
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(limiter.inFlight).toBe(0);
  });

  test('rpm 60 lets exactly 60 start in the first minute, no more than 60 in any 60 s window', async () => {
    const clock = fakeClock();
    const limiter = createLimiter({ rpm: 60, timers: clock });
    const startedAt: number[] = [];
    for (let i = 0; i < 130; i += 1) {
      void limiter.acquire().then((release) => {
        startedAt.push(clock.now());
        release();
      });
    }
    await flushMicrotasks();
    await clock.advanceTo(59_999);
    expect(startedAt.length).toBe(60);
    await clock.advanceTo(119_999);
    expect(startedAt.length).toBe(120);
    await clock.advanceTo(120_000);
    expect(startedAt.length).toBe(126);
    for (const start of startedAt) {
      const inWindow = startedAt.filter((t) => t >= start && t < start + 60_000).length;
      expect(inWindow).toBeLessThanOrEqual(60);
    }
  });

  test('rpm 60 paces starts: a burst of 6, then one a second, never a herd at the window edge', async () => {
    const clock = fakeClock();
    const limiter = createLimiter({ rpm: 60, timers: clock });
    const startedAt: number[] = [];
    for (let i = 0; i < 80; i += 1) void limiter.acquire().then(() => startedAt.push(clock.now()));
    await clock.advanceTo(61_000);
    expect(startedAt.slice(0, 8)).toEqual([0, 0, 0, 0, 0, 0, 1000, 2000]);
    const perInstant = new Map<number, number>();
    for (const t of startedAt) perInstant.set(t, (perInstant.get(t) ?? 0) + 1);
    expect(Math.max(...perInstant.values())).toBe(6);
  });

  test('an explicit burst of 1 spaces every start by 60 s / rpm', async () => {
    const clock = fakeClock();
    const limiter = createLimiter({ rpm: 120, burst: 1, timers: clock });
    const startedAt: number[] = [];
    for (let i = 0; i < 4; i += 1) void limiter.acquire().then(() => startedAt.push(clock.now()));
    await clock.advanceTo(10_000);
    expect(startedAt).toEqual([0, 500, 1000, 1500]);
  });

  test('waiters are served first in, first out', async () => {
    const limiter = createLimiter({ maxInFlight: 1 });
    const first = await limiter.acquire();
    const served: string[] = [];
    const waits = ['a', 'b', 'c'].map((name) =>
      limiter.acquire().then((release) => {
        served.push(name);
        release();
      }),
    );
    expect(limiter.waiting).toBe(3);
    first();
    await Promise.all(waits);
    expect(served).toEqual(['a', 'b', 'c']);
  });

  test('aborting a waiting acquire rejects it with the reason and frees its place', async () => {
    const limiter = createLimiter({ maxInFlight: 1 });
    const held = await limiter.acquire();
    const controller = new AbortController();
    const aborted = limiter.acquire(controller.signal);
    const next = limiter.acquire();
    expect(limiter.waiting).toBe(2);
    controller.abort(new Error('test timed out'));
    await expect(aborted).rejects.toThrow('test timed out');
    expect(limiter.waiting).toBe(1);
    held();
    const release: Release = await next;
    expect(limiter.inFlight).toBe(1);
    release();
    release();
    expect(limiter.inFlight).toBe(0);
  });

  test('an already aborted signal rejects at once without taking a slot', async () => {
    const limiter = createLimiter({ maxInFlight: 1 });
    await expect(limiter.acquire(AbortSignal.abort(new Error('gone')))).rejects.toThrow('gone');
    expect(limiter.inFlight).toBe(0);
    expect(limiter.waiting).toBe(0);
  });

  test('an aborted waiter behind the rate limit leaves no timer behind', async () => {
    const clock = fakeClock();
    const limiter = createLimiter({ rpm: 1, timers: clock });
    await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    const later = limiter.acquire();
    let started = false;
    void later.then(() => (started = true));
    await clock.advanceTo(59_999);
    expect(started).toBe(false);
    await clock.advanceTo(60_000);
    expect(started).toBe(true);
  });

  test('rejects a limit that is not a positive number', () => {
    expect(() => createLimiter({ rpm: 0 })).toThrow('rpm must be a positive number, got 0');
    expect(() => createLimiter({ maxInFlight: -1 })).toThrow('maxInFlight must be a positive number, got -1');
  });
});
