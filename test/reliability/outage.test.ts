/**
 * Outages: the agent's provider going down mid-run, and the judge going down
 * alone. Either way the verdict is `error` (never a regression), the
 * scorecard names the errored cases, what was answered is kept in the
 * cassettes, and the recovery run pays only for what is missing.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import type { Scorecard } from '../../src/scorecard/types.js';
import { evalResponder } from '../fake-provider/eval-responder.js';
import { startFakeProvider, type FakeProvider, type RecordedRequest } from '../fake-provider/index.js';
import { evalProject, providerEnv } from '../e2e/harness.js';
import { fakeIO } from '../unit/cli/io.js';
import { checkCassettes, total } from './files.js';
import { capped, caseIds, coldRequests, manyCases, withoutSeconds, worldScript } from './world.js';

const N = 12;
const ANSWERED = 8;
const RUBRIC = `model_primary: anthropic:model-a
judge: openai:judge-1
embeddings: openai:embed-1
system_prompt: Answer briefly.
judge_samples: 1
thresholds: { rubric_min_score: 0.5, ragas: 0.5, max_per_case_regression: 3 }
providers:
  anthropic: { max_retries: 1, timeout_s: 10 }
  openai: { max_retries: 1, timeout_s: 10 }
second_pass: { cool_down_s: 1 }
`;
/** A baseline every case beats, so a scored case passes and only an outage can make the run fail. */
const BASELINE = JSON.stringify({
  schema: 'vitest-qualify/scorecard@1',
  model: 'anthropic:model-a',
  cases: caseIds(N).map((id) => ({ id, points: 40 })),
});
const OUTAGE = { fault: { kind: 'status', status: 503, message: 'Service unavailable' } } as const;
const NO_REGRESSION = 'could not be measured: a provider or the judge failed, so no regression was measured';

/** One world for rules and fallback: it remembers which question each answer was for. */
const world = evalResponder(worldScript(N));
let fake: FakeProvider;
beforeAll(async () => {
  fake = await startFakeProvider({ fallback: world });
});
afterEach(() => fake.reset());
afterAll(async () => {
  await fake.close();
});

const env = () => ({ ...providerEnv(fake), QUALIFY_CACHE: 'auto' });
const args = ['run', '--project', 'eval'];
const project = () =>
  evalProject({ 'rubric.yaml': RUBRIC, 'eval/cases.yaml': manyCases(N), 'eval/baseline.json': BASELINE });

/** The generated cases a request is about (`Question number 7` -> case-07). */
function casesIn(requests: readonly RecordedRequest[]): string[] {
  const ids = new Set<string>();
  for (const req of requests) {
    for (const m of JSON.stringify(req.body).matchAll(/Question number (\d+)\b/g)) {
      ids.add(`case-${m[1]!.padStart(2, '0')}`);
    }
  }
  return [...ids].sort();
}

const withStatus = (card: Scorecard, status: string) =>
  card.cases.filter((c) => c.status === status).map((c) => c.id);

describe('outages', { timeout: 300_000 }, () => {
  test("the agent's provider goes down mid-run: error, errored cases listed, answers kept, the re-run calls only the missing cases", async () => {
    await using p = await project();
    fake.on({ api: 'anthropic.messages' }, world, { times: ANSWERED });
    fake.on({ api: 'anthropic.messages' }, OUTAGE);
    const down = await p.vitest(args, env());
    expect(down.code).toBe(1);
    const card = await p.scorecard();
    expect(card.verdict).toBe('error');
    const errored = withStatus(card, 'error');
    expect(errored).toHaveLength(N - ANSWERED);
    expect(withStatus(card, 'pass')).toHaveLength(ANSWERED);
    expect(withStatus(card, 'fail')).toEqual([]); // an outage is never a regression
    // Each errored case ran a second time, after the rest and the cool-down, into the same outage.
    expect(card.second_pass).toEqual({ errored: N - ANSWERED, recovered: 0, cases: errored });
    for (const c of card.cases.filter((c) => c.status === 'error')) {
      expect({ ...c.error, message: withoutSeconds(c.error?.message ?? '') }).toEqual({
        kind: 'provider',
        code: 'E_PROVIDER_SERVER',
        message: `the agent: anthropic:model-a answered 503: Service unavailable${capped('anthropic', 1)}`,
      });
      expect(withoutSeconds(c.message ?? '')).toBe(
        `provider error: the agent: anthropic:model-a answered 503: Service unavailable${capped('anthropic', 1)}, on the first pass and again on the second; no regression was measured for this case`,
      );
    }
    const markdown = await p.read('eval/out/scorecard.md');
    expect(markdown).toContain(`## ⚠️ \`anthropic:model-a\` ${NO_REGRESSION}`);
    for (const id of errored) expect(markdown).toContain(`| \`${id}\` | agent | error | – | 40.0 | – |`);

    const kept = await checkCassettes(`${p.dir}/eval/cassettes`);
    expect(kept.entries['anthropic/model-a.jsonl']).toBe(ANSWERED);

    fake.reset();
    const again = await p.vitest(args, env());
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect((await p.scorecard()).verdict).toBe('pass');
    const agentCalls = fake.requests.filter((r) => r.api === 'anthropic.messages');
    expect(casesIn(agentCalls)).toEqual(errored);
    expect(agentCalls).toHaveLength(N - ANSWERED);
    expect(casesIn(fake.requests)).toEqual(errored); // the judge too is asked only about them
    expect(fake.stats.requests).toBe(coldRequests(N) - total(kept.entries));
  });

  test('the judge goes down alone: error, the agent outputs are kept, and qualify rescore scores them without calling the agent', async () => {
    await using p = await project();
    fake.on({ model: 'judge-1' }, OUTAGE);
    const down = await p.vitest(args, env());
    expect(down.code).toBe(1);
    const card = await p.scorecard();
    expect(card.verdict).toBe('error');
    expect(withStatus(card, 'error')).toEqual(caseIds(N));
    expect(withoutSeconds(card.cases[1]?.message ?? '')).toBe(
      `provider error: scoring: openai:judge-1 answered 503: Service unavailable${capped('openai', 1)}, on the first pass and again on the second; no regression was measured for this case`,
    );
    expect(await p.read('eval/out/scorecard.md')).toContain(NO_REGRESSION);
    const kept = await checkCassettes(`${p.dir}/eval/cassettes`);
    expect(kept.entries['anthropic/model-a.jsonl']).toBe(N);

    // The judge is back; the agent's provider is down now, and must not be needed.
    fake.reset();
    fake.on({ api: 'anthropic.messages' }, OUTAGE);
    const io = fakeIO(p.dir, { env: env() });
    const code = await runCli(['rescore'], io);
    expect(code, io.out() + io.err()).toBe(0);
    expect(fake.requests.filter((r) => r.api === 'anthropic.messages')).toEqual([]);
    const judged = fake.requests.filter((r) => JSON.stringify(r.body).includes('criteria_scores'));
    expect(casesIn(judged)).toEqual(caseIds(N));
    const rescored = await p.scorecard();
    expect(rescored.source.mode).toBe('rescore');
    expect(rescored.verdict).toBe('pass');
    expect(withStatus(rescored, 'pass')).toEqual(caseIds(N));
  });
  test('a provider down for good is found down once two calls have spent their retry budget: the rest try once, and the run ends in seconds', async () => {
    const BUDGET_S = 3;
    await using p = await evalProject({
      'rubric.yaml': `${RUBRIC.replace('anthropic: { max_retries: 1, timeout_s: 10 }', `anthropic: { retry_budget_s: ${BUDGET_S} }`)}max_concurrency: 4\n`,
      'eval/cases.yaml': manyCases(N),
      'eval/baseline.json': BASELINE,
    });
    fake.on({ api: 'anthropic.messages' }, OUTAGE);
    const down = await p.vitest(args, env());
    expect(down.code).toBe(1);
    const card = await p.scorecard();
    expect(withStatus(card, 'error')).toEqual(caseIds(N));
    expect(card.second_pass).toEqual({ errored: N, recovered: 0, cases: caseIds(N) });
    const perCase = new Map<string, number>();
    for (const r of fake.requests.filter((r) => r.api === 'anthropic.messages')) {
      for (const id of casesIn([r])) perCase.set(id, (perCase.get(id) ?? 0) + 1);
    }
    // The first 4 cases (max_concurrency) retried for the budget; after them the provider was down, so
    // every call tried once, on each pass.
    const first = caseIds(N).slice(0, 4);
    for (const id of first) expect(perCase.get(id)).toBeGreaterThan(2);
    expect(
      caseIds(N)
        .slice(4)
        .map((id) => perCase.get(id)),
    ).toEqual(Array(N - 4).fill(2));
    const later = card.cases.find((c) => c.id === caseIds(N)[N - 1])!;
    expect(withoutSeconds(later.error?.message ?? '')).toBe(
      'the agent: anthropic:model-a answered 503: Service unavailable; anthropic looks down (two calls spent their whole retry budget and nothing was answered since), so each call tries once: gave up after 1 attempt over <s>; retry when the provider has recovered; the first answer ends this',
    );
  });
});
