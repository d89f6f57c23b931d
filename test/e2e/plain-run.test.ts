/**
 * After `qualify init`, the repository's own `npm test` (a plain `vitest run`) runs its own tests and
 * never the qualification: no case, no request, no scorecard, exit 0. `--project eval` runs it.
 */
import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { evalProject, providerEnv, REPO } from './harness.js';
import { evalResponder } from '../fake-provider/eval-responder.js';
import { startFakeProvider, type FakeProvider } from '../fake-provider/index.js';
import { qualify } from '../unit/cli/io.js';

let fake: FakeProvider;
beforeAll(async () => {
  const answers = {
    'Can I return shoes after 40 days?': 'No. Returns are accepted within 30 days of delivery. [score=9]',
  };
  fake = await startFakeProvider({ fallback: evalResponder({ answers }) });
});
afterAll(async () => {
  await fake.close();
});

const HINT = 'vitest-qualify: the eval project runs only when selected: vitest run --project eval\n';

test(
  'a plain vitest run after init: the unit test runs, no case, 0 requests, exit 0',
  { timeout: 120_000 },
  async () => {
    await using project = await evalProject({
      'src/sum.test.ts':
        "import { expect, test } from 'vitest';\ntest('adds', () => expect(1 + 1).toBe(2));\n",
    });
    await rm(path.join(project.dir, 'vitest.config.ts'));
    expect((await qualify(project.dir, ['init', '--model', 'openai:m', '--judge', 'openai:j'])).code).toBe(0);
    const config = await project.read('vitest.config.ts');
    const source = path.relative(project.dir, path.join(REPO, 'src/index.js')).split(path.sep).join('/');
    await writeFile(
      path.join(project.dir, 'vitest.config.ts'),
      config.replace("'vitest-qualify'", `'${source}'`),
    );

    const plain = await project.vitest(['run'], providerEnv(fake));
    expect(plain.code, plain.stdout + plain.stderr).toBe(0);
    expect(plain.stdout.startsWith(HINT), plain.stdout).toBe(true);
    expect(plain.stdout).toMatch(/\|unit\| src\/sum\.test\.ts \(1 test\)/);
    expect(plain.stdout).toMatch(/Tests {2}1 passed \(1\)/);
    expect(fake.requests.length).toBe(0);
    expect(existsSync(path.join(project.dir, 'eval/out/scorecard.json'))).toBe(false);

    const unit = await project.vitest(['run', '--project', 'unit'], providerEnv(fake));
    expect(unit.code, unit.stdout + unit.stderr).toBe(0);
    expect(unit.stdout).not.toContain(HINT); // a filtered-out project is not configured at all
    expect(fake.requests.length).toBe(0);

    const selected = await project.vitest(['run', '--project', 'eval'], providerEnv(fake));
    expect(selected.code, selected.stdout + selected.stderr).toBe(0);
    expect(selected.stdout).not.toContain(HINT);
    expect((await project.scorecard()).cases.map((c) => c.id)).toEqual([
      'refund-window-basic',
      'discount-prompt-injection',
    ]);
  },
);

test(
  'the eval project alone, unselected: nothing runs and the run passes; QUALIFY_RUN=1 runs it',
  { timeout: 120_000 },
  async () => {
    await using project = await evalProject({
      'rubric.yaml':
        'model_primary: openai:m\njudge: openai:j\nthresholds: { rubric_min_score: 0.8 }\ncases: eval/cases.yaml\n',
      'eval/cases.yaml': 'cases:\n  - id: hello\n    input: Hello\n    checks: [{ contains: Answer }]\n',
    });
    fake.reset();
    const plain = await project.vitest(['run'], providerEnv(fake));
    expect(plain.code, plain.stdout + plain.stderr).toBe(0);
    expect(plain.stdout).toContain('No test files found, exiting with code 0');
    expect(fake.requests.length).toBe(0);

    const forced = await project.vitest(['run'], { ...providerEnv(fake), QUALIFY_RUN: '1' });
    expect(forced.code, forced.stdout + forced.stderr).toBe(0);
    expect((await project.scorecard()).cases.map((c) => [c.id, c.status])).toEqual([['hello', 'new']]);
    expect(fake.requests.length).toBeGreaterThan(0);
  },
);
