/**
 * The second pass through real Vitest: a case whose agent call still failed after its retries runs
 * once more after every other case of its group and a cool-down; a permanent error does not; a case
 * that fails again stays an error, said so. Counted in the scorecard, the markdown and the terminal.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { evalResponder } from '../fake-provider/eval-responder.js';
import { startFakeProvider, type FakeProvider, type RecordedRequest } from '../fake-provider/index.js';
import { caseIds, manyCases, question, rubric, worldScript } from '../reliability/world.js';
import { evalProject, providerEnv } from './harness.js';

const N = 8;
const COOL_DOWN_S = 1.5;
const BASELINE = JSON.stringify({
  schema: 'vitest-qualify/scorecard@1',
  model: 'openai:model-a',
  cases: caseIds(N).map((id) => ({ id, points: 40 })),
});
const UNAVAILABLE = { fault: { kind: 'status', status: 503, message: 'Service unavailable' } } as const;
const BAD_REQUEST = { fault: { kind: 'status', status: 400, message: 'Invalid request' } } as const;

let fake: FakeProvider;
beforeAll(async () => {
  fake = await startFakeProvider({ fallback: evalResponder(worldScript(N)) });
});
afterEach(() => fake.reset());
afterAll(async () => {
  await fake.close();
});

/** The agent's requests for generated case `i`. */
const agentFor = (i: number) => ({
  api: 'openai.chat' as const,
  model: 'model-a',
  where: (req: RecordedRequest) => JSON.stringify(req.body).includes(`${question(i)}"`),
});

describe('the second pass', { timeout: 120_000 }, () => {
  test('a transient error is run again after the rest and a cool-down; a permanent one is not', async () => {
    await using project = await evalProject({
      // No retries: the first 503 ends a call, so the case errors on its first pass.
      'rubric.yaml': rubric(
        { max_retries: 0, timeout_s: 10 },
        `second_pass: { cool_down_s: ${COOL_DOWN_S} }\n`,
      ),
      'eval/cases.yaml': manyCases(N, { context: false }),
      'eval/baseline.json': BASELINE,
    });
    fake.on(agentFor(2), UNAVAILABLE, { times: 1 }); // recovers on the second pass
    fake.on(agentFor(5), UNAVAILABLE, { times: 2 }); // fails on both passes
    fake.on(agentFor(6), BAD_REQUEST); // permanent: no second pass
    const run = await project.vitest(['run', '--project', 'eval'], providerEnv(fake));
    const card = await project.scorecard();

    expect(run.code, run.stderr).toBe(1);
    expect(card.verdict).toBe('error');
    expect(card.second_pass).toEqual({ errored: 2, recovered: 1, cases: ['case-02', 'case-05'] });
    const byId = new Map(card.cases.map((c) => [c.id, c]));
    expect(byId.get('case-02')).toMatchObject({
      status: 'pass',
      error: null,
      second_pass: {
        recovered: true,
        first_error: { kind: 'provider', code: 'E_PROVIDER_SERVER' },
      },
    });
    // Both passes were paid for: the first pass's failed call got no answer, so only the second's count.
    expect(byId.get('case-02')!.usage.calls).toBe(2);
    expect(byId.get('case-05')).toMatchObject({
      status: 'error',
      error: { code: 'E_PROVIDER_SERVER' },
      second_pass: { recovered: false },
    });
    expect(byId.get('case-05')!.message).toContain(', on the first pass and again on the second;');
    expect(byId.get('case-06')).toMatchObject({ status: 'error', error: { code: 'E_PROVIDER_BAD_REQUEST' } });
    expect(byId.get('case-06')!.second_pass).toBeUndefined();
    expect(card.cases.filter((c) => c.status === 'pass').map((c) => c.id)).toEqual(
      caseIds(N).filter((id) => id !== 'case-05' && id !== 'case-06'),
    );

    // The second attempts came after every other case's last request, and after the cool-down.
    const requests = fake.requests;
    const agentAt = (i: number) => requests.filter((r) => agentFor(i).where(r)).map((r) => r.at);
    expect(agentAt(2)).toHaveLength(2);
    expect(agentAt(5)).toHaveLength(2);
    expect(agentAt(6)).toHaveLength(1);
    const secondPassStart = Math.min(agentAt(2)[1]!, agentAt(5)[1]!);
    const firstPassEnd = Math.max(...requests.filter((r) => r.at < secondPassStart).map((r) => r.at));
    const othersLast = Math.max(
      ...[0, 1, 3, 4, 6, 7].flatMap((i) =>
        requests
          .filter((r) => new RegExp(`${question(i)}(?!\\d)`).test(JSON.stringify(r.body)))
          .map((r) => r.at),
      ),
    );
    expect(othersLast).toBeLessThan(secondPassStart);
    expect(secondPassStart - firstPassEnd).toBeGreaterThanOrEqual(COOL_DOWN_S * 1000 - 50);

    const markdown = await project.read('eval/out/scorecard.md');
    expect(markdown).toContain('2 cases errored on the first pass; the second pass recovered 1.');
    expect(run.stderr).toContain('2 cases errored on the first pass; the second pass recovered 1');
  });

  test('second_pass: { enabled: false } reports the first error', async () => {
    await using project = await evalProject({
      'rubric.yaml': rubric({ max_retries: 0, timeout_s: 10 }, 'second_pass: { enabled: false }\n'),
      'eval/cases.yaml': manyCases(3, { context: false }),
      'eval/baseline.json': BASELINE,
    });
    fake.on(agentFor(1), UNAVAILABLE, { times: 1 });
    const run = await project.vitest(['run', '--project', 'eval'], providerEnv(fake));
    const card = await project.scorecard();
    expect(run.code).toBe(1);
    expect(card.second_pass).toBeUndefined();
    expect(card.cases.map((c) => [c.id, c.status])).toEqual([
      ['case-00', 'pass'],
      ['case-01', 'error'],
      ['case-02', 'pass'],
    ]);
    expect(fake.requests.filter((r) => agentFor(1).where(r))).toHaveLength(1);
  });
  test('each pass has its own case_timeout_s, even when the agent ignores its signal', async () => {
    // An agent that never settles for one question, whatever the signal says; the others answer.
    const agent = `export default async function agent(input: unknown, ctx: { client: { chat(r: object): Promise<{ choices: { text: string }[] }> } }) {
  if (String(input) === 'Question number 1') return new Promise<string>(() => {});
  const response = await ctx.client.chat({ messages: [{ role: 'user', content: String(input) }] });
  return response.choices[0]?.text ?? '';
}
`;
    await using project = await evalProject({
      'rubric.yaml': rubric(
        { max_retries: 0, timeout_s: 10 },
        'agent: agents/hang.ts\ncase_timeout_s: 1.5\nsecond_pass: { cool_down_s: 0.2 }\n',
      ),
      'agents/hang.ts': agent,
      'eval/cases.yaml': manyCases(3, { context: false }),
      'eval/baseline.json': BASELINE,
    });
    const run = await project.vitest(['run', '--project', 'eval'], providerEnv(fake));
    const card = await project.scorecard();
    expect(run.code).toBe(1);
    const hung = card.cases.find((c) => c.id === 'case-01')!;
    expect(hung.error).toEqual({
      kind: 'timeout',
      code: 'E_CASE_TIMEOUT',
      message:
        'the case timed out after 1.5 s (case_timeout_s): raise case_timeout_s in rubric.yaml, or look for a call that hangs',
    });
    expect(hung.second_pass).toEqual({
      first_error: hung.error,
      recovered: false,
    });
    expect(card.cases.map((c) => c.status)).toEqual(['pass', 'error', 'pass']);
    // The message is the pass timer's: Vitest's backstop (2 x 1.5 + 3 + 0.2 + 5 s) would say 'Test timed out in'.
  });
});
