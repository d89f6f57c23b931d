import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { preflight } from '../../../src/cli/commands/preflight.js';
import { startFakeProvider, type FakeProvider } from '../../fake-provider/index.js';
import { scratch } from '../../helpers/scratch.js';
import { fakeIO } from './io.js';

const RUBRIC = `model_primary: openai:primary
judge: openai:judge
thresholds: {}
providers: { openai: { max_retries: 0, timeout_s: 5 } }
interfaces:
  streaming: true
  tools:
    - name: create_ticket
      parameters:
        type: object
        properties: { summary: { type: string } }
        required: [summary]
  structured_output:
    name: verdict
    schema:
      type: object
      properties: { verdict: { enum: [supported, unsupported] } }
      required: [verdict]
`;

let fake: FakeProvider;
beforeAll(async () => {
  fake = await startFakeProvider();
});
afterAll(async () => {
  await fake.close();
});

/** A model that speaks every interface, except what `breaks` names. */
function script(model: string, breaks?: 'tool' | 'json' | 'stream'): void {
  const isTool = (r: { body: unknown }) => JSON.stringify(r.body).includes('"tool_choice"');
  const isJson = (r: { body: unknown }) => JSON.stringify(r.body).includes('"response_format"');
  const isStream = (r: { body: unknown }) => (r.body as { stream?: boolean }).stream === true;
  fake.on(
    { model, where: isTool },
    breaks === 'tool'
      ? { text: 'I cannot call tools.' }
      : { toolCalls: [{ name: 'create_ticket', arguments: { summary: 'x' } }] },
  );
  fake.on(
    { model, where: isJson },
    breaks === 'json' ? { json: { verdict: 'maybe' } } : { json: { verdict: 'supported' } },
  );
  fake.on(
    { model, where: isStream },
    breaks === 'stream' ? { fault: { kind: 'truncated-stream' } } : { text: 'one two three four five' },
  );
  fake.on({ model }, { text: 'Ready.' });
}

async function run(candidate: string) {
  await using dir = await scratch();
  await dir.write('rubric.yaml', RUBRIC);
  const io = fakeIO(dir.dir, {
    env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.openaiBaseURL },
  });
  const code = await preflight.run({ positionals: [], options: { model: candidate } }, io);
  return { code, out: io.out(), err: io.err() };
}

/** Every file under `dir` with its bytes, by relative path. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const files = await readdir(dir, { recursive: true, withFileTypes: true });
  const out: Record<string, string> = {};
  for (const f of files.filter((e) => e.isFile())) {
    const file = path.join(f.parentPath, f.name);
    out[path.relative(dir, file)] = (await readFile(file)).toString('base64');
  }
  return out;
}

describe('qualify preflight', () => {
  test('a candidate that speaks every interface: a one-PR swap, exit 0', async () => {
    script('primary');
    script('good');
    const { code, out } = await run('openai:good');
    expect(code).toBe(0);
    expect(out).toContain('| interface | openai:primary (primary) | openai:good (candidate) |');
    expect(out).toContain(
      '| tool create_ticket | ok: called with summary arguments | ok: called with summary arguments |',
    );
    expect(out).toContain(
      'openai:good speaks every interface openai:primary does: a one-line PR can swap it',
    );
  });

  test.each([
    ['no-tools', 'tool', 'tool create_ticket', 'FAIL: no call of create_ticket (finish stop)'],
    [
      'bad-json',
      'json',
      'structured output verdict',
      'FAIL: the reply does not match the schema: /verdict must be equal to one of the allowed values',
    ],
    ['no-stream', 'stream', 'streaming', 'FAIL: openai:no-stream'],
  ] as const)('%s breaks %s: this is a shim, exit 1', async (model, breaks, name, detail) => {
    script('primary');
    script(model, breaks);
    const { code, out } = await run(`openai:${model}`);
    expect(code).toBe(1);
    const row = out.split('\n').find((l) => l.startsWith(`| ${name} |`));
    expect(row).toContain(detail);
    expect(out).toContain(
      `this is a shim, not a one-PR swap: openai:${model} breaks ${name}; adapt the agent first`,
    );
  });

  test.each(['', 'auto', 'record'])(
    'QUALIFY_CACHE=%s: the probes reach the provider and the committed cassettes stay byte for byte',
    async (mode) => {
      script('primary');
      script('good');
      await using dir = await scratch();
      await dir.write('rubric.yaml', `${RUBRIC}cache: { dir: eval/cassettes }\n`);
      await dir.write('eval/cassettes/openai/primary.jsonl', '{"format":"vitest-qualify/cassette@1"}\n');
      await dir.write('eval/cassettes/openai/other.jsonl', '');
      const before = await snapshot(dir.path('eval'));
      const sent = fake.requests.length;
      const io = fakeIO(dir.dir, {
        env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.openaiBaseURL, QUALIFY_CACHE: mode },
      });
      expect(await preflight.run({ positionals: [], options: { model: 'openai:good' } }, io)).toBe(0);
      expect(fake.requests.length - sent).toBe(8); // text, tool, structured output, streaming; two models
      expect(await snapshot(dir.path('eval'))).toEqual(before);
      expect(Object.keys(before).sort()).toEqual([
        'cassettes/openai/other.jsonl',
        'cassettes/openai/primary.jsonl',
      ]);
    },
  );

  test('--model is required', async () => {
    await expect(run('')).rejects.toThrow('--model is required');
  });
});

describe('qualify preflight on Bedrock', () => {
  async function runWith(candidate: string, env: Record<string, string>) {
    await using dir = await scratch();
    // No retries and a short timeout for the candidate too: a broken probe fails at once.
    const providers =
      'providers: { openai: { max_retries: 0, timeout_s: 5 }, bedrock: { max_retries: 0, timeout_s: 5 } }';
    await dir.write('rubric.yaml', RUBRIC.replace(/^providers: .*$/m, providers));
    const io = fakeIO(dir.dir, {
      env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.openaiBaseURL, ...env },
    });
    const code = await preflight.run({ positionals: [], options: { model: candidate } }, io);
    return { code, out: io.out() };
  }

  test('a Bedrock candidate is probed on Converse: tools, the forced-tool structured output, ConverseStream', async () => {
    fake.reset();
    script('primary');
    const forced = (r: { body: Record<string, unknown> }) =>
      JSON.stringify(r.body['toolConfig'] ?? {}).includes('"tool":{"name":"verdict"}');
    const tools = (r: { body: Record<string, unknown> }) => r.body['toolConfig'] !== undefined;
    fake.on({ api: 'bedrock.converse', where: forced }, { json: { verdict: 'supported' } });
    fake.on({ api: 'bedrock.converse', where: (r) => r.stream }, { text: 'one two three four five' });
    fake.on(
      { api: 'bedrock.converse', where: tools },
      { toolCalls: [{ name: 'create_ticket', arguments: { summary: 'x' } }] },
    );
    fake.on({ api: 'bedrock.converse' }, { text: 'Ready.' });
    const { code, out } = await runWith('bedrock:anthropic.claude-sonnet-4-6', {
      AWS_ACCESS_KEY_ID: 'AKIDPREFLIGHT',
      AWS_SECRET_ACCESS_KEY: 'preflight-secret',
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_BEDROCK_RUNTIME: fake.bedrockEndpoint,
    });
    expect(out).toContain(
      'bedrock:anthropic.claude-sonnet-4-6 speaks every interface openai:primary does: a one-line PR can swap it',
    );
    expect(code).toBe(0);
  });

  test('a Bedrock candidate whose stream is cut: named as a shim, exit 1', async () => {
    fake.reset();
    fake.on({ api: 'openai.chat' }, { text: 'Ready.' });
    fake.on({ api: 'bedrock.converse', where: (r) => r.stream }, { fault: { kind: 'truncated-stream' } });
    fake.on({ api: 'bedrock.converse' }, { text: 'Ready.' });
    const { code, out } = await runWith('bedrock:anthropic.claude-sonnet-4-6', {
      AWS_ACCESS_KEY_ID: 'AKIDPREFLIGHT',
      AWS_SECRET_ACCESS_KEY: 'preflight-secret',
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_BEDROCK_RUNTIME: fake.bedrockEndpoint,
    });
    expect(code).toBe(1);
    expect(out).toContain('this is a shim, not a one-PR swap: bedrock:anthropic.claude-sonnet-4-6 breaks');
  });
});
