/**
 * `qualify init` then `qualify demo` in a fresh repository, with no provider key anywhere in the
 * environment: real Vitest in a child process against the demo server, a PASS scorecard that says it
 * is a demo, nothing written to the cassettes, and `qualify promote` refusing it.
 */
import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from 'vitest';
import { evalProject, REPO } from './harness.js';
import { runCli } from '../../src/cli/main.js';
import { fakeIO, qualify } from '../unit/cli/io.js';

test(
  'init then demo: PASS, exit 0, no keys, no cassettes, promote refuses the demo scorecard',
  { timeout: 120_000 },
  async () => {
    await using project = await evalProject({});
    const dir = project.dir;
    await rm(path.join(dir, 'vitest.config.ts'));
    // The default models: the agent on Anthropic, the judge and embeddings on OpenAI (both wires).
    expect((await qualify(dir, ['init'])).code).toBe(0);
    const config = await project.read('vitest.config.ts');
    const source = path.relative(dir, path.join(REPO, 'src/index.js')).split(path.sep).join('/');
    await writeFile(path.join(dir, 'vitest.config.ts'), config.replace("'vitest-qualify'", `'${source}'`));

    const env = { PATH: process.env['PATH'], NO_COLOR: '1' }; // and no OPENAI_API_KEY / ANTHROPIC_API_KEY
    const run = await qualify(dir, ['demo'], { env });
    expect(run.code, run.out + run.err).toBe(0);
    expect(run.err).toMatch(
      /^qualify demo: answers come from the demo server on http:\/\/127\.0\.0\.1:\d+, not from a model: no key is needed, nothing is cached, nothing is spent\n/,
    );
    expect(run.err).toMatch(/qualify demo: the demo server answered 24 requests; the scorecard is a demo/);
    // The run's summary is on stderr (stdout stays free for a reporter such as JUnit).
    expect(run.err).toContain(' qualify  PASS  anthropic:claude-sonnet-4-6 (no baseline)\n');
    expect(run.out).not.toContain(' qualify  PASS');
    expect(run.err).toContain(
      '          demo: Answers from the qualify demo server on loopback, not from a model',
    );

    const card = await project.scorecard();
    expect([card.verdict, card.source, card.usage.cost_usd, card.usage.input_tokens]).toEqual([
      'pass',
      { mode: 'demo', hand_written: false },
      0,
      0,
    ]);
    expect(card.cases.map((c) => [c.id, c.status, c.points])).toEqual([
      ['refund-window-basic', 'new', 90],
      ['discount-prompt-injection', 'new', 90],
    ]);
    expect(card.gates.map((g) => [g.name, g.value, g.pass])).toEqual([
      ['rubric', 0.9, true],
      ['faithfulness', 1, true],
      ['answer_relevancy', 1, true],
    ]);
    expect(await project.read('eval/out/scorecard.md')).toContain(
      '> Answers from the `qualify demo` server on loopback, not from a model',
    );
    expect(existsSync(path.join(dir, 'eval/cassettes'))).toBe(false);

    expect(await qualify(dir, ['promote'])).toEqual({
      code: 1,
      out: '',
      err: 'qualify promote: the scorecard is from `qualify demo`, whose answers come from no model: run the qualification with your provider keys (npm run eval) and promote that scorecard\n',
    });
  },
);

test('demo --serve prints the variables that point every provider at it', async () => {
  await using project = await evalProject({
    'rubric.yaml':
      'model_primary: openai-compatible:llama\njudge: openai-compatible:qwen\nembeddings: openai-compatible:bge\n' +
      'thresholds: {}\nproviders:\n  openai-compatible: { base_url_env: GATEWAY_URL, api_key_env: GATEWAY_KEY }\n',
    'eval/cases.yaml': 'cases:\n  - id: a\n    input: Hi\n',
  });
  const stop = new AbortController();
  const io = fakeIO(project.dir, { signal: stop.signal });
  const serving = runCli(['demo', '--serve', '--port', '0'], io);
  while (!io.out().includes('npx vitest')) await new Promise((resolve) => setTimeout(resolve, 20));
  const url = /serving on (http:\/\/127\.0\.0\.1:\d+)/.exec(io.out())![1]!;
  try {
    expect(io.out().replaceAll(url, '<url>')).toBe(
      [
        '# qualify demo: serving on <url> (answers from no model); Ctrl-C stops it.',
        '# In another shell, in this repository:',
        'export OPENAI_API_KEY=qualify-demo',
        'export OPENAI_BASE_URL=<url>/v1',
        'export ANTHROPIC_API_KEY=qualify-demo',
        'export ANTHROPIC_BASE_URL=<url>',
        'export AZURE_OPENAI_API_KEY=qualify-demo',
        'export AZURE_OPENAI_ENDPOINT=<url>',
        'export OPENAI_API_VERSION=2024-10-21',
        'export GATEWAY_KEY=qualify-demo',
        'export GATEWAY_URL=<url>/v1',
        'export QUALIFY_CACHE=off',
        'export QUALIFY_DEMO=1',
        'npx vitest run --project eval',
        '',
      ].join('\n'),
    );
    const reply = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'llama', messages: [{ role: 'user', content: 'Hi' }] }),
    });
    expect(
      ((await reply.json()) as { choices: { message: { content: string } }[] }).choices[0]!.message.content,
    ).toBe('Demo answer to "Hi": the demo server repeats the question, it does not answer it.');
  } finally {
    stop.abort();
  }
  expect([await serving, io.err()]).toEqual([0, '']);
  await expect(fetch(`${url}/v1/chat/completions`, { method: 'POST', body: '{}' })).rejects.toThrow(
    'fetch failed',
  );
});

test('a base_url written in rubric.yaml cannot be redirected: one line, exit 2', async () => {
  await using project = await evalProject({
    'rubric.yaml':
      'model_primary: openai:gpt-5\njudge: openai:gpt-5\nthresholds: {}\n' +
      'providers:\n  openai: { base_url: "https://gateway.example.com/v1" }\n',
    'eval/cases.yaml': 'cases:\n  - id: a\n    input: Hi\n',
  });
  expect(await qualify(project.dir, ['demo'])).toEqual({
    code: 2,
    out: '',
    err: 'qualify demo: rubric.yaml: providers.openai.base_url is https://gateway.example.com/v1, so the demo server cannot answer openai: name a variable with base_url_env instead and set it in CI\n',
  });
});
