/**
 * The example repository switched to another provider by one line of rubric.yaml, qualified end to
 * end: a copy of the repository's example (agents, eval, ops, rubric, the plugin's source), real Vitest
 * in a child process, `vitest run --project eval`, the candidate reached through its official SDK on
 * the fake provider. The candidate answers as the recorded primary did (its cassette, served on the
 * candidate's wire), so every case should score as in the baseline and the model qualify; the judge and
 * the embeddings stay on OpenAI, replayed from the cassettes (the drift probe's calls answered live by
 * the recorded judge). Runs on whichever Vitest node_modules holds: 4 here, 5 in scripts/test-vitest5.sh.
 */
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Scorecard } from '../../src/scorecard/types.js';
import {
  SUBJECT_TOKEN,
  externalAccountCredentials,
  startFakeProvider,
  type FakeProvider,
} from '../fake-provider/index.js';
import { REPO } from './harness.js';
import { converseToNeutral, geminiToNeutral, recordedAgent, recordedJudge } from './recorded.js';

const SCRATCH = path.join(REPO, 'test/e2e/.scratch');
const VITEST = path.join(REPO, 'node_modules/vitest/vitest.mjs');
const PRIMARY = 'model_primary: anthropic:claude-sonnet-4-6';

let provider: FakeProvider;
beforeAll(async () => {
  provider = await startFakeProvider();
  provider.on(
    { api: 'openai.chat', model: 'gpt-4.1' },
    await recordedJudge(path.join(REPO, 'eval/cassettes/openai/gpt-4.1.jsonl')),
  );
});
afterAll(async () => {
  await provider.close();
});

/** The example as a user's repository holds it, in a scratch directory inside this one (so node_modules resolves). */
async function copyExample(name: string, rubric: (text: string) => string): Promise<string> {
  const dir = path.join(SCRATCH, `${name}-${process.pid}-${Date.now()}`);
  await mkdir(dir, { recursive: true });
  for (const entry of [
    'agents',
    'eval',
    'ops',
    'src',
    'schemas',
    'vitest.config.ts',
    'package.json',
    'tsconfig.json',
  ]) {
    await cp(path.join(REPO, entry), path.join(dir, entry), {
      recursive: true,
      filter: (source) => !source.includes(`${path.sep}eval${path.sep}out`),
    });
  }
  const text = await readFile(path.join(REPO, 'rubric.yaml'), 'utf8');
  const changed = rubric(text);
  // One line, and only that line, differs from the example's rubric.yaml.
  const before = text.split('\n');
  const after = changed.split('\n');
  expect(after.length).toBe(before.length);
  expect(after.filter((line, i) => line !== before[i])).toHaveLength(1);
  await writeFile(path.join(dir, 'rubric.yaml'), changed);
  return dir;
}

async function runEval(dir: string, env: Record<string, string>) {
  const { spawn } = await import('node:child_process');
  const keep = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !/^(QUALIFY_|GITHUB_|VITEST|AWS_|GOOGLE_|ANTHROPIC_|OPENAI_|CLOUDSDK_)/.test(k),
    ),
  );
  return new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [VITEST, 'run', '--project', 'eval'], {
      cwd: dir,
      env: { ...keep, NO_COLOR: '1', CI: 'true', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, output }));
  });
}

const OPENAI = (fake: FakeProvider) => ({ OPENAI_API_KEY: 'sk-e2e', OPENAI_BASE_URL: fake.openaiBaseURL });

test(
  'a Bedrock primary (OpenAI fallback) by one line: the example qualifies through the AWS SDK',
  { timeout: 300_000 },
  async () => {
    provider.on(
      { api: 'bedrock.converse', model: 'anthropic.claude-sonnet-4-6' },
      await recordedAgent(
        path.join(REPO, 'eval/cassettes/anthropic/claude-sonnet-4-6.jsonl'),
        converseToNeutral,
      ),
    );
    const dir = await copyExample('bedrock', (text) =>
      text.replace(PRIMARY, 'model_primary: bedrock:anthropic.claude-sonnet-4-6'),
    );
    try {
      const run = await runEval(dir, {
        ...OPENAI(provider),
        AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'example-secret',
        AWS_REGION: 'us-east-1',
        AWS_ENDPOINT_URL_BEDROCK_RUNTIME: provider.bedrockEndpoint,
      });
      const card = JSON.parse(await readFile(path.join(dir, 'eval/out/scorecard.json'), 'utf8')) as Scorecard;
      expect([card.verdict, card.model, card.baseline_model], run.output.slice(-4000)).toEqual([
        'pass',
        'bedrock:anthropic.claude-sonnet-4-6',
        'anthropic:claude-sonnet-4-6',
      ]);
      expect(run.code).toBe(0);
      const agentCalls = provider.requests.filter((r) => r.api === 'bedrock.converse');
      // The drafter's streamed replies and tool rounds, and the verifier's structured output, all on Converse.
      expect(agentCalls.some((r) => r.stream)).toBe(true);
      expect(agentCalls.some((r) => JSON.stringify(r.body).includes('toolResult'))).toBe(true);
      for (const request of agentCalls) {
        expect(request.headers['authorization']).toMatch(
          /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/bedrock\//,
        );
      }
      expect(card.cases.filter((c) => c.status !== 'pass' && c.status !== 'allowlisted')).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
);

test(
  'a Vertex primary (Gemini) by one line: the example qualifies through @google/genai, with workload identity credentials',
  { timeout: 300_000 },
  async () => {
    provider.on(
      { api: 'vertex.generate', model: 'gemini-2.5-pro' },
      await recordedAgent(
        path.join(REPO, 'eval/cassettes/anthropic/claude-sonnet-4-6.jsonl'),
        geminiToNeutral,
      ),
    );
    const dir = await copyExample('vertex', (text) =>
      text.replace(PRIMARY, 'model_primary: vertex:gemini-2.5-pro'),
    );
    try {
      await writeFile(path.join(dir, 'oidc-token'), SUBJECT_TOKEN);
      const credentials = path.join(dir, 'credentials.json');
      await writeFile(
        credentials,
        JSON.stringify(externalAccountCredentials(provider.url, path.join(dir, 'oidc-token'))),
      );
      const run = await runEval(dir, {
        ...OPENAI(provider),
        GOOGLE_APPLICATION_CREDENTIALS: credentials,
        GOOGLE_CLOUD_PROJECT: 'example-project',
        GOOGLE_CLOUD_LOCATION: 'us-central1',
        GOOGLE_VERTEX_BASE_URL: provider.vertexBaseURL,
      });
      const card = JSON.parse(await readFile(path.join(dir, 'eval/out/scorecard.json'), 'utf8')) as Scorecard;
      expect([card.verdict, card.model, card.baseline_model], run.output.slice(-4000)).toEqual([
        'pass',
        'vertex:gemini-2.5-pro',
        'anthropic:claude-sonnet-4-6',
      ]);
      expect(run.code).toBe(0);
      const agentCalls = provider.requests.filter((r) => r.api === 'vertex.generate');
      expect(agentCalls.some((r) => r.stream)).toBe(true);
      expect(agentCalls.some((r) => JSON.stringify(r.body).includes('functionResponse'))).toBe(true);
      for (const request of agentCalls) {
        expect(request.path).toMatch(
          /^\/v1\/projects\/example-project\/locations\/us-central1\/publishers\/google\/models\/gemini-2\.5-pro:/,
        );
        expect(request.headers['authorization']).toMatch(/^Bearer /);
      }
      expect(card.cases.filter((c) => c.status !== 'pass' && c.status !== 'allowlisted')).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
);
