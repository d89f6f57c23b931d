/**
 * A seeded pseudo-random generator (mulberry32): the same seed gives the same
 * numbers in [0, 1) on every machine and Node version.
 *
 * @example
 * const random = seededRandom(1)
 * random() // 0.6270739405881613, always
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A uniform sample of at most `size` items from a stream of unknown length
 * (reservoir sampling, algorithm R), deterministic for a seed. Holds only
 * `size` items, so a sample of a 1 GB stream stays small.
 *
 * @example
 * const sample = new Reservoir<string>(2, 1)
 * for (const id of ['a', 'b', 'c', 'd']) sample.offer(id)
 * sample.items() // two of them, in arrival order; the same two for seed 1 every time
 */
export class Reservoir<T> {
  private readonly kept: { at: number; item: T }[] = [];
  private seen = 0;
  private readonly random: () => number;

  constructor(
    private readonly size: number,
    seed: number,
  ) {
    this.random = seededRandom(seed);
  }

  /** How many items were offered. */
  get offered(): number {
    return this.seen;
  }

  offer(item: T): void {
    const at = this.seen++;
    if (this.kept.length < this.size) {
      this.kept.push({ at, item });
      return;
    }
    const slot = Math.floor(this.random() * (at + 1));
    if (slot < this.size) this.kept[slot] = { at, item };
  }

  /** The sample, in the order the items arrived. */
  items(): T[] {
    return [...this.kept].sort((a, b) => a.at - b.at).map((k) => k.item);
  }
}
