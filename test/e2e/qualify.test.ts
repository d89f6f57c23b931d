import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startFakeProvider, type FakeProvider } from '../fake-provider/index.js';
import { evalResponder, type EvalScript } from '../fake-provider/eval-responder.js';
import { git } from '../helpers/scratch.js';
import { evalProject, providerEnv, stable, type EvalProject } from './harness.js';

const RUBRIC = `model_primary: openai:model-a
judge: openai:judge-1
embeddings: openai:embed-1
system_prompt: Answer briefly.
judge_samples: 1
thresholds: { rubric_min_score: 0.6, ragas: 0.5, max_per_case_regression: 3 }
providers: { openai: { max_retries: 1, timeout_s: 5 } }
`;

const CASES = `cases:
  - id: steady
    tags: [billing]
    input: "Question steady"
    context: ["Returns are accepted within 30 days."]
    criteria: [{ id: correct, text: "Correct" }]
  - id: small-drop
    tags: [billing]
    input: "Question small"
    criteria:
      - { id: main, text: "Main point", weight: 4 }
      - { id: tone, text: "Tone", weight: 1 }
  - id: big-drop
    tags: [adversarial]
    input: "Question big"
    criteria: [{ id: correct, text: "Correct" }]
  - id: outage
    node: repair
    input: "Question outage"
    criteria: [{ id: correct, text: "Correct" }]
`;

/** Model A answers everything at 9; model B changes what the test asks for. */
function script(b: Record<string, string>): EvalScript {
  return {
    answers: {
      'Question steady': 'Thirty days. [score=9]',
      'Question small': 'Main point. [score=9,9]',
      'Question big': 'Correct answer. [score=9]',
      'Question outage': 'Fine. [score=9]',
      'Question fresh': 'New. [score=9]',
    },
    byModel: { 'model-b': b },
  };
}

let fake: FakeProvider;
let responder = evalResponder(script({}));
/** What the fake models answer from now on. */
function setWorld(world: EvalScript): void {
  responder = evalResponder(world);
}
beforeAll(async () => {
  fake = await startFakeProvider({ fallback: (req) => responder(req) });
});
afterAll(async () => {
  await fake.close();
});

/** A project whose baseline is a real scorecard of model A. */
async function withBaseline(extra: Record<string, string> = {}): Promise<EvalProject> {
  const project = await evalProject({ 'rubric.yaml': RUBRIC, 'eval/cases.yaml': CASES, ...extra });
  setWorld(script({}));
  const first = await project.vitest(['run', '--project', 'eval'], providerEnv(fake));
  expect(first.code, first.stdout + first.stderr).toBe(0);
  await project.write('eval/baseline.json', JSON.stringify(await project.scorecard()));
  return project;
}

const candidate = { QUALIFY_MODEL: 'openai:model-b' };
const statuses = (card: { cases: { id: string; status: string }[] }) =>
  Object.fromEntries(card.cases.map((c) => [c.id, c.status]));

describe('a qualification run, end to end', { timeout: 180_000 }, () => {
  test('no baseline: every case is new, the scorecard says so, exit 0', async () => {
    await using project = await evalProject({ 'rubric.yaml': RUBRIC, 'eval/cases.yaml': CASES });
    setWorld(script({}));
    const run = await project.vitest(['run', '--project', 'eval'], providerEnv(fake));
    expect(run.code, run.stderr).toBe(0);
    const card = await project.scorecard();
    expect(card.verdict).toBe('pass');
    expect(statuses(card)).toEqual({ steady: 'new', 'small-drop': 'new', 'big-drop': 'new', outage: 'new' });
    expect(card.baseline).toEqual({ kind: 'none', path: 'eval/baseline.json', note: 'no baseline file' });
    expect(card.cases.find((c) => c.id === 'steady')).toMatchObject({
      points: 90,
      faithfulness: 1,
      usage: { calls: 6 },
    });
    expect(run.stderr).toContain('qualify  PASS  openai:model-a (no baseline)');
    expect(await project.read('eval/out/scorecard.md')).toContain('No baseline (no baseline file)');
  });

  test('a clean pass against the baseline', async () => {
    await using project = await withBaseline();
    setWorld(script({}));
    const summary = `${project.dir}/step-summary.md`;
    const run = await project.vitest(['run', '--project', 'eval'], {
      ...providerEnv(fake),
      ...candidate,
      GITHUB_STEP_SUMMARY: summary,
    });
    expect(run.code, run.stdout).toBe(0);
    const card = await project.scorecard();
    expect(card.verdict).toBe('pass');
    expect(card.baseline_model).toBe('openai:model-a');
    expect(await project.read('step-summary.md')).toContain('## ✅ `openai:model-b` qualifies');
    expect(statuses(card)).toEqual({
      steady: 'pass',
      'small-drop': 'pass',
      'big-drop': 'pass',
      outage: 'pass',
    });
  });

  test('a drop beyond the budget fails the run and is named', async () => {
    await using project = await withBaseline();
    setWorld(script({ 'Question big': 'Worse. [score=7]' }));
    const run = await project.vitest(['run', '--project', 'eval'], { ...providerEnv(fake), ...candidate });
    expect(run.code).toBe(1);
    const card = await project.scorecard();
    expect(card.verdict).toBe('fail');
    const big = card.cases.find((c) => c.id === 'big-drop');
    expect(big).toMatchObject({ status: 'fail', points: 70, baseline_points: 90, delta: -20 });
    expect(big?.message).toBe(
      'regressed 20.0 points (90.0 -> 70.0) (confirmed by 3 fresh trials against 3 of the baseline model openai:model-a, p < 0.0001, 95 % interval [20.0, 20.0]), more than the 3-point budget: no allowlist entry can cover it',
    );
    expect(run.stderr).toContain('fail big-drop: regressed 20.0 points');
  });

  test('a small drop that is not allowlisted fails with the qualify allow hint', async () => {
    await using project = await withBaseline();
    setWorld(script({ 'Question small': 'Main point. [score=9,8]' }));
    const run = await project.vitest(['run', '--project', 'eval'], { ...providerEnv(fake), ...candidate });
    expect(run.code).toBe(1);
    const card = await project.scorecard();
    expect(card.cases.find((c) => c.id === 'small-drop')).toMatchObject({
      status: 'fail',
      points: 88,
      delta: -2,
    });
    expect(run.stdout + run.stderr).toContain('qualify allow small-drop --reason');
  });

  test('the same drop allowlisted for the candidate: review, exit 0', async () => {
    await using project = await withBaseline({
      'eval/allowlist.yaml': `- case: small-drop
  model: openai:model-b
  reason: "Terser tone; the main point is intact."
  author: "Dana Reviewer <dana@example.com>"
  date: 2026-11-20
`,
    });
    setWorld(script({ 'Question small': 'Main point. [score=9,8]' }));
    const run = await project.vitest(['run', '--project', 'eval'], { ...providerEnv(fake), ...candidate });
    expect(run.code, run.stdout).toBe(0);
    const card = await project.scorecard();
    expect(card.verdict).toBe('review');
    expect(card.cases.find((c) => c.id === 'small-drop')?.status).toBe('allowlisted');
  });

  test('QUALIFY_TAGS and QUALIFY_NODE scope a run; -t filters by case id', async () => {
    await using project = await evalProject({ 'rubric.yaml': RUBRIC, 'eval/cases.yaml': CASES });
    setWorld(script({}));
    const tagged = await project.vitest(['run', '--project', 'eval'], {
      ...providerEnv(fake),
      QUALIFY_TAGS: 'billing',
    });
    expect(tagged.code, tagged.stdout).toBe(0);
    expect((await project.scorecard()).cases.map((c) => c.id)).toEqual(['steady', 'small-drop']);
    const node = await project.vitest(['run', '--project', 'eval'], {
      ...providerEnv(fake),
      QUALIFY_NODE: 'repair',
    });
    expect(node.code, node.stdout).toBe(0);
    expect((await project.scorecard()).cases.map((c) => c.id)).toEqual(['outage']);
    const named = await project.vitest(['run', '--project', 'eval', '-t', 'big-drop'], providerEnv(fake));
    expect(named.code, named.stdout).toBe(0);
    expect((await project.scorecard()).cases.map((c) => c.id)).toEqual(['big-drop']);
  });

  test('a new case is gated by its minimum only', async () => {
    await using project = await withBaseline();
    await project.write(
      'eval/cases.yaml',
      `${CASES}  - id: fresh\n    input: "Question fresh"\n    criteria: [{ id: c, text: "C" }]\n`,
    );
    setWorld(script({}));
    const run = await project.vitest(['run', '--project', 'eval'], { ...providerEnv(fake), ...candidate });
    expect(run.code).toBe(0);
    const card = await project.scorecard();
    expect(card.cases.find((c) => c.id === 'fresh')?.status).toBe('new');
    expect(card.cases_added).toEqual(['fresh']);
  });

  test('a provider outage on some cases is an error, never a regression', async () => {
    await using project = await withBaseline();
    setWorld(script({}));
    fake.on(
      {
        api: 'openai.chat',
        model: 'model-b',
        where: (r) => JSON.stringify(r.body).includes('Question outage'),
      },
      { fault: { kind: 'status', status: 503 } },
    );
    try {
      const run = await project.vitest(['run', '--project', 'eval'], { ...providerEnv(fake), ...candidate });
      expect(run.code).toBe(1);
      const card = await project.scorecard();
      expect(card.verdict).toBe('error');
      const outage = card.cases.find((c) => c.id === 'outage');
      expect(outage).toMatchObject({
        status: 'error',
        points: null,
        delta: null,
        error: { kind: 'provider' },
      });
      expect(outage?.message).toMatch(/no regression was measured for this case$/);
      expect(card.cases.filter((c) => c.status === 'fail')).toEqual([]);
    } finally {
      fake.reset();
    }
  });

  test('a judge that never returns valid JSON makes the case an error', async () => {
    await using project = await withBaseline();
    setWorld(script({}));
    fake.on(
      {
        api: 'openai.chat',
        model: 'judge-1',
        where: (r) =>
          JSON.stringify(r.body).includes('criteria_scores') &&
          JSON.stringify(r.body).includes('Question big'),
      },
      { text: 'I think it is fine, 9/10' },
    );
    try {
      const run = await project.vitest(['run', '--project', 'eval'], { ...providerEnv(fake), ...candidate });
      expect(run.code).toBe(1);
      const card = await project.scorecard();
      expect(card.verdict).toBe('error');
      expect(card.cases.find((c) => c.id === 'big-drop')).toMatchObject({
        status: 'error',
        error: { kind: 'judge', code: 'E_JUDGE_REPLY' },
      });
    } finally {
      fake.reset();
    }
  });

  test('a baseline edited in the PR head is ignored for the base branch one', async () => {
    await using project = await withBaseline();
    git(project.dir, 'init', '-q', '-b', 'main');
    git(project.dir, 'add', '.');
    git(project.dir, 'commit', '-qm', 'baseline of model A');
    git(project.dir, 'checkout', '-qb', 'model/openai-model-b');
    // The PR lowers big-drop's baseline to hide its regression.
    const card = JSON.parse(await project.read('eval/baseline.json')) as {
      cases: { id: string; points: number }[];
    };
    for (const c of card.cases) if (c.id === 'big-drop') c.points = 70;
    await project.write('eval/baseline.json', JSON.stringify(card));
    git(project.dir, 'commit', '-qam', 'hide it');

    setWorld(script({ 'Question big': 'Worse. [score=7]' }));
    const head = await project.vitest(['run', '--project', 'eval'], { ...providerEnv(fake), ...candidate });
    expect(head.code).toBe(0); // locally, the file is read: the edit "works"...
    const ci = await project.vitest(['run', '--project', 'eval'], {
      ...providerEnv(fake),
      ...candidate,
      GITHUB_BASE_REF: 'main',
      QUALIFY_BASELINE_REF: 'main',
    });
    expect(ci.code).toBe(1); // ...but CI reads the base branch's baseline
    const scored = await project.scorecard();
    expect(scored.baseline).toEqual({ kind: 'git', ref: 'main', path: 'eval/baseline.json' });
    expect(scored.cases.find((c) => c.id === 'big-drop')).toMatchObject({
      status: 'fail',
      baseline_points: 90,
    });
  });

  test(
    'a 4-way sharded run merges into the same scorecard as an unsharded one',
    { timeout: 400_000 },
    async () => {
      // Eight case files, so four shards each get two.
      const split: Record<string, string> = { 'rubric.yaml': `${RUBRIC}cases: ["eval/cases/*.yaml"]\n` };
      for (let i = 0; i < 8; i++) {
        split[`eval/cases/part-${i}.yaml`] =
          `cases:\n  - id: c${i}\n    input: "Question ${i}"\n    criteria: [{ id: k, text: "K" }]\n`;
      }
      await using project = await evalProject(split);
      setWorld({ answers: {} });
      const whole = await project.vitest(['run', '--project', 'eval'], providerEnv(fake));
      expect(whole.code, whole.stdout + whole.stderr).toBe(0);
      const unsharded = await project.scorecard();
      await rm(`${project.dir}/eval/out`, { recursive: true });

      for (let i = 1; i <= 4; i++) {
        const shard = await project.vitest(
          ['run', '--project', 'eval', `--shard=${i}/4`, '--reporter=blob'],
          providerEnv(fake),
        );
        expect(shard.code, shard.stderr).toBe(0);
      }
      expect(existsSync(`${project.dir}/eval/out/scorecard.json`)).toBe(false); // a shard writes and gates nothing
      const merged = await project.vitest(['run', '--project', 'eval', '--merge-reports'], providerEnv(fake));
      expect(merged.code, merged.stderr).toBe(0);
      expect(stable(await project.scorecard())).toEqual(stable(unsharded));
      expect(unsharded.cases).toHaveLength(8);
    },
  );
});
