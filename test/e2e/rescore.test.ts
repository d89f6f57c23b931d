import { afterAll, beforeAll, expect, test } from 'vitest';
import { rescore } from '../../src/cli/commands/rescore.js';
import { startFakeProvider, type FakeProvider } from '../fake-provider/index.js';
import { evalResponder } from '../fake-provider/eval-responder.js';
import { fakeIO } from '../unit/cli/io.js';
import { evalProject, providerEnv } from './harness.js';

const RUBRIC = `model_primary: openai:model-a
judge: openai:judge-1
system_prompt: Answer briefly.
judge_samples: 1
thresholds: { rubric_min_score: 0.6 }
`;
const cases = (extra = '') => `cases:
  - id: one
    input: "Question one"
    criteria: [{ id: c, text: "Correct" }]
  - id: two
    input: "Question two"
    criteria: [{ id: c, text: "Correct" }]
${extra}`;

let fake: FakeProvider;
beforeAll(async () => {
  fake = await startFakeProvider({
    fallback: evalResponder({ answers: { 'Question one': 'One. [score=9]' } }),
  });
});
afterAll(async () => {
  await fake.close();
});

test(
  'rescore judges the recorded outputs again without calling the agent model',
  { timeout: 300_000 },
  async () => {
    await using project = await evalProject({ 'rubric.yaml': RUBRIC, 'eval/cases.yaml': cases() });
    const env = { ...providerEnv(fake), QUALIFY_CACHE: 'auto' };
    const first = await project.vitest(['run', '--project', 'eval'], env);
    expect(first.code, first.stdout).toBe(0);

    // A criteria edit, and the agent's model is down: only the judge may be called.
    await project.write(
      'eval/cases.yaml',
      cases().replaceAll(
        'criteria: [{ id: c, text: "Correct" }]',
        'criteria: [{ id: c2, text: "Correct and brief" }]',
      ),
    );
    fake.on({ model: 'model-a' }, { fault: { kind: 'status', status: 500 } });
    try {
      const before = fake.requests.length;
      const io = fakeIO(project.dir, { env });
      const code = await rescore.run({ positionals: [], options: {} }, io);
      expect(code, io.out() + io.err()).toBe(0);
      expect(io.out()).toContain('qualify rescore: re-scoring the recorded outputs of openai:model-a');
      const made = fake.requests.slice(before);
      expect(made.map((r) => r.model)).toEqual(['judge-1', 'judge-1']);
      const card = await project.scorecard();
      expect(card.source.mode).toBe('rescore');
      expect(card.cases.map((c) => c.criteria.map((k) => k.id))).toEqual([['c2'], ['c2']]);

      // A case with no recorded output is an error that names it, not a silent score.
      await project.write(
        'eval/cases.yaml',
        cases('  - id: three\n    input: "Question three"\n    criteria: [{ id: c, text: "C" }]\n'),
      );
      const again = fakeIO(project.dir, { env });
      expect(await rescore.run({ positionals: [], options: {} }, again)).toBe(1);
      const errored = (await project.scorecard()).cases.find((c) => c.id === 'three');
      expect(errored?.status).toBe('error');
      expect(errored?.error?.message).toMatch(/^the agent: No cassette entry for openai:model-a/);
    } finally {
      fake.reset();
    }
  },
);
