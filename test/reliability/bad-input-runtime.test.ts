/**
 * Bad input that only shows while running, and is not a config error: an
 * agent that throws, or returns something that is not an answer, is the error
 * of its own cases (exit 1, the others still scored); a baseline with cases the
 * case files no longer have reports them as removed, and is no error at all.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { evalResponder } from '../fake-provider/eval-responder.js';
import { startFakeProvider, type FakeProvider } from '../fake-provider/index.js';
import { evalProject, providerEnv } from '../e2e/harness.js';

const RUBRIC = `model_primary: openai:model-a
judge: openai:judge-1
judge_samples: 1
thresholds: { rubric_min_score: 0.5 }
subjects:
  prompt: { cases: eval/prompt.yaml }
  thrower: { entry: agents/thrower.ts, cases: eval/thrower.yaml }
  shaper: { entry: agents/shaper.ts, cases: eval/shaper.yaml }
`;
const cases = (id: string) =>
  `cases:\n  - id: ${id}\n    input: "Question ${id}"\n    criteria: [{ id: c, text: "C" }]\n`;
const BASELINE = JSON.stringify({
  schema: 'vitest-qualify/scorecard@1',
  model: 'openai:model-a',
  cases: [
    { id: 'fine', points: 50 },
    { id: 'retired-case', points: 90 },
  ],
});

let fake: FakeProvider;
beforeAll(async () => {
  fake = await startFakeProvider({ fallback: evalResponder() });
});
afterAll(async () => {
  await fake.close();
});

test(
  'an agent that throws or returns the wrong shape errs its cases (exit 1); unknown baseline cases are reported as removed',
  { timeout: 300_000 },
  async () => {
    await using project = await evalProject({
      'rubric.yaml': RUBRIC,
      'eval/prompt.yaml': cases('fine'),
      'eval/thrower.yaml': cases('throws'),
      'eval/shaper.yaml': cases('wrong-shape'),
      'agents/thrower.ts': `export default async function agent(): Promise<string> {\n  throw new TypeError('cannot read the knowledge base\\n  at somewhere (kb.ts:1:1)');\n}\n`,
      'agents/shaper.ts': `export default async function agent() {\n  return { answer: 'Thirty days.' };\n}\n`,
      'eval/baseline.json': BASELINE,
    });
    const run = await project.vitest(['run', '--project', 'eval'], providerEnv(fake));
    const output = `${run.stdout}\n${run.stderr}`;
    expect(run.code, output).toBe(1);
    expect(output.split('\n').filter((line) => line.startsWith('    at '))).toEqual([]);
    expect(output).not.toContain('vitest-qualify: '); // not a config error
    const card = await project.scorecard();
    expect(card.verdict).toBe('error');
    expect(card.cases.map((c) => [c.id, c.status, c.error])).toEqual([
      ['fine', 'pass', null],
      [
        'throws',
        'error',
        {
          kind: 'agent',
          code: 'E_AGENT_THREW',
          message: 'cannot read the knowledge base',
          // The agent's frame; not the message line that looks like one, not the runtime's.
          stack: ['at agent (agents/thrower.ts:2:9)'],
        },
      ],
      [
        'wrong-shape',
        'error',
        {
          kind: 'agent',
          code: 'E_AGENT',
          message:
            'the shaper agent returned {"answer":"Thirty days."}: return a string or { output: string, context?: string[], toolCalls?: ToolCall[] }',
        },
      ],
    ]);
    expect(card.cases_removed).toEqual(['retired-case']);
    expect(await project.read('eval/out/scorecard.md')).toContain(
      '> Cases removed since the baseline: `retired-case`.',
    );
  },
);
