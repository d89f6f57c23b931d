/**
 * Shards by case count: a 3,000-case file runs as three parts, `--shard=i/3` hands each shard about
 * a third of the cases (not one shard all of them), and the merged scorecard is the unsharded one.
 */
import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startFakeProvider, type FakeProvider } from '../fake-provider/index.js';
import { evalProject, providerEnv, stable } from './harness.js';

const RUBRIC = `model_primary: openai:model-a
judge: openai:judge-1
embeddings: openai:embed-1
system_prompt: Answer briefly.
thresholds: { rubric_min_score: 0.6, ragas: 0.5, max_per_case_regression: 3 }
providers: { openai: { max_retries: 1, timeout_s: 5 } }
second_pass: { enabled: false }
cases: ["eval/*.yaml"]
`;

/** `n` cases with one check each, no criteria: one agent call per case and no judge. */
function caseFile(prefix: string, n: number): string {
  const rows = Array.from(
    { length: n },
    (_, i) => `  - id: ${prefix}-${i}\n    input: "q ${prefix} ${i}"\n    checks: [{ contains: "ok" }]\n`,
  );
  return `cases:\n${rows.join('')}`;
}

let fake: FakeProvider;
beforeAll(async () => {
  fake = await startFakeProvider({ fallback: () => ({ text: 'ok' }) });
});
afterAll(async () => {
  await fake.close();
});

test(
  'a 3,000-case file runs as three parts: three shards of about 1,000 cases, merged as the unsharded run',
  { timeout: 120_000 },
  async () => {
    await using project = await evalProject({
      'rubric.yaml': RUBRIC,
      'eval/big.yaml': caseFile('big', 3000),
      'eval/small.yaml': caseFile('small', 3),
    });
    const env = providerEnv(fake);
    const parts = path.join(project.dir, 'node_modules/.vitest-qualify/parts/eval');
    // A stub of an earlier run that no longer matches the file is removed.
    await project.write('node_modules/.vitest-qualify/parts/eval/big.yaml.part-1-of-4.yaml', '# stale\n');

    const listed = await project.vitest(['list', '--project', 'eval', '--filesOnly'], env);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout.trim().split('\n').sort()).toEqual([
      '[eval] eval/small.yaml',
      '[eval] node_modules/.vitest-qualify/parts/eval/big.yaml.part-1-of-3.yaml',
      '[eval] node_modules/.vitest-qualify/parts/eval/big.yaml.part-2-of-3.yaml',
      '[eval] node_modules/.vitest-qualify/parts/eval/big.yaml.part-3-of-3.yaml',
    ]);
    expect((await readdir(parts)).sort()).toEqual([
      'big.yaml.part-1-of-3.yaml',
      'big.yaml.part-2-of-3.yaml',
      'big.yaml.part-3-of-3.yaml',
    ]);

    const whole = await project.vitest(['run', '--project', 'eval'], env);
    expect(whole.code, whole.stdout + whole.stderr).toBe(0);
    const unsharded = await project.scorecard();
    expect(unsharded.cases).toHaveLength(3003);
    // The scorecard names the user's case file, not a stub.
    expect(unsharded.cases.find((c) => c.id === 'big-2999')).toMatchObject({ status: 'new' });
    await rm(path.join(project.dir, 'eval/out'), { recursive: true });

    const ran: number[] = [];
    for (let i = 1; i <= 3; i++) {
      const before = fake.stats.requests;
      const shard = await project.vitest(
        ['run', '--project', 'eval', `--shard=${i}/3`, '--reporter=blob'],
        env,
      );
      expect(shard.code, shard.stdout + shard.stderr).toBe(0);
      ran.push(fake.stats.requests - before);
    }
    // One part per shard, the small file with one of them: 1,000 + 1,000 + 1,003 in some order.
    expect([...ran].sort()).toEqual([1000, 1000, 1003]);
    expect(existsSync(path.join(project.dir, 'eval/out/scorecard.json'))).toBe(false);

    const merged = await project.vitest(['run', '--project', 'eval', '--merge-reports'], env);
    expect(merged.code, merged.stdout + merged.stderr).toBe(0);
    expect(stable(await project.scorecard())).toEqual(stable(unsharded));
  },
);

test(
  "a sequencer of the user's own is left alone; a shard it gives no module passes",
  { timeout: 60_000 },
  async () => {
    await using project = await evalProject({
      'rubric.yaml': RUBRIC,
      'eval/big.yaml': caseFile('big', 1001),
      'eval/small.yaml': caseFile('small', 2),
    });
    // Everything to the first shard: Vitest's own test of a custom sequencer.
    await project.write(
      'vitest.config.ts',
      `import { defineConfig } from 'vitest/config';
import { BaseSequencer } from 'vitest/node';
import { qualify } from '../../../../src/index.js';

class FirstTakesAll extends BaseSequencer {
  async shard(files) {
    return this.ctx.config.shard.index === 1 ? files : [];
  }
}

export default defineConfig({
  test: { sequence: { sequencer: FirstTakesAll }, projects: [{ plugins: [qualify()], test: { name: 'eval' } }] },
});
`,
    );
    const env = providerEnv(fake);
    const ran: number[] = [];
    for (let i = 1; i <= 2; i++) {
      const before = fake.stats.requests;
      const shard = await project.vitest(
        ['run', '--project', 'eval', `--shard=${i}/2`, '--reporter=blob'],
        env,
      );
      expect(shard.code, shard.stdout + shard.stderr).toBe(0);
      ran.push(fake.stats.requests - before);
    }
    expect(ran).toEqual([1003, 0]);
  },
);

test(
  'watch mode keeps whole files: no parts, and an edit re-runs the edited case',
  { timeout: 120_000 },
  async () => {
    await using project = await evalProject({
      'rubric.yaml': RUBRIC,
      'eval/big.yaml': caseFile('big', 1001),
    });
    const watch = project.start(['watch', '--project', 'eval'], { ...providerEnv(fake), CI: '' });
    try {
      await watch.waitFor('qualify  PASS', 1, 90_000);
      expect(existsSync(path.join(project.dir, 'node_modules/.vitest-qualify/parts'))).toBe(false);
      await project.write('eval/big.yaml', caseFile('big', 1001).replace('"q big 7"', '"q big 7, edited"'));
      await watch.waitFor('vitest-qualify: re-running 1 edited case(s): big-7', 1, 30_000);
      await watch.waitFor('qualify  PASS', 2, 30_000);
      expect((await project.scorecard()).cases).toHaveLength(1001);
    } finally {
      await watch.stop();
    }
  },
);
