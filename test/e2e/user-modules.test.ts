/**
 * The user's own modules (agent entries, `javascript` check files) load through
 * Vite from the case file's generated module: TypeScript, tsconfig `paths`
 * aliases and all, with nothing added to vitest.config.ts. An agent that throws
 * keeps the frames of its own code, in the scorecard and with QUALIFY_DEBUG=1 in
 * the terminal. (From the installed tarball, the consumer suite checks the same.)
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { evalResponder } from '../fake-provider/eval-responder.js';
import { startFakeProvider, type FakeProvider } from '../fake-provider/index.js';
import { evalProject, providerEnv } from './harness.js';

const RUBRIC = `model_primary: openai:model-a
judge: openai:judge-1
judge_samples: 1
thresholds: { rubric_min_score: 0.5 }
subjects:
  agent: { entry: agents/returns.ts, cases: eval/returns.yaml }
  thrower: { entry: agents/thrower.ts, cases: eval/thrower.yaml }
`;

const FILES: Record<string, string> = {
  'rubric.yaml': RUBRIC,
  'tsconfig.json': JSON.stringify({
    compilerOptions: {
      module: 'ESNext',
      moduleResolution: 'Bundler',
      strict: true,
      paths: { '@lib/*': ['./lib/*'] },
    },
  }),
  'lib/policy.ts': `export const POLICY: string = 'Returns are accepted within 30 days.';\n`,
  'lib/kb.ts': [
    'interface Entry {',
    '  q: string;',
    '}',
    'const ENTRIES: Entry[] = [];',
    'export function lookUp(question: string): string {',
    '  if (!ENTRIES.some((e) => e.q === question)) {',
    '    throw new TypeError(`no knowledge-base entry for ${question.length} chars`);',
    '  }',
    "  return 'found';",
    '}',
    '',
  ].join('\n'),
  'agents/returns.ts': [
    "import { POLICY } from '@lib/policy';",
    'export default async function agent(input: string, ctx: { client: any }): Promise<string> {',
    '  const reply = await ctx.client.chat({ system: POLICY, messages: [{ role: "user", content: input }] });',
    '  return reply.choices[0].text as string;',
    '}',
    '',
  ].join('\n'),
  'agents/thrower.ts': [
    "import { lookUp } from '@lib/kb';",
    'export default async function agent(input: string): Promise<string> {',
    '  return lookUp(input);',
    '}',
    '',
  ].join('\n'),
  'checks/policy.ts': [
    "import { POLICY } from '@lib/policy';",
    'export const cites = (output: string): { pass: boolean; detail: string } => ({',
    '  pass: output.length > 0,',
    '  detail: `checked against a ${POLICY.length}-char policy`,',
    '});',
    '',
  ].join('\n'),
  'eval/returns.yaml': `cases:
  - id: refund-window
    input: "Question refund"
    criteria: [{ id: correct, text: "Correct" }]
    checks:
      - { javascript: checks/policy.ts, export: cites }
`,
  'eval/thrower.yaml': `cases:
  - id: throws
    input: "Where is my parcel?"
    criteria: [{ id: correct, text: "Correct" }]
`,
};

let fake: FakeProvider;
beforeAll(async () => {
  fake = await startFakeProvider({
    fallback: evalResponder({ answers: { 'Question refund': 'Thirty days. [score=9]' } }),
  });
});
afterAll(async () => {
  await fake.close();
});

describe('user modules load through Vite', { timeout: 180_000 }, () => {
  test('a .ts agent and check with tsconfig paths run; a throwing agent keeps its own frames', async () => {
    await using project = await evalProject(FILES);
    const run = await project.vitest(['run', '--project', 'eval'], {
      ...providerEnv(fake),
      QUALIFY_DEBUG: '1',
    });
    const output = `${run.stdout}\n${run.stderr}`;
    expect(run.code, output).toBe(1);
    const card = await project.scorecard();
    expect(card.cases.map((c) => [c.id, c.status, c.checks, c.error])).toEqual([
      [
        'refund-window',
        'new',
        [
          {
            name: 'javascript checks/policy.ts#cites',
            pass: true,
            detail: 'checked against a 36-char policy',
          },
        ],
        null,
      ],
      [
        'throws',
        'error',
        [],
        {
          kind: 'agent',
          code: 'E_AGENT_THREW',
          message: 'no knowledge-base entry for 19 chars',
          stack: ['at lookUp (lib/kb.ts:7:11)', 'at agent (agents/thrower.ts:3:10)'],
        },
      ],
    ]);
    expect(output).toContain(
      [
        'case throws: agent error: no knowledge-base entry for 19 chars',
        '    at lookUp (lib/kb.ts:7:11)',
        '    at agent (agents/thrower.ts:3:10)',
      ].join('\n'),
    );
    expect(output).not.toContain('vitest-qualify/src');
    expect(await project.read('eval/out/scorecard.md')).toContain(
      '```\nat lookUp (lib/kb.ts:7:11)\nat agent (agents/thrower.ts:3:10)\n```',
    );
  });

  test('without QUALIFY_DEBUG the terminal keeps the one-line failure', async () => {
    await using project = await evalProject(FILES);
    const run = await project.vitest(['run', '--project', 'eval'], providerEnv(fake));
    const output = `${run.stdout}\n${run.stderr}`;
    expect(run.code, output).toBe(1);
    expect(output).toContain('case throws: agent error: no knowledge-base entry for 19 chars\n');
    expect(output.split('\n').filter((line) => /^\s+at /.test(line))).toEqual([]);
  });
});
