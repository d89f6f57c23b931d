/**
 * The judge cannot drift unseen (docs/scoring.md "When the judge changes"): real Vitest against the
 * fake provider, a baseline made by a first run, then a run with the judge, a criterion or the
 * judge's behaviour changed.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startFakeProvider, type FakeProvider } from '../fake-provider/index.js';
import { evalResponder, type EvalScript } from '../fake-provider/eval-responder.js';
import { evalProject, providerEnv, type EvalProject } from './harness.js';

const rubric = (judge: string) => `model_primary: openai:model-a
judge: openai:${judge}
embeddings: openai:embed-1
system_prompt: Answer briefly.
judge_samples: 1
thresholds: { rubric_min_score: 0.6, ragas: 0.5, max_per_case_regression: 3 }
providers: { openai: { max_retries: 1, timeout_s: 5 } }
`;

const CASES = `cases:
  - id: steady
    input: "Question steady"
    criteria: [{ id: correct, text: "Correct" }]
  - id: other
    input: "Question other"
    criteria: [{ id: correct, text: "Correct" }]
  - id: third
    input: "Question third"
    criteria: [{ id: correct, text: "Correct" }]
`;

/** Model A answers at 9; model B says it in other words, also at 9 (so its judge calls are told apart). */
const ANSWERS: EvalScript = {
  answers: {
    'Question steady': 'Steady A. [score=9]',
    'Question other': 'Other A. [score=9]',
    'Question third': 'Third A. [score=9]',
  },
  byModel: {
    'model-b': {
      'Question steady': 'Steady B. [score=9]',
      'Question other': 'Other B. [score=9]',
      'Question third': 'Third B. [score=9]',
    },
  },
};

let fake: FakeProvider;
let responder = evalResponder(ANSWERS);
beforeAll(async () => {
  fake = await startFakeProvider({ fallback: (req) => responder(req) });
});
afterAll(async () => {
  await fake.close();
});

const candidate = { QUALIFY_MODEL: 'openai:model-b' };

/** A project whose baseline is a real scorecard of model A judged by judge-1. */
async function withBaseline(): Promise<EvalProject> {
  const project = await evalProject({ 'rubric.yaml': rubric('judge-1'), 'eval/cases.yaml': CASES });
  responder = evalResponder(ANSWERS);
  const first = await project.vitest(['run', '--project', 'eval'], providerEnv(fake));
  expect(first.code, first.stdout + first.stderr).toBe(0);
  await project.write('eval/baseline.json', JSON.stringify(await project.scorecard()));
  return project;
}

/** What the judge `model` was asked to grade since request `from`: `<answer> / <criterion text>`, sorted. */
function judged(model: string, from: number): string[] {
  return fake.requests
    .slice(from)
    .filter(
      (r) => r.model === model && JSON.stringify(r.body['response_format'] ?? '').includes('criteria_scores'),
    )
    .map((r) => {
      const messages = r.body['messages'] as { role: string; content: string }[];
      const prompt = messages.filter((m) => m.role === 'user').at(-1)?.content ?? '';
      const answer = /<agent_output_[0-9a-f]+>\n(.*?) \[score=/.exec(prompt)?.[1] ?? '?';
      const criterion = /- id "correct": (.*)/.exec(prompt)?.[1] ?? '?';
      return `${answer} / ${criterion}`;
    })
    .sort();
}

/** Calls of the agent model `model` since request `from` (the fake's chat calls without a response schema). */
function agentCalls(model: string, from: number): number {
  return fake.requests.slice(from).filter((r) => r.model === model && r.body['response_format'] === undefined)
    .length;
}

describe('the judge cannot drift unseen', { timeout: 180_000 }, () => {
  test('a changed judge model re-judges the stored baseline outputs, and the comparison uses them', async () => {
    await using project = await withBaseline();
    const baseline = JSON.parse(await project.read('eval/baseline.json')) as { scoring?: { judge: string } };
    expect(baseline.scoring?.judge).toBe('openai:judge-1');
    await project.write('rubric.yaml', rubric('judge-2'));
    // The new judge is stricter: 8 where judge-1 gave 9. Against the stored 90 every case would drop 10.
    responder = evalResponder({ ...ANSWERS, judgeOffset: { 'judge-2': -1 } });
    const from = fake.requests.length;
    const run = await project.vitest(['run', '--project', 'eval'], { ...providerEnv(fake), ...candidate });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(judged('judge-2', from)).toEqual([
      'Other A. / Correct',
      'Other B. / Correct',
      'Steady A. / Correct',
      'Steady B. / Correct',
      'Third A. / Correct',
      'Third B. / Correct',
    ]);
    expect(judged('judge-1', from)).toEqual([]);
    const card = await project.scorecard();
    expect(card.verdict).toBe('pass');
    expect(card.rejudge).toEqual({ changed: ['judge'], cases: ['steady', 'other', 'third'] });
    expect(await project.read('eval/out/scorecard.md')).toContain(
      "> Scoring changed since the baseline (judge): the baseline's stored outputs of 3 cases were judged again with today's judge and criteria, and compared with that.",
    );
    expect(card.drift).toBeUndefined();
    const steady = card.cases.find((c) => c.id === 'steady');
    expect(steady).toMatchObject({
      status: 'pass',
      points: 80,
      baseline_points: 80,
      delta: 0,
      rejudged: { scores: [80], mean: 80, sd: 0, stored: 90 },
      message:
        "scored 80.0 points (80.0 -> 80.0, +0.0); baseline re-judged with today's judge/rubric (90.0 as stored)",
    });
    expect(card.scoring).toMatchObject({
      judge: 'openai:judge-2',
      embeddings: 'openai:embed-1',
      judge_samples: 1,
    });
  });

  test('a changed criterion text re-judges that case only, with the new text', async () => {
    await using project = await withBaseline();
    await project.write(
      'eval/cases.yaml',
      CASES.replace(
        'input: "Question other"\n    criteria: [{ id: correct, text: "Correct" }]',
        'input: "Question other"\n    criteria: [{ id: correct, text: "Correct and brief" }]',
      ),
    );
    responder = evalResponder(ANSWERS);
    const from = fake.requests.length;
    const run = await project.vitest(['run', '--project', 'eval'], {
      ...providerEnv(fake),
      ...candidate,
    });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(judged('judge-1', from)).toEqual([
      'Other A. / Correct and brief',
      'Other B. / Correct and brief',
      'Steady B. / Correct',
      'Third B. / Correct',
    ]);
    const card = await project.scorecard();
    expect(card.rejudge).toEqual({ changed: ['criteria'], cases: ['other'] });
    const other = card.cases.find((c) => c.id === 'other');
    expect(other).toMatchObject({ baseline_points: 90, rejudged: { scores: [90], stored: 90 } });
    expect(other?.message).toContain("baseline re-judged with today's judge/rubric");
    expect(card.cases.find((c) => c.id === 'steady')?.rejudged).toBeUndefined();
    expect(other?.rubric_hash).not.toBe(card.cases.find((c) => c.id === 'third')?.rubric_hash);
  });

  test('a baseline with no stored outputs to re-judge refuses in one line, exit 2', async () => {
    await using project = await withBaseline();
    const card = JSON.parse(await project.read('eval/baseline.json')) as { cases: { outputs?: unknown }[] };
    for (const c of card.cases) delete c.outputs;
    await project.write('eval/baseline.json', JSON.stringify(card));
    await project.write('rubric.yaml', rubric('judge-2'));
    const from = fake.requests.length;
    const run = await project.vitest(['run', '--project', 'eval'], { ...providerEnv(fake), ...candidate });
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      'vitest-qualify: eval/baseline.json: the judge changed (openai:judge-1 -> openai:judge-2) since the baseline was made, and the baseline keeps no outputs of 3 cases (steady, other, third) to judge again with it: re-make the baseline on the base branch with the current judge and criteria (run the qualification there, then `qualify promote` its scorecard), or revert the change',
    ]);
    expect(fake.requests.length).toBe(from);
  });

  test('a judge that scores the same outputs 10 points lower: verdict error, naming the drift', async () => {
    await using project = await withBaseline();
    // Same judge name; behind it, a judge that gives 8 where it gave 9.
    responder = evalResponder({ ...ANSWERS, judgeOffset: { 'judge-1': -1 } });
    const from = fake.requests.length;
    const run = await project.vitest(['run', '--project', 'eval'], { ...providerEnv(fake), ...candidate });
    expect(run.code).toBe(1);
    // The probe judged the three stored baseline outputs again: one judge call each on model A's answers
    // beyond those of model A's own confirmation trials (every case dropped 10 points, so it was confirmed).
    const onA = judged('judge-1', from).filter((j) => / A\. \//.test(j));
    expect(onA.length - agentCalls('model-a', from)).toBe(3);
    expect([...new Set(onA)]).toEqual(['Other A. / Correct', 'Steady A. / Correct', 'Third A. / Correct']);
    const card = await project.scorecard();
    expect(card.verdict).toBe('error');
    const message =
      "the judge openai:judge-1 scores the baseline's stored outputs 10.0 points lower than when the baseline was made (3 stored baseline outputs judged again; more than the 2.0-point limit of its noise): a pinned alias can change behind its name: pin a dated snapshot, or re-make the baseline";
    expect(card.drift).toEqual({ checked: 3, mean_shift: -10, se: 0, drifted: true, message });
    expect(await project.read('eval/out/scorecard.md')).toContain(`> **The judge drifted:** ${message}.`);
    expect(card.rejudge).toBeUndefined();
    expect(run.stderr).toContain(`vitest-qualify: ${message}`);
  });

  test('an unchanged judge: the probe finds no drift and the verdict stands', async () => {
    await using project = await withBaseline();
    responder = evalResponder(ANSWERS);
    const run = await project.vitest(['run', '--project', 'eval'], { ...providerEnv(fake), ...candidate });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const card = await project.scorecard();
    expect(card.verdict).toBe('pass');
    expect(card.drift).toMatchObject({ checked: 3, mean_shift: 0, se: 0, drifted: false });
  });

  test('no judge credentials (an offline run in auto mode): no probe, and the cassettes answer it all', async () => {
    await using project = await evalProject({ 'rubric.yaml': rubric('judge-1'), 'eval/cases.yaml': CASES });
    responder = evalResponder(ANSWERS);
    const recorded = await project.vitest(['run', '--project', 'eval'], {
      ...providerEnv(fake),
      QUALIFY_CACHE: 'record',
    });
    expect(recorded.code, recorded.stdout + recorded.stderr).toBe(0);
    await project.write('eval/baseline.json', JSON.stringify(await project.scorecard()));
    const from = fake.requests.length;
    const run = await project.vitest(['run', '--project', 'eval'], {
      OPENAI_BASE_URL: fake.openaiBaseURL,
      QUALIFY_CACHE: 'auto',
    });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const card = await project.scorecard();
    expect([card.verdict, card.drift, card.rejudge]).toEqual(['pass', undefined, undefined]);
    expect(fake.requests.length - from).toBe(0);
  });
});
