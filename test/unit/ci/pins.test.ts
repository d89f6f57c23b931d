/**
 * Every version CI installs is pinned, and the pins are written in several places (shell scripts, the
 * consumer suite's package.json files, the locks). They must agree: a bump in one place alone would
 * test one version in one leg and another in the next.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { NODE22 } from '../../consumer/harness.js';
import { REPO } from '../../e2e/harness.js';

const read = (relative: string): string => readFileSync(path.join(REPO, relative), 'utf8');
const lockedVitest = (lock: string): string =>
  (JSON.parse(read(lock)) as { packages: Record<string, { version: string }> }).packages[
    'node_modules/vitest'
  ]!.version;
const pinnedVitest = (manifest: string): string =>
  (JSON.parse(read(manifest)) as { devDependencies: Record<string, string> }).devDependencies['vitest']!;

describe('the pins CI installs agree', () => {
  test('one Node 22: the Vitest 5 leg, its lock script and the consumer suite', () => {
    const named = ['scripts/test-vitest5.sh', 'scripts/lock-vitest5.sh'].flatMap(
      (file) => read(file).match(/node@22[0-9.]*/g) ?? [],
    );
    expect(named.length).toBeGreaterThanOrEqual(2);
    expect(new Set([...named, NODE22])).toEqual(new Set(['node@22.23.3']));
  });

  test('one Vitest 5: the pin, its lock and the consumer suite', () => {
    const pin = /vitest: '([^']+)'/.exec(read('scripts/vitest5/pin.mjs'))?.[1];
    expect(pin).toBe('5.1.2');
    expect(lockedVitest('scripts/vitest5/package-lock.json')).toBe(pin);
    expect(pinnedVitest('test/consumer/locks/vitest5/package.json')).toBe(pin);
    expect(lockedVitest('test/consumer/locks/vitest5/package-lock.json')).toBe(pin);
  });

  // The Vitest 5 leg runs on a copy whose package.json and lock are the Vitest 5 ones: there the
  // repository's lock names Vitest 5, and the Vitest 4 pins are checked by the first leg.
  const leg5 = lockedVitest('package-lock.json').startsWith('5.');
  test.skipIf(leg5)("one Vitest 4: the repository's lock and the consumer suite", () => {
    const locked = lockedVitest('package-lock.json');
    expect(pinnedVitest('test/consumer/locks/vitest4/package.json')).toBe(locked);
    expect(lockedVitest('test/consumer/locks/vitest4/package-lock.json')).toBe(locked);
  });
});
