/**
 * Small deterministic number sources: a string hash and a seeded PRNG.
 * @internal
 */

/**
 * FNV-1a 32-bit hash of a string's UTF-16 code units.
 *
 * @example
 * fnv1a('hello') === fnv1a('hello'); // true
 */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * mulberry32: a seeded PRNG returning numbers in [0, 1).
 *
 * @example
 * const next = mulberry32(1);
 * next(); // the same sequence for the same seed
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
