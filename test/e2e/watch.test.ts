import { afterAll, beforeAll, expect, test } from 'vitest';
import { startFakeProvider, type FakeProvider } from '../fake-provider/index.js';
import { evalResponder } from '../fake-provider/eval-responder.js';
import { evalProject, providerEnv } from './harness.js';

const RUBRIC = `model_primary: openai:model-a
judge: openai:judge-1
system_prompt: Answer briefly.
judge_samples: 1
thresholds: { rubric_min_score: 0.6 }
`;
const cases = (second: string) => `cases:
  - id: one
    input: "Question one"
    criteria: [{ id: c, text: "Correct" }]
  - id: two
    input: "${second}"
    criteria: [{ id: c, text: "Correct" }]
  - id: three
    input: "Question three"
    criteria: [{ id: c, text: "Correct" }]
`;

let fake: FakeProvider;
beforeAll(async () => {
  fake = await startFakeProvider({ fallback: evalResponder({}) });
});
afterAll(async () => {
  await fake.close();
});

test('watch mode: editing one case re-runs only that case', { timeout: 300_000 }, async () => {
  await using project = await evalProject({
    'rubric.yaml': RUBRIC,
    'eval/cases.yaml': cases('Question two'),
  });
  const env = { ...providerEnv(fake), QUALIFY_CACHE: 'auto', CI: '' };
  const watch = project.start(['watch', '--project', 'eval'], env);
  try {
    await watch.waitFor('qualify  PASS');
    expect(fake.stats.byApi['openai.chat']).toBe(6); // 3 agent + 3 judge calls

    const before = watch.output().length;
    await project.write('eval/cases.yaml', cases('Question two, edited'));
    await watch.waitFor('qualify  PASS', 2);
    // One verdict per edit, printed after the edited case ran: Vitest's own (filtered, empty) re-run of
    // the file prints none.
    const after = watch.output().slice(before);
    const rerun = after.indexOf('vitest-qualify: re-running 1 edited case(s): two');
    expect(rerun).toBeGreaterThanOrEqual(0);
    expect(after.indexOf('qualify  PASS')).toBeGreaterThan(rerun);
    // Its output is piped (not a terminal), yet watch mode is interactive use: no progress lines.
    expect(watch.output()).not.toMatch(/ qualify {2}\d+\/\d+ cases:/);
    const chats = fake.requests.slice(6).filter((r) => r.api === 'openai.chat');
    expect(chats.map((r) => r.model)).toEqual(['model-a', 'judge-1']);
    expect(JSON.stringify(chats[0]?.body)).toContain('Question two, edited');
    // The scorecard still has all three cases: the others kept their last result.
    const card = await project.scorecard();
    expect(card.cases.map((c) => [c.id, c.status])).toEqual([
      ['one', 'new'],
      ['two', 'new'],
      ['three', 'new'],
    ]);
  } finally {
    await watch.stop();
  }
});
