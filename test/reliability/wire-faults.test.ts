/**
 * Answers that arrive but cannot be used: a stream cut short, a body that is
 * not JSON, a completion with no choices, a refusal. Each is the error of its
 * own case, with a message that says what happened; the other cases score.
 * One real Vitest run: a prompt-mode subject, and a subject whose agent streams.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Scorecard } from '../../src/scorecard/types.js';
import { evalResponder } from '../fake-provider/eval-responder.js';
import { startFakeProvider, type FakeProvider, type Reply } from '../fake-provider/index.js';
import { evalProject, providerEnv } from '../e2e/harness.js';
import { capped, withoutSeconds } from './world.js';

const RUBRIC = `model_primary: openai:model-a
judge: openai:judge-1
judge_samples: 1
thresholds: { rubric_min_score: 0.5 }
providers: { openai: { max_retries: 1, timeout_s: 10 } }
second_pass: { cool_down_s: 0.5 }
subjects:
  prompt: { cases: eval/prompt.yaml }
  streaming: { entry: agents/stream.ts, cases: eval/stream.yaml }
`;
const cases = (...ids: string[]) =>
  `cases:\n${ids.map((id) => `  - id: ${id}\n    input: "Question ${id}"\n    criteria: [{ id: c, text: "C" }]\n`).join('')}`;
/** An agent that streams its answer. */
const STREAMING_AGENT = `export default async function agent(input: unknown, ctx: { client: { chat(r: object): Promise<{ choices: { text: string }[] }> } }) {
  const response = await ctx.client.chat({ messages: [{ role: 'user', content: String(input) }], stream: true });
  return response.choices[0]?.text ?? '';
}
`;

/** What the agent's model answers, by case. */
const FAULTS: Record<string, Reply> = {
  'malformed-json': { fault: { kind: 'malformed' } },
  'empty-choices': { fault: { kind: 'empty-choices' } },
  refusal: { refusal: 'I can’t help with that request.' },
  'truncated-stream': { fault: { kind: 'truncated-stream' } },
  'malformed-event': { fault: { kind: 'malformed' } },
};

let fake: FakeProvider;
beforeAll(async () => {
  fake = await startFakeProvider({ fallback: evalResponder() });
  for (const [id, reply] of Object.entries(FAULTS)) {
    fake.on({ model: 'model-a', where: (r) => JSON.stringify(r.body).includes(`Question ${id}"`) }, reply);
  }
});
afterAll(async () => {
  await fake.close();
});

const errorOf = (card: Scorecard, id: string) => {
  const error = card.cases.find((c) => c.id === id)?.error;
  return error && { ...error, message: withoutSeconds(error.message) };
};

test(
  'a truncated stream, a malformed body, an empty choice list and a refusal: each a clear error of its own case',
  { timeout: 300_000 },
  async () => {
    await using project = await evalProject({
      'rubric.yaml': RUBRIC,
      'eval/prompt.yaml': cases('malformed-json', 'empty-choices', 'refusal', 'fine'),
      'eval/stream.yaml': cases('truncated-stream', 'malformed-event', 'fine-stream'),
      'agents/stream.ts': STREAMING_AGENT,
    });
    const run = await project.vitest(['run', '--project', 'eval'], providerEnv(fake));
    expect(run.code).toBe(1);
    expect(`${run.stdout}\n${run.stderr}`.split('\n').filter((l) => l.startsWith('    at '))).toEqual([]);
    const card = await project.scorecard();
    expect(card.verdict).toBe('error');
    expect(Object.fromEntries(card.cases.map((c) => [c.id, c.status]))).toEqual({
      'malformed-json': 'error',
      'empty-choices': 'error',
      refusal: 'error',
      fine: 'new',
      'truncated-stream': 'error',
      'malformed-event': 'error',
      'fine-stream': 'new',
    });
    const unusable = (why: string) => ({
      kind: 'provider',
      code: 'E_PROVIDER_RESPONSE',
      message: `the agent: openai:model-a sent an unusable response (${why}); retry, and check that the base URL points at the openai API${capped('openai', 1)}`,
    });
    expect(errorOf(card, 'malformed-json')).toEqual(unusable('SyntaxError: Unexpected end of JSON input'));
    expect(errorOf(card, 'empty-choices')).toEqual(unusable('a 200 with no choices'));
    expect(errorOf(card, 'refusal')).toEqual({
      kind: 'provider',
      code: 'E_MODEL_REFUSAL',
      message: 'the agent: openai:model-a refused: I can’t help with that request.',
    });
    expect(errorOf(card, 'truncated-stream')).toEqual(unusable('stream ended early, without finish_reason'));
    // V8's own words for the bad event; Node 22 adds where it is as line and column.
    const position = process.versions.node.split('.')[0] === '20' ? '' : ' (line 1 column 38)';
    expect(errorOf(card, 'malformed-event')).toEqual(
      unusable(`SyntaxError: Expected property name or '}' in JSON at position 37${position}`),
    );
    // Each fault was retried once (max_retries: 1) before it became the case's error, on each of the case's two
    // passes (the second pass, docs/guarantees.md); a refusal is an answer, not retried and not run again.
    expect(fake.stats.faults).toEqual({ malformed: 8, 'empty-choices': 4, 'truncated-stream': 4 });
  },
);
