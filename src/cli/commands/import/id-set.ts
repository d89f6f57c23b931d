/**
 * A set of case-id hashes (the 12 hex digits, 48 bits) in two typed arrays:
 * 8 bytes a slot instead of a string and a `Set` entry each, so de-duplicating
 * millions of traces stays within a few tens of megabytes.
 *
 * @example
 * const seen = new HashSet48()
 * seen.add('0123456789ab') // true: new
 * seen.add('0123456789ab') // false: a duplicate
 */
export class HashSet48 {
  /** High 16 bits plus one (0 marks an empty slot). */
  private high: Uint32Array;
  private low: Uint32Array;
  private count = 0;

  constructor(capacity = 1024) {
    const size = 2 ** Math.ceil(Math.log2(Math.max(16, capacity * 2)));
    this.high = new Uint32Array(size);
    this.low = new Uint32Array(size);
  }

  get size(): number {
    return this.count;
  }

  /** Whether the 12 hex digits are in the set. */
  has(hex: string): boolean {
    const [high, low] = split(hex);
    const mask = this.high.length - 1;
    for (let slot = low & mask; this.high[slot] !== 0; slot = (slot + 1) & mask) {
      if (this.high[slot] === high && this.low[slot] === low) return true;
    }
    return false;
  }

  /** Add 12 hex digits; true when they were not in the set yet. */
  add(hex: string): boolean {
    const [high, low] = split(hex);
    if (this.insert(high, low)) {
      this.count += 1;
      if (this.count * 2 > this.high.length) this.grow();
      return true;
    }
    return false;
  }

  private insert(high: number, low: number): boolean {
    const mask = this.high.length - 1;
    for (let slot = low & mask; ; slot = (slot + 1) & mask) {
      if (this.high[slot] === 0) {
        this.high[slot] = high;
        this.low[slot] = low;
        return true;
      }
      if (this.high[slot] === high && this.low[slot] === low) return false;
    }
  }

  private grow(): void {
    const { high, low } = this;
    this.high = new Uint32Array(high.length * 2);
    this.low = new Uint32Array(low.length * 2);
    for (let i = 0; i < high.length; i++) if (high[i] !== 0) this.insert(high[i]!, low[i]!);
  }
}

function split(hex: string): [number, number] {
  if (!/^[0-9a-f]{12}$/.test(hex)) throw new RangeError(`not 12 lower-case hex digits: ${hex}`);
  return [Number.parseInt(hex.slice(0, 4), 16) + 1, Number.parseInt(hex.slice(4), 16)];
}
