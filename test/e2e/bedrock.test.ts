/**
 * A whole qualification on Bedrock: real Vitest in a child process, the candidate, the judge and the
 * embeddings all `bedrock:` models, through the real AWS SDK against the fake provider (Converse for
 * the agent, the judge's forced tool, faithfulness and relevancy; InvokeModel for Titan embeddings),
 * credentials and endpoint from the environment only.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { evalResponder } from '../fake-provider/eval-responder.js';
import { startFakeProvider, type FakeProvider } from '../fake-provider/index.js';
import { evalProject } from './harness.js';

const RUBRIC = `model_primary: bedrock:us.anthropic.claude-sonnet-4-6-v1:0
judge: bedrock:anthropic.claude-opus-4-5-20251101-v1:0
embeddings: bedrock:amazon.titan-embed-text-v2:0
judge_samples: 1
thresholds: { rubric_min_score: 0.6, ragas: 0.5, max_per_case_regression: 3 }
providers: { bedrock: { region: eu-west-1, max_retries: 1, timeout_s: 10 } }
`;

const CASES = `cases:
  - id: refund-window
    input: "Can I return shoes after 40 days?"
    context: ["Returns are accepted within 30 days of delivery."]
    criteria: [{ id: correct, text: "States the 30-day window" }]
  - id: weak
    input: "Where is my parcel?"
    criteria: [{ id: correct, text: "Gives the tracking route" }]
`;

let fake: FakeProvider;
beforeAll(async () => {
  const answers = {
    'Can I return shoes after 40 days?': 'No. Returns are accepted within 30 days of delivery. [score=9]',
    'Where is my parcel?': 'I do not know. [score=3]',
  };
  fake = await startFakeProvider({ fallback: evalResponder({ answers }) });
});
afterAll(async () => {
  await fake.close();
});

test(
  'candidate, judge and embeddings on Bedrock: the scorecard follows the judged scores',
  { timeout: 120_000 },
  async () => {
    await using project = await evalProject({ 'rubric.yaml': RUBRIC, 'eval/cases.yaml': CASES });
    const run = await project.vitest(['run', '--project', 'eval'], {
      AWS_ACCESS_KEY_ID: 'AKIDE2E',
      AWS_SECRET_ACCESS_KEY: 'e2e-secret',
      AWS_ENDPOINT_URL_BEDROCK_RUNTIME: fake.bedrockEndpoint,
      QUALIFY_CACHE: 'off',
    });
    const card = await project.scorecard();
    expect(Object.fromEntries(card.cases.map((c) => [c.id, c.status])), run.stdout + run.stderr).toEqual({
      'refund-window': 'new',
      weak: 'fail',
    });
    const scores = Object.fromEntries(card.cases.map((c) => [c.id, c.score]));
    expect(scores).toEqual({ 'refund-window': 0.9, weak: 0.3 });
    const refund = card.cases.find((c) => c.id === 'refund-window');
    // Faithfulness (statements and verdicts by the judge) and answer relevancy (Titan embeddings) ran.
    expect(refund?.faithfulness).toBe(1);
    expect(refund?.answer_relevancy).toBeGreaterThan(0.9);
    expect(run.code).toBe(1); // weak scores under rubric_min_score
    const apis = new Set(fake.requests.map((r) => r.api));
    expect([...apis].sort()).toEqual(['bedrock.converse', 'bedrock.embeddings']);
    for (const request of fake.requests) {
      expect(request.headers['authorization']).toMatch(
        /^AWS4-HMAC-SHA256 Credential=AKIDE2E\/\d{8}\/eu-west-1\/bedrock\//,
      );
    }
    const judged = fake.requests.filter((r) =>
      JSON.stringify(r.body['toolConfig'] ?? {}).includes('criteria_scores'),
    );
    expect(judged.map((r) => r.model)).toEqual([
      'anthropic.claude-opus-4-5-20251101-v1:0',
      'anthropic.claude-opus-4-5-20251101-v1:0',
    ]);
  },
);
