/**
 * The noise-aware gate end to end (issue 13): real Vitest, the fake provider's eval world with seeded
 * agent and judge noise, a baseline written by model A's own run, model B qualified against it.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Scorecard, ScorecardCase } from '../../src/scorecard/types.js';
import { evalResponder, type EvalScript } from '../fake-provider/eval-responder.js';
import { startFakeProvider, type FakeProvider } from '../fake-provider/index.js';
import { evalProject, providerEnv, type EvalProject } from './harness.js';

const CASES = 12;

/** gpt-5 takes no logprobs (the judge's samples decide); gpt-4.1 does (the G-Eval weighting decides). */
function rubric(judge: 'openai:gpt-5' | 'openai:gpt-4.1'): string {
  return `model_primary: openai:model-a
judge: ${judge}
embeddings: openai:embed-1
system_prompt: Answer briefly.
judge_samples: 3
repeats: 3
drift_probe: 0
thresholds: { rubric_min_score: 0.1, ragas: 0.1, max_per_case_regression: 3 }
providers: { openai: { max_retries: 0, timeout_s: 10 } }
`;
}

const CASE_FILE = `cases:\n${Array.from(
  { length: CASES },
  (_, i) => `  - id: case-${i}
    input: "Question ${i}"
    criteria:
      - { id: correct, text: "Answers correctly" }
      - { id: complete, text: "Covers the question" }
`,
).join('')}`;

/** Model A's answers, qualities 7.2 to 9.4; model B's differ by the drops asked for (points, per case). */
function world(drops: Record<number, number>, extra: Partial<EvalScript> = {}): EvalScript {
  const answers: Record<string, string> = {};
  const b: Record<string, string> = {};
  for (let i = 0; i < CASES; i++) {
    const quality = 7.2 + (i % 12) * 0.2;
    answers[`Question ${i}`] = `Answer ${i}. [score=${quality.toFixed(1)}]`;
    b[`Question ${i}`] = `Answer ${i}. [score=${(quality - (drops[i] ?? 0) / 10).toFixed(2)}]`;
  }
  return { answers, byModel: { 'model-b': b }, ...extra };
}

let fake: FakeProvider;
let responder = evalResponder(world({}));
beforeAll(async () => {
  fake = await startFakeProvider({ fallback: (req) => responder(req) });
});
afterAll(async () => {
  await fake.close();
});

/** A project whose baseline is model A's own scorecard in `script`'s world. */
async function qualified(judge: 'openai:gpt-5' | 'openai:gpt-4.1', script: EvalScript): Promise<EvalProject> {
  const project = await evalProject({ 'rubric.yaml': rubric(judge), 'eval/cases.yaml': CASE_FILE });
  responder = evalResponder(script);
  const first = await project.vitest(['run', '--project', 'eval'], providerEnv(fake));
  expect(first.code, first.stdout + first.stderr).toBe(0);
  await project.write('eval/baseline.json', JSON.stringify(await project.scorecard()));
  return project;
}

async function candidateRun(project: EvalProject, script: EvalScript) {
  responder = evalResponder(script);
  const run = await project.vitest(['run', '--project', 'eval'], {
    ...providerEnv(fake),
    QUALIFY_MODEL: 'openai:model-b',
  });
  return { run, card: (await project.scorecard()) as Scorecard };
}

const byId = (card: Scorecard, id: string) => card.cases.find((c) => c.id === id) as ScorecardCase;
const NOISY = { seed: 11, agent: { down: 0.15, up: 0.15 }, judge: { down: 0.1, up: 0.1 } };

describe('the noise-aware gate, end to end', { timeout: 240_000 }, () => {
  test('an unchanged model under agent and judge noise passes: its first-pass drops are noise', async () => {
    await using project = await qualified('openai:gpt-5', world({}, { noise: { ...NOISY, seed: 11 } }));
    const { run, card } = await candidateRun(project, world({}, { noise: { ...NOISY, seed: 12 } }));
    expect(run.code, run.stderr).toBe(0);
    expect(card.verdict).toBe('pass');
    // The noise is real: some cases scored more than the 3-point budget below the baseline in the first
    // pass, which the gate of every drop counts would have failed.
    const dropped = card.cases.filter((c) => (c.delta ?? 0) < -3);
    expect(dropped.length).toBeGreaterThan(0);
    for (const c of dropped) {
      expect(c.status).toBe('pass');
      expect(c.confirmed).toBe(false);
      expect(c.message).toMatch(/^dropped \d+\.\d points.*(not confirmed|cleared as noise)/);
    }
    expect(card.statistics).toMatchObject({ level: 0.05, compared: CASES, confirmed: 0 });
    expect(card.statistics?.noise.df).toBeGreaterThan(0);
    expect(card.statistics?.mean_delta?.n).toBe(CASES);
  });

  test('a case truly 15 points worse fails, named with its interval and the fresh trials that confirm it', async () => {
    const noise = { seed: 21, judge: { down: 0.1, up: 0.1 } };
    await using project = await qualified('openai:gpt-5', world({}, { noise }));
    const { run, card } = await candidateRun(project, world({ 3: 15 }, { noise: { ...noise, seed: 22 } }));
    expect(run.code).toBe(1);
    expect(card.verdict).toBe('fail');
    const worse = byId(card, 'case-3');
    expect(worse).toMatchObject({ status: 'fail', confirmed: true });
    expect(worse.confirmation).toMatchObject({
      stage: 'tested',
      baseline: { source: 'model', model: 'openai:model-a' },
    });
    expect(worse.confirmation?.candidate?.n).toBe(8);
    expect(worse.message).toMatch(
      /^regressed \d+\.\d points \(\d+\.\d -> \d+\.\d\) \(confirmed by 8 fresh trials against 8 of the baseline model openai:model-a, p [<=] [\d.]+, 95 % interval \[\d+\.\d, \d+\.\d\]\), more than the 3-point budget/,
    );
    expect(card.cases.filter((c) => c.status === 'fail').map((c) => c.id)).toEqual(['case-3']);
    expect(run.stderr).toContain('fail case-3: regressed');
    const markdown = await project.read('eval/out/scorecard.md');
    expect(markdown).toContain('### Confirmed drops');
    expect(markdown).toContain('Answer 3.');
  });

  test('a confirmed small drop takes the allowlist path: not allowlisted it fails, allowlisted it needs review', async () => {
    // A judge with logprobs: the weighted scores jitter a little around the true quality.
    const noise = { seed: 31, logprobSpread: 0.2 };
    await using project = await qualified('openai:gpt-4.1', world({}, { noise }));
    const drop = world({ 5: 2 }, { noise: { ...noise, seed: 32 } });
    const untracked = await candidateRun(project, drop);
    expect(untracked.card.verdict).toBe('fail');
    const small = byId(untracked.card, 'case-5');
    expect(small).toMatchObject({ status: 'fail', confirmed: true });
    expect(small.confirmation?.drop).toBeGreaterThan(0);
    expect(small.confirmation?.drop).toBeLessThanOrEqual(3);
    expect(small.message).toContain(
      'within the 3-point budget but not allowlisted: document it with `qualify allow case-5',
    );

    await project.write(
      'eval/allowlist.yaml',
      `- case: case-5
  model: openai:model-b
  max_drop: 3
  reason: "Terser on purpose."
  author: "Dana Reviewer <dana@example.com>"
  date: 2026-11-20
`,
    );
    const reviewed = await candidateRun(project, drop);
    expect(reviewed.run.code, reviewed.run.stderr).toBe(0);
    expect(reviewed.card.verdict).toBe('review');
    expect(byId(reviewed.card, 'case-5')).toMatchObject({ status: 'allowlisted', confirmed: true });
  });

  test('a baseline model that is gone: the stored trial statistics stand in, and the scorecard says so', async () => {
    const noise = { seed: 41, judge: { down: 0.1, up: 0.1 } };
    await using project = await qualified('openai:gpt-5', world({}, { noise }));
    const { card } = await candidateRun(
      project,
      world({ 7: 20 }, { noise: { ...noise, seed: 42 }, gone: ['model-a'] }),
    );
    expect(card.verdict, JSON.stringify(card.cases.filter((c) => c.error).map((c) => c.error))).toBe('fail');
    const worse = byId(card, 'case-7');
    expect(worse).toMatchObject({ status: 'fail', confirmed: true });
    expect(worse.confirmation?.baseline).toMatchObject({ source: 'stored', n: 3, model: 'openai:model-a' });
    expect(worse.confirmation?.baseline?.note).toMatch(
      /^the baseline model could not be called \(.*404.*\): compared with the baseline's stored trials/,
    );
    expect(worse.message).toContain("against the baseline's 3 stored trials");
    expect(card.statistics?.stored_fallback).toContain('case-7');
  });
});
