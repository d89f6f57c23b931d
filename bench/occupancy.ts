/**
 * How busy the provider's slots were: in-flight requests over time, from the
 * server's log of arrival and answer times. Pure.
 */

/** A request's time at the server, epoch ms. */
export interface Interval {
  start: number;
  end: number;
}

/** Slot use over a window. */
export interface Occupancy {
  /** Time-weighted mean of requests in flight. */
  meanInFlight: number;
  peakInFlight: number;
  /** Share of the window with `limit` requests in flight. */
  atLimit: number;
  /** Mean in flight per bucket of `bucketMs`, from the window's start. */
  timeline: number[];
}

/**
 * In-flight statistics of `intervals` between `from` and `to`.
 *
 * @example
 * occupancy([{ start: 0, end: 10 }, { start: 0, end: 5 }], 0, 10, 2, 5)
 * // { meanInFlight: 1.5, peakInFlight: 2, atLimit: 0.5, timeline: [2, 1] }
 */
export function occupancy(
  intervals: readonly Interval[],
  from: number,
  to: number,
  limit: number,
  bucketMs: number,
): Occupancy {
  const events: [number, number][] = [];
  for (const { start, end } of intervals) {
    const s = Math.max(start, from);
    const e = Math.min(end, to);
    if (e <= s) continue;
    events.push([s, 1], [e, -1]);
  }
  // Ends before starts at the same instant: a slot handed over is not two in flight.
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const span = Math.max(to - from, 1e-9);
  const buckets = new Array<number>(Math.max(1, Math.ceil(span / bucketMs))).fill(0);
  let level = 0;
  let peak = 0;
  let area = 0;
  let full = 0;
  let at = from;
  const spread = (a: number, b: number, value: number): void => {
    for (let t = a; t < b;) {
      const index = Math.min(buckets.length - 1, Math.floor((t - from) / bucketMs));
      const edge = Math.min(b, from + (index + 1) * bucketMs);
      buckets[index]! += (value * (edge - t)) / bucketMs;
      if (edge <= t) break;
      t = edge;
    }
  };
  for (const [time, delta] of events) {
    area += level * (time - at);
    if (level >= limit) full += time - at;
    if (level > 0) spread(at, time, level);
    at = time;
    level += delta;
    peak = Math.max(peak, level);
  }
  return {
    meanInFlight: area / span,
    peakInFlight: peak,
    atLimit: full / span,
    timeline: buckets.map((b) => Math.round(b * 10) / 10),
  };
}
