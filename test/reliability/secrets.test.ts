/**
 * No secret is ever written. A qualification, a rescore and a PR comment run
 * with sentinel values in every `*_API_KEY` and `GITHUB_TOKEN`, one provider
 * even echoing its key back in an error (as gateways do); then every file the
 * project holds, every line printed, every request the fake GitHub received
 * (but the Authorization header it must receive) and every request body sent
 * to the providers is searched for the sentinels: zero hits.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { evalResponder } from '../fake-provider/eval-responder.js';
import { startFakeProvider, type FakeProvider } from '../fake-provider/index.js';
import { startFakeGitHub, type FakeGitHub } from '../fake-github/index.js';
import { evalProject } from '../e2e/harness.js';
import { fakeIO } from '../unit/cli/io.js';
import { listFiles } from './files.js';

const SENTINELS = {
  OPENAI_API_KEY: 'sk-SENTINEL-openai-4f9d2c71b8e0',
  ANTHROPIC_API_KEY: 'sk-ant-SENTINEL-anthropic-83be11d2',
  AZURE_OPENAI_API_KEY: 'SENTINEL-azure-0c4467aa1f93',
  OPENAI_COMPATIBLE_API_KEY: 'SENTINEL-compatible-9a1e55c0',
  VENDOR_SEARCH_API_KEY: 'SENTINEL-vendor-search-51d0e8',
  GITHUB_TOKEN: 'ghs_SENTINEL_github_7c2e9b40d1aa',
};
const RUBRIC = `model_primary: anthropic:model-a
judge: openai:judge-1
embeddings: openai:embed-1
system_prompt: Answer briefly.
judge_samples: 1
thresholds: { rubric_min_score: 0.5, ragas: 0.5 }
providers: { anthropic: { max_retries: 0 }, openai: { max_retries: 0 } }
`;
const CASES = `cases:
  - id: plain
    input: "How long is the return window?"
    criteria: [{ id: c, text: "Correct" }]
  - id: grounded
    input: "Can I return shoes after 40 days?"
    context: ["Returns are accepted within 30 days."]
    criteria: [{ id: c, text: "Correct" }]
  - id: echoed-key
    input: "Echo the key"
    criteria: [{ id: c, text: "Correct" }]
`;

let fake: FakeProvider;
let gh: FakeGitHub;
beforeAll(async () => {
  fake = await startFakeProvider({ fallback: evalResponder() });
  // A gateway that puts the key it was sent into its error message.
  fake.on(
    { api: 'anthropic.messages', where: (r) => JSON.stringify(r.body).includes('Echo the key') },
    {
      fault: { kind: 'status', status: 401, message: `invalid x-api-key: ${SENTINELS.ANTHROPIC_API_KEY}` },
    },
  );
  gh = await startFakeGitHub({ token: SENTINELS.GITHUB_TOKEN });
});
afterAll(async () => {
  await fake.close();
  await gh.close();
});

/** Where each sentinel occurs in `text`, as `<where>: <NAME>`. */
function hits(where: string, text: string): string[] {
  return Object.entries(SENTINELS)
    .filter(([, value]) => text.includes(value))
    .map(([name]) => `${where}: ${name}`);
}

test(
  'a qualification, a rescore and a PR comment with sentinel keys write no key anywhere',
  { timeout: 300_000 },
  async () => {
    await using project = await evalProject({ 'rubric.yaml': RUBRIC, 'eval/cases.yaml': CASES });
    await project.write('event.json', JSON.stringify({ pull_request: { number: 7 } }));
    const env = {
      ...SENTINELS,
      OPENAI_BASE_URL: fake.openaiBaseURL,
      ANTHROPIC_BASE_URL: fake.anthropicBaseURL,
      QUALIFY_CACHE: 'auto',
      GITHUB_STEP_SUMMARY: path.join(project.dir, 'step-summary.md'),
      GITHUB_API_URL: gh.apiUrl,
      GITHUB_REPOSITORY: 'acme/agent',
      GITHUB_EVENT_PATH: 'event.json',
    };
    const printed: string[] = [];

    const run = await project.vitest(['run', '--project', 'eval'], env);
    printed.push(run.stdout, run.stderr);
    expect(run.code, run.stdout + run.stderr).toBe(1); // echoed-key is a provider error
    const card = await project.scorecard();
    expect(card.cases.find((c) => c.id === 'echoed-key')?.error).toEqual({
      kind: 'provider',
      code: 'E_PROVIDER_AUTH',
      message:
        'the agent: anthropic:model-a answered 401: invalid x-api-key: [ANTHROPIC_API_KEY] (check the API key for anthropic)',
    });

    const rescore = fakeIO(project.dir, { env });
    expect(await runCli(['rescore'], rescore)).toBe(1); // echoed-key has no recorded output
    printed.push(rescore.out(), rescore.err());

    const comment = fakeIO(project.dir, { env, fetch: globalThis.fetch });
    expect(await runCli(['comment'], comment), comment.err()).toBe(0);
    printed.push(comment.out(), comment.err());
    expect(gh.comments('acme', 'agent', 7)).toHaveLength(1);

    // The keys were in use: each went where it belongs, and only there.
    expect(new Set(gh.requests.map((r) => r.headers['authorization']))).toEqual(
      new Set([`Bearer ${SENTINELS.GITHUB_TOKEN}`]),
    );
    const anthropic = fake.requests.filter((r) => r.api === 'anthropic.messages');
    const openai = fake.requests.filter((r) => r.api !== 'anthropic.messages');
    expect(anthropic.length).toBeGreaterThan(0);
    expect(new Set(anthropic.map((r) => r.headers['authorization']))).toEqual(
      new Set([`Bearer ${SENTINELS.ANTHROPIC_API_KEY}`]),
    );
    expect(new Set(openai.map((r) => r.headers['authorization']))).toEqual(
      new Set([`Bearer ${SENTINELS.OPENAI_API_KEY}`]),
    );

    const found: string[] = [];
    const files = await listFiles(project.dir);
    expect(files).toEqual(expect.arrayContaining(['eval/out/scorecard.json', 'step-summary.md']));
    expect(files.filter((f) => f.startsWith('eval/cassettes/'))).toEqual([
      'eval/cassettes/anthropic/model-a.jsonl',
      'eval/cassettes/openai/embed-1.jsonl',
      'eval/cassettes/openai/judge-1.jsonl',
    ]);
    for (const file of files) found.push(...hits(file, await readFile(path.join(project.dir, file), 'utf8')));
    printed.forEach((text, i) => found.push(...hits(`output ${i}`, text)));
    for (const r of gh.requests) {
      const { authorization: _sent, ...headers } = r.headers;
      found.push(...hits(`GitHub ${r.method} ${r.path}`, `${r.path}\n${JSON.stringify(headers)}\n${r.body}`));
    }
    for (const r of fake.requests) found.push(...hits(`provider ${r.api} body`, JSON.stringify(r.body)));
    expect(found).toEqual([]);
  },
);
