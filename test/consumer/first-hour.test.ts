/**
 * A newcomer's first hour with the installed package, on Vitest 4.1 (Node 20)
 * and 5 (Node 22): `qualify init` and `qualify demo` without any key, config
 * and provider mistakes refused with one line before any case runs, an agent
 * that throws shown at its own source line, and output other tools can read
 * (JUnit on stdout, the summary and CI progress on stderr, unpriced models
 * named). Each item of issue 11 that a user meets here has an assertion.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { evalResponder } from '../fake-provider/eval-responder.js';
import { startFakeProvider, type FakeProvider } from '../fake-provider/index.js';
import { consumerRepo, FLAVOURS, type Consumer } from './harness.js';

const AGENT = `import { defineAgent } from 'vitest-qualify';
import { answerFor } from '@desk/answers';

export default defineAgent(async (input, { client }) => {
  const question = String(input);
  if (question.includes('explode')) {
    throw new Error('the ticket system is down');
  }
  if (question.includes('number')) return answerFor(question) as unknown as string;
  const reply = await client.chat({ messages: [{ role: 'user', content: question }] });
  return reply.choices[0]!.text;
});
`;

const HELPER = `export function answerFor(question: string): unknown {
  return question.length;
}
`;

const CASES = `cases:
  - id: window
    input: "Can I return shoes after 40 days?"
    reference: "No. Returns are accepted within 30 days of delivery."
    criteria: [{ id: correct, text: "Says returns are accepted within 30 days" }]
  - id: refund
    input: "How long does a refund take?"
    reference: "Refunds reach the card in 5 business days."
    criteria: [{ id: correct, text: "Says 5 business days" }]
`;

let fake: FakeProvider;
beforeAll(async () => {
  fake = await startFakeProvider({
    fallback: evalResponder({
      answers: {
        'Can I return shoes after 40 days?': 'No. Returns are accepted within 30 days of delivery. [score=9]',
        'How long does a refund take?': 'Refunds reach the card in 5 business days. [score=6]',
      },
    }),
  });
});
afterAll(async () => {
  await fake.close();
});

const said = (run: { stdout: string; stderr: string }): string => `${run.stdout}\n${run.stderr}`;
const lines = (text: string, prefix: string): string[] =>
  text.split('\n').filter((l) => l.startsWith(prefix));

describe.each(FLAVOURS)('a first hour on $name', { timeout: 600_000 }, (flavour) => {
  let repo: Consumer;
  beforeAll(async () => {
    repo = await consumerRepo(flavour, {
      '.gitignore': 'node_modules/\nvendor/\n',
      'tsconfig.json': `${JSON.stringify({ compilerOptions: { strict: true, paths: { '@desk/*': ['./src/*'] } } })}\n`,
      'src/answers.ts': HELPER,
    });
  }, 600_000);
  afterAll(async () => {
    await repo?.[Symbol.asyncDispose]();
  });

  test('init says nothing about installing what is installed, and writes the embeddings it is given', async () => {
    const init = await repo.qualify([
      'init',
      '--model',
      'openai:model-a',
      '--judge',
      'openai:judge-1',
      '--embeddings',
      'openai:text-embedding-3-large',
    ]);
    expect(init.code, said(init)).toBe(0);
    expect(said(init)).not.toMatch(/npm (i|install)\b/);
    expect(await repo.read('rubric.yaml')).toMatch(/^embeddings: openai:text-embedding-3-large/m);
    await repo.git('add', '-A');
    await repo.git('commit', '-qm', 'qualify init');
  });

  test('qualify demo qualifies the seed cases with no key at all: PASS, exit 0, nothing cached', async () => {
    const demo = await repo.qualify(['demo']);
    expect(demo.code, said(demo)).toBe(0);
    const card = await repo.scorecard();
    expect([card.verdict, card.source.mode, card.usage.cost_usd]).toEqual(['pass', 'demo', 0]);
    expect(await repo.git('status', '--porcelain', '--untracked-files=all')).toBe('');
  });

  test('the published files: a LICENSE, no source maps', async () => {
    const pkg = path.join(repo.dir, 'node_modules/vitest-qualify');
    expect((await readFile(path.join(pkg, 'LICENSE'), 'utf8')).split('\n')[0]).toBe('MIT License');
    const index = await readFile(path.join(pkg, 'dist/index.js'), 'utf8');
    expect(index).not.toContain('sourceMappingURL');
  });

  test('a config mistake: one line per problem on stderr, exit 2, before any call', async () => {
    const rubric = await repo.read('rubric.yaml');
    await repo.write('rubric.yaml', rubric.replace('model_primary:', 'modle_primary:'));
    fake.reset();
    const run = await repo.vitest(['run', '--project', 'eval'], {
      OPENAI_API_KEY: 'sk-x',
      OPENAI_BASE_URL: fake.openaiBaseURL,
    });
    await repo.write('rubric.yaml', rubric);
    expect(run.code).toBe(2);
    const at = rubric.split('\n').findIndex((l) => l.startsWith('model_primary:')) + 1;
    expect(lines(run.stderr, 'vitest-qualify:')).toEqual([
      `vitest-qualify: rubric.yaml:${at}:1: modle_primary is not a known key; did you mean model_primary?`,
      `vitest-qualify: rubric.yaml:${at}:1: model_primary is required; expected a string`,
    ]);
    expect(said(run)).not.toMatch(/^\s+at /m);
    expect(fake.stats.requests).toBe(0);
  });

  test('no key: one line naming the provider and the fix, exit 2, no case run', async () => {
    fake.reset();
    const run = await repo.vitest(['run', '--project', 'eval'], {
      OPENAI_BASE_URL: fake.openaiBaseURL,
      QUALIFY_CACHE: 'off',
    });
    expect(run.code, said(run)).toBe(2);
    const refusal = lines(run.stderr, 'vitest-qualify:');
    expect(refusal).toHaveLength(1);
    expect(refusal[0]).toMatch(/openai.*OPENAI_API_KEY/);
    expect(fake.stats.requests).toBe(0);
  });

  test('an address that refuses connections: one line naming the URL, exit 2', async () => {
    const run = await repo.vitest(['run', '--project', 'eval'], {
      OPENAI_API_KEY: 'sk-x',
      OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
      QUALIFY_CACHE: 'off',
    });
    expect(run.code, said(run)).toBe(2);
    const refusal = lines(run.stderr, 'vitest-qualify:');
    expect(refusal).toHaveLength(1);
    expect(refusal[0]).toContain('http://127.0.0.1:9/v1');
  });

  test('a TypeScript agent through a tsconfig alias; its throw at its own line; a wrong return named once', async () => {
    const rubric = await repo.read('rubric.yaml');
    await repo.write('rubric.yaml', rubric.replace('# agent: agents/agent.ts', 'agent: agents/desk.ts'));
    await repo.write('agents/desk.ts', AGENT);
    await repo.write(
      'eval/cases.yaml',
      `${CASES}  - id: explode
    input: "What if it explodes?"
    criteria: [{ id: calm, text: "Stays calm" }]
  - id: number
    input: "Give me a number"
    criteria: [{ id: any, text: "Answers" }]
`,
    );
    const env = {
      OPENAI_API_KEY: 'sk-x',
      OPENAI_BASE_URL: fake.openaiBaseURL,
      QUALIFY_CACHE: 'off',
      QUALIFY_PROGRESS: '0',
    };
    const run = await repo.vitest(['run', '--project', 'eval', '--reporter=junit'], env);
    expect(run.code, said(run)).toBe(1);
    // JUnit on stdout is XML alone; the qualify summary and progress are on stderr.
    // Vitest 4 prints JUnit on stdout; Vitest 5 writes it to .vitest/junit/output.xml and says so.
    const written = /^JUNIT report written to (\S+)$/m.exec(run.stdout)?.[1];
    const xml = written ? await readFile(written, 'utf8') : run.stdout;
    expect(xml.trimStart().slice(0, 200)).toMatch(/^<\?xml /);
    expect(xml.trimEnd().endsWith('</testsuites>')).toBe(true);
    expect(lines(run.stdout, ' qualify ')).toEqual([]);
    expect(lines(run.stderr, ' qualify  ERROR  openai:model-a')).toHaveLength(1);
    expect(lines(run.stderr, ' qualify  4/4 cases')).toHaveLength(1);
    const card = await repo.scorecard();
    const byId = Object.fromEntries(card.cases.map((c) => [c.id, c]));
    expect(byId['window']?.status).toBe('new');
    // A case under its minimum reads on one scale.
    expect(byId['refund']?.message).toContain('points (min_score 0.82)');
    const thrown = byId['explode']?.error;
    expect(thrown?.message).toContain('the ticket system is down');
    expect(JSON.stringify(thrown)).toMatch(/agents\/desk\.ts:7:\d+/);
    expect(JSON.stringify(thrown)).not.toContain('node_modules/vitest-qualify');
    expect(byId['number']?.error?.message).toMatch(/^the agent returned 16: return a string/);
    // Neither model has a price: both named, not $0.0000.
    expect(await repo.read('eval/out/scorecard.md')).toContain(
      'cost unpriced (openai:judge-1 and openai:model-a have no price: add them under prices: in rubric.yaml)',
    );
  });
});
