/**
 * The end of a run that writes cassettes: each cassette it appended to is
 * compacted once (sorted by key, one line per key), so a recorded cassette
 * diffs and reviews as before appends, at one read and one write per cassette
 * per run. A run killed before its end leaves its appended lines, which read
 * the same; the next run that writes the cassette compacts it.
 * @internal
 */
import type { Reporter } from 'vitest/node';
import type { CacheMode } from '../providers/types.js';

/** Files changed this long before the run started count as changed by it (coarse mtimes, clock steps). */
const MTIME_SLACK_MS = 2_000;

/**
 * A reporter that compacts the cassettes under `dir` the run changed, in every
 * process that ran cases (each shard compacts what it appended, under the lock).
 * A compaction that fails is a warning: the appended cassette is valid as it is.
 *
 * @example
 * vitest.config.reporters.push(cassetteCompactor('/repo/eval/cassettes', 'auto', console.warn))
 */
export function cassetteCompactor(
  dir: string,
  mode: CacheMode,
  warn: (message: string) => void,
  now: () => number = Date.now,
): Reporter {
  let since = now() - MTIME_SLACK_MS;
  const writes = mode === 'auto' || mode === 'record';
  return {
    onTestRunStart() {
      since = now() - MTIME_SLACK_MS;
    },
    async onTestRunEnd() {
      if (!writes) return;
      const { compactCassettes } = await import('../providers/cache/file.js');
      await compactCassettes(dir, since, warn).catch((error: unknown) => {
        const reason = error instanceof Error ? error.message : String(error);
        warn(
          `could not compact the cassettes under ${dir} (${reason}); they stay as appended, which reads the same`,
        );
      });
    },
  };
}
