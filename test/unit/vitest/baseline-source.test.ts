import { describe, expect, test } from 'vitest';
import { baselineRef, loadBaseline } from '../../../src/vitest/baseline-source.js';
import { SCORECARD_SCHEMA } from '../../../src/scorecard/types.js';
import { git, scratch } from '../../helpers/scratch.js';

const card = (points: number) =>
  JSON.stringify({ schema: SCORECARD_SCHEMA, model: 'openai:gpt-5', cases: [{ id: 'a', points }] }, null, 2);

describe('baselineRef', () => {
  test.each([
    [{}, undefined],
    [{ GITHUB_BASE_REF: 'main' }, 'origin/main'],
    [{ GITHUB_BASE_REF: 'main', QUALIFY_BASELINE_REF: 'base' }, 'base'],
  ])('%j -> %s', (env, ref) => {
    expect(baselineRef(env)).toBe(ref);
  });
});

describe('loadBaseline', () => {
  test('without a ref, the file; a missing file is no baseline', async () => {
    await using dir = await scratch();
    expect(await loadBaseline({ cwd: dir.dir, file: 'eval/baseline.json', env: {} })).toEqual({
      baseline: null,
      source: { kind: 'none', path: 'eval/baseline.json', note: 'no baseline file' },
    });
    await dir.write('eval/baseline.json', card(90));
    const loaded = await loadBaseline({ cwd: dir.dir, file: 'eval/baseline.json', env: {} });
    expect(loaded.baseline?.cases).toEqual([{ id: 'a', points: 90 }]);
    expect(loaded.source).toEqual({ kind: 'file', path: 'eval/baseline.json' });
  });

  test('with a ref, the base branch wins over a baseline edited in the PR head', async () => {
    await using dir = await scratch();
    git(dir.dir, 'init', '-q', '-b', 'main');
    await dir.write('eval/baseline.json', card(90));
    git(dir.dir, 'add', '.');
    git(dir.dir, 'commit', '-qm', 'baseline');
    git(dir.dir, 'checkout', '-qb', 'model/openai-gpt-6');
    await dir.write('eval/baseline.json', card(10)); // the PR lowers the bar
    git(dir.dir, 'commit', '-qam', 'hide the regression');

    const loaded = await loadBaseline({
      cwd: dir.dir,
      file: 'eval/baseline.json',
      env: { QUALIFY_BASELINE_REF: 'main' },
    });
    expect(loaded.baseline?.cases).toEqual([{ id: 'a', points: 90 }]);
    expect(loaded.source).toEqual({ kind: 'git', ref: 'main', path: 'eval/baseline.json' });
  });

  test('a ref that does not exist is an error, not a fallback to the working tree', async () => {
    await using dir = await scratch();
    git(dir.dir, 'init', '-q', '-b', 'main');
    await dir.write('eval/baseline.json', card(90));
    git(dir.dir, 'add', '.');
    git(dir.dir, 'commit', '-qm', 'baseline');
    await expect(
      loadBaseline({ cwd: dir.dir, file: 'eval/baseline.json', env: { GITHUB_BASE_REF: 'main' } }),
    ).rejects.toThrow(
      'eval/baseline.json: the baseline ref origin/main does not exist here: fetch it (actions/checkout with fetch-depth: 0, or git fetch origin main) or set QUALIFY_BASELINE_REF',
    );
  });

  test('no baseline at the ref: every case is new', async () => {
    await using dir = await scratch();
    git(dir.dir, 'init', '-q', '-b', 'main');
    await dir.write('README', 'x');
    git(dir.dir, 'add', '.');
    git(dir.dir, 'commit', '-qm', 'first');
    const loaded = await loadBaseline({
      cwd: dir.dir,
      file: 'eval/baseline.json',
      env: { QUALIFY_BASELINE_REF: 'main' },
    });
    expect(loaded).toEqual({
      baseline: null,
      source: {
        kind: 'none',
        ref: 'main',
        path: 'eval/baseline.json',
        note: 'no eval/baseline.json at main',
      },
    });
  });
});
