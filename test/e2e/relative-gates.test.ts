/**
 * Relative gates end to end (docs/scoring.md "Relative gates"): a candidate that scores the same as
 * the baseline but costs 40 % more fails a 20 % cost gate; with the gates off it passes; a sharded
 * run's merge computes the same gates from the merged per-case results.
 */
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startFakeProvider, type FakeProvider } from '../fake-provider/index.js';
import { evalResponder } from '../fake-provider/eval-responder.js';
import { evalProject, providerEnv, type EvalProject } from './harness.js';

/** model-b is priced 40 % above model-a; the judge is priced too, and dearer, so counting it would show. */
const RUBRIC = `model_primary: openai:model-a
judge: openai:judge-1
embeddings: openai:embed-1
system_prompt: Answer briefly.
judge_samples: 1
thresholds: { rubric_min_score: 0.6, ragas: 0.5, max_per_case_regression: 3 }
providers: { openai: { max_retries: 1, timeout_s: 5 } }
prices:
  "openai:model-a": { input_per_mtok: 1, output_per_mtok: 10 }
  "openai:model-b": { input_per_mtok: 1.4, output_per_mtok: 14 }
  "openai:judge-1": { input_per_mtok: 5, output_per_mtok: 50 }
cases: ["eval/cases/*.yaml"]
`;
const GATES = `relative_gates:
  cost_per_case: { max_increase: "20%" }
  cost_total: { max_increase: "50%", on_exceed: review }
  output_tokens: { max_increase: 10 }
`;
/** Measured on loopback in milliseconds, so its spread is wide: it can ask for review, never fail. */
const LATENCY = `  latency_p95: { max_increase: "100%", on_exceed: review }
`;

/** Six case files (so two shards get three each), the same answer from either model. */
function files(rubric: string): Record<string, string> {
  const out: Record<string, string> = { 'rubric.yaml': rubric };
  for (let i = 0; i < 6; i++) {
    out[`eval/cases/part-${i}.yaml`] =
      `cases:\n  - id: c${i}\n    input: "Question ${i}"\n    criteria: [{ id: k, text: "K" }]\n`;
  }
  return out;
}

let fake: FakeProvider;
beforeAll(async () => {
  const respond = evalResponder({ answers: {} });
  fake = await startFakeProvider({ fallback: (req) => respond(req) });
});
afterAll(async () => {
  await fake.close();
});

/** A project whose baseline is a real scorecard of model-a. */
async function withBaseline(rubric: string): Promise<EvalProject> {
  const project = await evalProject(files(rubric));
  const first = await project.vitest(['run', '--project', 'eval'], providerEnv(fake));
  expect(first.code, first.stdout + first.stderr).toBe(0);
  await project.write('eval/baseline.json', JSON.stringify(await project.scorecard()));
  return project;
}

const candidate = { QUALIFY_MODEL: 'openai:model-b' };

describe('relative gates', { timeout: 300_000 }, () => {
  test('the same scores at 40 % more cost fail the 20 % cost gate; the gates off, the run passes', async () => {
    await using project = await withBaseline(RUBRIC + GATES + LATENCY);
    const run = await project.vitest(['run', '--project', 'eval'], { ...providerEnv(fake), ...candidate });
    const card = await project.scorecard();
    expect(card.cases.map((c) => [c.id, c.status, c.delta])).toEqual(
      [0, 1, 2, 3, 4, 5].map((i) => [`c${i}`, 'pass', 0]),
    );
    const byName = Object.fromEntries((card.relative_gates ?? []).map((g) => [g.name, g]));
    expect(byName['cost_per_case']).toMatchObject({
      status: 'fail',
      increase: 0.4,
      interval: [0.4, 0.4],
      cases: 6,
    });
    expect(byName['cost_total']).toMatchObject({ status: 'pass', increase: 0.4 });
    expect(byName['output_tokens']).toMatchObject({ status: 'pass', increase: 0 });
    expect(byName['latency_p95']!.cases).toBe(6); // live agent calls on both sides
    expect(['pass', 'review']).toContain(byName['latency_p95']!.status);
    expect(card.subjects['agent']!.relative_gates).toEqual(card.relative_gates);
    expect([card.verdict, card.subjects['agent']!.verdict, run.code]).toEqual(['fail', 'fail', 1]);
    expect(run.stderr).toMatch(
      /relative gate agent\.cost_per_case fail: \+40\.0 % \(90 % interval \+40\.0 %\.\.\+40\.0 %\), over the \+20\.0 % budget/,
    );
    const markdown = await project.read('eval/out/scorecard.md');
    expect(markdown).toContain('| agent | cost_per_case | $0.000');
    expect(markdown).toContain('| +40.0 % (+40.0 %..+40.0 %) | +20.0 % | **fail** over 6 cases |');

    await project.write('rubric.yaml', RUBRIC);
    const off = await project.vitest(['run', '--project', 'eval'], { ...providerEnv(fake), ...candidate });
    expect(off.code, off.stderr).toBe(0);
    const passed = await project.scorecard();
    expect([passed.verdict, 'relative_gates' in passed]).toEqual(['pass', false]);
  });

  test('a 2-way sharded run merges into the same relative gates as an unsharded one', async () => {
    await using project = await withBaseline(RUBRIC + GATES.replace('"20%"', '"50%"'));
    const whole = await project.vitest(['run', '--project', 'eval'], { ...providerEnv(fake), ...candidate });
    expect(whole.code, whole.stderr).toBe(0);
    const unsharded = (await project.scorecard()).relative_gates!;
    await rm(`${project.dir}/eval/out`, { recursive: true });
    for (let i = 1; i <= 2; i++) {
      const shard = await project.vitest(['run', '--project', 'eval', `--shard=${i}/2`, '--reporter=blob'], {
        ...providerEnv(fake),
        ...candidate,
      });
      expect(shard.code, shard.stderr).toBe(0);
    }
    const merged = await project.vitest(['run', '--project', 'eval', '--merge-reports'], {
      ...providerEnv(fake),
      ...candidate,
    });
    expect(merged.code, merged.stderr).toBe(0);
    const gates = (await project.scorecard()).relative_gates!;
    expect(gates).toEqual(unsharded);
    expect(gates.map((g) => [g.name, g.status])).toEqual([
      ['cost_per_case', 'pass'],
      ['cost_total', 'pass'],
      ['output_tokens', 'pass'],
    ]);
  });
});
