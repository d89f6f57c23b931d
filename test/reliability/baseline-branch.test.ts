/**
 * The baseline comes from the base branch in CI, through the environment the
 * workflow has (`GITHUB_BASE_REF` alone, as GitHub Actions sets it on a
 * pull_request run, with the base fetched as origin/<base>): a PR that edits
 * eval/baseline.json to hide a regression still fails.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { evalResponder } from '../fake-provider/eval-responder.js';
import { startFakeProvider, type FakeProvider } from '../fake-provider/index.js';
import { evalProject, providerEnv } from '../e2e/harness.js';
import { git } from '../helpers/scratch.js';
import { manyCases, question, rubric, worldScript } from './world.js';

const N = 4;
const script = worldScript(N);
let fake: FakeProvider;
beforeAll(async () => {
  // Model B drops case-01 from 75 to 55 points; everything else as model A.
  const world = evalResponder({
    ...script,
    byModel: { 'model-b': { [question(1)]: 'Not sure. [score=5,6]' } },
  });
  fake = await startFakeProvider({ fallback: world });
});
afterAll(async () => {
  await fake.close();
});

test(
  'GITHUB_BASE_REF alone: the baseline is read from origin/<base>, so a PR that edits it still fails',
  { timeout: 300_000 },
  async () => {
    await using project = await evalProject({
      'rubric.yaml': rubric({ max_retries: 1, timeout_s: 10 }),
      'eval/cases.yaml': manyCases(N),
    });
    const first = await project.vitest(['run', '--project', 'eval'], providerEnv(fake));
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const baseline = await project.scorecard();
    expect(baseline.cases.find((c) => c.id === 'case-01')?.points).toBe(75);
    await project.write('eval/baseline.json', JSON.stringify(baseline));
    git(project.dir, 'init', '-q', '-b', 'main');
    git(project.dir, 'add', '.');
    git(project.dir, 'commit', '-qm', 'baseline of model A');
    git(project.dir, 'update-ref', 'refs/remotes/origin/main', 'HEAD'); // what actions/checkout with fetch-depth: 0 leaves
    git(project.dir, 'checkout', '-qb', 'model/openai-model-b');
    const edited = structuredClone(baseline);
    for (const c of edited.cases) if (c.id === 'case-01') c.points = 55; // hide the regression
    await project.write('eval/baseline.json', JSON.stringify(edited));
    git(project.dir, 'commit', '-qam', 'qualify model B');

    const env = { ...providerEnv(fake), QUALIFY_MODEL: 'openai:model-b' };
    const local = await project.vitest(['run', '--project', 'eval'], env);
    expect(local.code).toBe(0); // outside CI the working tree's file is read: the edit "works" locally...

    const ci = await project.vitest(['run', '--project', 'eval'], { ...env, GITHUB_BASE_REF: 'main' });
    expect(ci.code).toBe(1); // ...but not in CI
    const card = await project.scorecard();
    expect(card.baseline).toEqual({ kind: 'git', ref: 'origin/main', path: 'eval/baseline.json' });
    expect(card.verdict).toBe('fail');
    expect(card.cases.find((c) => c.id === 'case-01')).toMatchObject({
      status: 'fail',
      points: 55,
      baseline_points: 75,
      delta: -20,
    });
    expect(await project.read('eval/out/scorecard.md')).toContain(
      '> Baseline read from `origin/main:eval/baseline.json` (the base branch, not the PR head).',
    );
  },
);
