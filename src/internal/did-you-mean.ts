/**
 * Edit distance between two strings: insertions, deletions, substitutions and
 * transpositions of two adjacent characters each cost 1 (optimal string
 * alignment, the Damerau variant). Small and allocation-light: config keys are short.
 *
 * @example
 * editDistance('rubric_min_scroe', 'rubric_min_score') // 1 (one transposition)
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  // Three rolling rows: the one before the previous is needed for transpositions.
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, before[j - 2]! + 1);
      }
      current[j] = best;
    }
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length]!;
}

/**
 * The candidate nearest to `word`, compared case-insensitively, or `undefined`
 * when none is close enough to be a plausible typo: distance at most a third of
 * the word's length, at least 2 allowed (1 for words of up to 3 characters).
 * Ties go to the earlier candidate.
 *
 * @example
 * nearest('rubric_min_scroe', ['rubric_min_score', 'ragas']) // 'rubric_min_score'
 * nearest('zzz', ['rubric_min_score'])                         // undefined
 */
export function nearest(word: string, candidates: Iterable<string>): string | undefined {
  const needle = word.toLowerCase();
  const limit = word.length <= 3 ? 1 : Math.max(2, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate === word) continue;
    const distance = editDistance(needle, candidate.toLowerCase());
    if (distance <= limit && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * `; did you mean X?` for a typo of one of `candidates`, or an empty string.
 *
 * @example
 * `thresholds.rubric_min_scroe is not a known key${didYouMean('rubric_min_scroe', keys)}`
 */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const match = nearest(word, candidates);
  return match === undefined ? '' : `; did you mean ${match}?`;
}
