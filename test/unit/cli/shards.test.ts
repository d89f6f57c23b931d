import { readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import { shardCount } from '../../../src/cli/commands/shards.js';
import { scratch, type Scratch } from '../../helpers/scratch.js';
import { qualify as run } from './io.js';

const RUBRIC = `model_primary: openai:gpt-5-mini
judge: openai:gpt-5
thresholds: { rubric_min_score: 0.8 }
cases: ["eval/*.yaml"]
`;

function caseFile(prefix: string, n: number, tags = '[]'): string {
  const rows = Array.from(
    { length: n },
    (_, i) => `  - { id: ${prefix}-${i}, input: "q ${i}", tags: ${tags} }\n`,
  );
  return `cases:\n${rows.join('')}`;
}

/** 3,000 cases tagged `traffic` in one file (3 modules) and 3 tagged `smoke` in another: 4 modules. */
async function project(): Promise<Scratch> {
  const dir = await scratch();
  await dir.write('rubric.yaml', RUBRIC);
  await dir.write('eval/big.yaml', caseFile('big', 3000, '[traffic]'));
  await dir.write('eval/small.yaml', caseFile('small', 3, '[smoke]'));
  return dir;
}

describe('shardCount', () => {
  test.each([
    [{ cases: 0, modules: 1, perShard: 12_500, max: 8 }, 1],
    [{ cases: 12_500, modules: 20, perShard: 12_500, max: 8 }, 1],
    [{ cases: 12_501, modules: 20, perShard: 12_500, max: 8 }, 2],
    [{ cases: 100_000, modules: 100, perShard: 12_500, max: 8 }, 8],
    [{ cases: 1_000_000, modules: 1000, perShard: 12_500, max: 8 }, 8],
    [{ cases: 3_003, modules: 4, perShard: 500, max: 8 }, 4],
    [{ cases: 3_003, modules: 4, perShard: 1_000, max: 3 }, 3],
  ])('%o -> %i', (input, expected) => {
    expect(shardCount(input)).toBe(expected);
  });
});

describe('qualify shards', () => {
  test('prints the cases in scope, the modules and the shard count', async () => {
    await using dir = await project();
    const { code, out, err } = await run(dir.dir, ['shards', '--per-shard', '1000']);
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(out).toBe(
      'qualify shards: 3003 case(s) in scope in 4 test module(s): 4 shard(s) (1000 cases per shard, at most 8)\n',
    );
  });

  test('defaults: 12,500 cases per shard, at most 8; --json', async () => {
    await using dir = await project();
    const { code, out } = await run(dir.dir, ['shards', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual({
      cases: 3003,
      modules: 4,
      per_shard: 12500,
      max: 8,
      total: 1,
      shards: [1],
    });
  });

  test('counts only the cases in scope (QUALIFY_TAGS), the modules stay the files and parts', async () => {
    await using dir = await project();
    const { out } = await run(dir.dir, ['shards', '--per-shard', '1', '--json'], {
      env: { QUALIFY_TAGS: 'smoke' },
    });
    expect(JSON.parse(out)).toMatchObject({ cases: 3, modules: 4, total: 3, shards: [1, 2, 3] });
  });

  test('--github-output appends total and shards to $GITHUB_OUTPUT', async () => {
    await using dir = await project();
    const output = await dir.write('github-output', 'name=before\n');
    const { code } = await run(dir.dir, ['shards', '--per-shard', '1000', '--max', '3', '--github-output'], {
      env: { GITHUB_OUTPUT: output },
    });
    expect(code).toBe(0);
    expect(await readFile(output, 'utf8')).toBe('name=before\ntotal=3\nshards=[1,2,3]\n');
  });

  test('without --github-output nothing is written, even with GITHUB_OUTPUT set', async () => {
    await using dir = await project();
    const output = await dir.write('github-output', '');
    await run(dir.dir, ['shards'], { env: { GITHUB_OUTPUT: output } });
    expect(await readFile(output, 'utf8')).toBe('');
  });

  test.each([
    [
      ['--per-shard', '0'],
      'qualify shards: --per-shard takes a whole number of at least 1; found 0, e.g. --per-shard 12500\n',
    ],
    [['--max', '2.5'], 'qualify shards: --max takes a whole number of at least 1; found 2.5, e.g. --max 8\n'],
    [['--max', 'many'], 'qualify shards: --max takes a number; found "many"\n'],
    [
      ['--github-output'],
      'qualify shards: --github-output needs GITHUB_OUTPUT set to a file (GitHub Actions sets it in every step); drop the flag to only print the count\n',
    ],
  ])('%j is one line with the fix, exit 2', async (args, line) => {
    await using dir = await project();
    const { code, out, err } = await run(dir.dir, ['shards', ...args]);
    expect({ code, out, err }).toEqual({ code: 2, out: '', err: line });
  });

  test('a project that does not load is its config error, exit 2', async () => {
    await using dir = await scratch();
    const { code, err } = await run(dir.dir, ['shards']);
    expect(code).toBe(2);
    expect(err).toMatch(/^qualify shards: rubric\.yaml/);
    expect(err.trim().split('\n')).toHaveLength(1);
  });
});
