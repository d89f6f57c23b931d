/**
 * A qualification on Vertex AI end to end: the agent on Gemini, the judge on
 * Claude on Vertex, through the real SDKs against the fake provider, with
 * workload identity federation credentials (an `external_account` file whose
 * token endpoints are the fake's), every variable from the environment the run gets.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { evalResponder } from '../fake-provider/eval-responder.js';
import {
  ACCESS_TOKEN,
  SUBJECT_TOKEN,
  externalAccountCredentials,
  startFakeProvider,
  type FakeProvider,
} from '../fake-provider/index.js';
import { evalProject } from './harness.js';

const RUBRIC = `model_primary: vertex:gemini-2.5-flash
judge: vertex:claude-sonnet-4-5@20250929
system_prompt: Answer briefly.
judge_samples: 3
thresholds: { rubric_min_score: 0.6 }
`;
const CASES = `cases:
  - id: refund
    input: "Can I return shoes after 40 days?"
    criteria: [{ id: window, text: "States the 30-day window" }]
  - id: shipping
    input: "How long is shipping?"
    criteria: [{ id: days, text: "Gives a number of days" }]
`;

let fake: FakeProvider;
beforeAll(async () => {
  const answers = {
    'Can I return shoes after 40 days?': 'No. Returns close 30 days after delivery. [score=9]',
    'How long is shipping?': 'Three to five days. [score=7]',
  };
  fake = await startFakeProvider({ fallback: evalResponder({ answers }) });
});
afterAll(async () => {
  await fake.close();
});

test(
  'a run on Vertex: Gemini agent, Claude judge fanned out to 3 samples, scored, bearer token on every call',
  { timeout: 120_000 },
  async () => {
    await using project = await evalProject({ 'rubric.yaml': RUBRIC, 'eval/cases.yaml': CASES });
    await project.write('gcp/oidc-token', SUBJECT_TOKEN);
    const credentials = path.join(project.dir, 'gcp/credentials.json');
    await writeFile(
      credentials,
      JSON.stringify(externalAccountCredentials(fake.url, path.join(project.dir, 'gcp/oidc-token'))),
    );
    const run = await project.vitest(['run', '--project', 'eval'], {
      GOOGLE_APPLICATION_CREDENTIALS: credentials,
      GOOGLE_CLOUD_PROJECT: 'e2e-project',
      GOOGLE_CLOUD_LOCATION: 'us-east5',
      GOOGLE_VERTEX_BASE_URL: fake.vertexBaseURL,
      QUALIFY_CACHE: 'off',
    });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const card = await project.scorecard();
    expect(card.cases.map((c) => [c.id, c.status, c.score])).toEqual([
      ['refund', 'new', 0.9],
      ['shipping', 'new', 0.7],
    ]);
    const base = '/v1/projects/e2e-project/locations/us-east5/publishers';
    expect(fake.requests.map((r) => [r.api, r.path]).sort()).toEqual(
      [
        ...Array.from({ length: 6 }, () => [
          'anthropic.messages',
          `${base}/anthropic/models/claude-sonnet-4-5@20250929:rawPredict`,
        ]),
        ...Array.from({ length: 2 }, () => [
          'vertex.generate',
          `${base}/google/models/gemini-2.5-flash:generateContent`,
        ]),
      ].sort(),
    );
    expect(new Set(fake.requests.map((r) => r.headers['authorization']))).toEqual(
      new Set([`Bearer ${ACCESS_TOKEN}`]),
    );
  },
);
