/**
 * A per-provider request limiter: requests per minute and requests in flight.
 *
 * The rate rule is strict: no more than `rpm` starts in any 60 s window (a
 * sliding log of start times). On its own a sliding log lets a full minute's
 * quota start at once and then releases it all again exactly 60 s later, a
 * thundering herd at every window edge. So starts are also paced by a token
 * bucket (refill `rpm` per minute, `burst` deep): a burst of at most `burst`
 * starts, then one start every `60 s / rpm`.
 *
 * Waiters are served first in, first out, whatever they wait for.
 */

/** The clock and timers the limiter uses; tests pass a fake. */
export interface LimiterTimers {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface LimiterOptions {
  /** Starts allowed in any 60 s window; unlimited when absent. */
  rpm?: number | undefined;
  /** Starts allowed at once before pacing; default `ceil(rpm / 10)`. */
  burst?: number | undefined;
  /** Requests in flight at once; unlimited when absent. */
  maxInFlight?: number | undefined;
  timers?: LimiterTimers | undefined;
}

/** Give a slot back. Calling it more than once is harmless. */
export type Release = () => void;

export interface Limiter {
  /** Wait for a slot. Aborting `signal` rejects the wait with the signal's reason and frees its place. */
  acquire(signal?: AbortSignal): Promise<Release>;
  /** Requests holding a slot now. */
  readonly inFlight: number;
  /** Requests waiting for a slot now. */
  readonly waiting: number;
}

const WINDOW_MS = 60_000;

const realTimers: LimiterTimers = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

interface Waiter {
  grant(release: Release): void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

/**
 * Create a limiter for one provider.
 *
 * @example
 * const limiter = createLimiter({ rpm: 50, maxInFlight: 8 });
 * const release = await limiter.acquire(signal);
 * try { await callProvider(); } finally { release(); }
 */
export function createLimiter(options: LimiterOptions = {}): Limiter {
  const timers = options.timers ?? realTimers;
  const maxInFlight = positiveOrInfinity(options.maxInFlight, 'maxInFlight');
  const rpm = positiveOrInfinity(options.rpm, 'rpm');
  const pacer = createPacer(rpm, options.burst);
  const queue: Waiter[] = [];
  let inFlight = 0;
  let timer: unknown;

  function pump(): void {
    while (queue.length > 0 && inFlight < maxInFlight) {
      const now = timers.now();
      const wait = pacer.wait(now);
      if (wait > 0) {
        if (timer === undefined) {
          timer = timers.setTimeout(() => {
            timer = undefined;
            pump();
          }, Math.ceil(wait));
        }
        return;
      }
      const waiter = queue.shift() as Waiter;
      waiter.signal?.removeEventListener('abort', waiter.onAbort);
      pacer.record(now);
      inFlight += 1;
      waiter.grant(
        once(() => {
          inFlight -= 1;
          pump();
        }),
      );
    }
    if (queue.length === 0 && timer !== undefined) {
      timers.clearTimeout(timer);
      timer = undefined;
    }
  }

  return {
    acquire(signal) {
      if (signal?.aborted) return Promise.reject(abortReason(signal));
      return new Promise<Release>((resolve, reject) => {
        const waiter: Waiter = {
          grant: resolve,
          signal,
          onAbort: () => {
            const index = queue.indexOf(waiter);
            if (index >= 0) queue.splice(index, 1);
            reject(abortReason(signal as AbortSignal));
            pump();
          },
        };
        signal?.addEventListener('abort', waiter.onAbort, { once: true });
        queue.push(waiter);
        pump();
      });
    },
    get inFlight() {
      return inFlight;
    },
    get waiting() {
      return queue.length;
    },
  };
}

/** The rate rules of one limiter: at most `rpm` starts in any minute, in bursts of at most `burst`. */
interface Pacer {
  /** Milliseconds until a start is allowed by the rate rules; 0 when allowed now. */
  wait(now: number): number;
  /** Count a start. */
  record(now: number): void;
}

function createPacer(rpm: number, burstOption: number | undefined): Pacer {
  const paced = Number.isFinite(rpm);
  const interval = paced ? WINDOW_MS / rpm : 0;
  const burst = paced ? Math.max(1, Math.floor(burstOption ?? Math.ceil(rpm / 10))) : 1;
  const starts: number[] = [];
  /** Generic cell rate algorithm: the time at which the bucket is empty again. */
  let theoreticalArrival = -Infinity;
  return {
    wait(now) {
      if (!paced) return 0;
      while (starts.length > 0 && (starts[0] as number) <= now - WINDOW_MS) starts.shift();
      const windowWait = starts.length >= rpm ? (starts[0] as number) + WINDOW_MS - now : 0;
      const bucketWait = theoreticalArrival - (burst - 1) * interval - now;
      return Math.max(0, windowWait, bucketWait > 1e-6 ? bucketWait : 0);
    },
    record(now) {
      if (!paced) return;
      starts.push(now);
      theoreticalArrival = Math.max(theoreticalArrival, now) + interval;
    },
  };
}

function once(fn: () => void): Release {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

function positiveOrInfinity(value: number | undefined, name: string): number {
  if (value === undefined) return Infinity;
  if (!(value > 0)) throw new RangeError(`${name} must be a positive number, got ${value}`);
  return value;
}
