import { describe, expect, test } from 'vitest';
import type { ProjectCase } from '../../../src/config/project.js';
import type { CaseModule } from '../../../src/run/context.js';
import { CaseIndexer, casesPayload } from '../../../src/vitest/case-index.js';
import { caseModuleCode } from '../../../src/vitest/case-module.js';

const RUNTIME = '/pkg/dist/vitest/runtime.js';

function projectCase(id: string, input: string): ProjectCase {
  return {
    id,
    subject: 'agent',
    tags: ['billing'],
    input,
    criteria: [{ id: 'k1', text: 'States the "30-day" window', weight: 1 }],
    checks: [],
    source: { file: 'eval/cases.yaml', line: 2, col: 5 },
    min_score: 0.8,
    repeats: 1,
  };
}

/** Run a generated module with `defineCaseTests` stubbed: what it would hand the runtime. */
function evaluate(code: string): { module: unknown; loaders: Record<string, () => unknown> } {
  const [first, ...rest] = code.split('\n');
  expect(first).toBe(`import { defineCaseTests } from ${JSON.stringify(RUNTIME)};`);
  let received: { module: unknown; loaders: Record<string, () => unknown> } | undefined;
  new Function('defineCaseTests', rest.join('\n'))(
    (module: unknown, loaders: Record<string, () => unknown>) => {
      received = { module, loaders };
    },
  );
  return received!;
}

describe('caseModuleCode', () => {
  test('hands the runtime the payload unchanged, whatever the case text holds', () => {
    const hostile = 'quote " backslash \\ newline \n tab \t backtick ` ${x} </script> \u2028 \u2029 é 🙂';
    const payload: CaseModule = {
      file: '/repo/eval/cases.yaml',
      cases: [projectCase('a', hostile), projectCase('b', 'plain')],
    };
    expect(evaluate(caseModuleCode(RUNTIME, payload)).module).toEqual(payload);
  });

  test('passes the cases as one JSON string, not an object literal', () => {
    const cases = Array.from({ length: 3 }, (_, i) => projectCase(`case-${i}`, `Question ${i}`));
    const code = caseModuleCode(RUNTIME, { file: '/repo/eval/cases.yaml', cases });
    expect(code.split('\n')[1]).toMatch(/^defineCaseTests\(JSON\.parse\(".*"\), \{$/);
    expect(code.split('\n').slice(2)).toEqual(['});', '']);
  });

  test('carries a literal import() per user module, so Vite transforms and resolves each from the case file', () => {
    const modules = ['/repo/agents/returns.ts', '/repo/checks/cites "policy".ts'];
    const code = caseModuleCode(RUNTIME, { file: '/repo/eval/cases.yaml', cases: [] }, modules);
    expect(code.split('\n').slice(2)).toEqual([
      '  "/repo/agents/returns.ts": () => import("/repo/agents/returns.ts"),',
      '  "/repo/checks/cites \\"policy\\".ts": () => import("/repo/checks/cites \\"policy\\".ts"),',
      '});',
      '',
    ]);
    const { loaders } = evaluate(code);
    expect(Object.keys(loaders)).toEqual(modules);
    expect(loaders[modules[0]!]!.toString()).toBe('() => import("/repo/agents/returns.ts")');
  });
});

describe('CaseIndexer', () => {
  const check = (value: string) => ({ kind: 'javascript' as const, value, export: 'default', name: value });
  const subjects = {
    agent: { entry: '/repo/agents/returns.ts', budget: 3 },
    prompt: { entry: undefined, budget: 3 },
    other: { entry: '/repo/agents/other.ts', budget: 3 },
  };

  test("lists the file's subjects' entries and javascript checks, each once, sorted", () => {
    const a = { ...projectCase('a', 'x'), checks: [check('checks/z.ts'), check('./checks/a.ts')] };
    const b = { ...projectCase('b', 'y'), checks: [check('checks/z.ts')] };
    const c = { ...projectCase('c', 'z'), subject: 'prompt' };
    const index = new CaseIndexer('/repo');
    index.add('/repo/eval/cases.yaml', [a, b, c]);
    expect(index.finish(subjects).get('/repo/eval/cases.yaml')?.modules).toEqual([
      '/repo/agents/returns.ts',
      '/repo/checks/a.ts',
      '/repo/checks/z.ts',
    ]);
  });

  test('names no module for prompt-mode cases without javascript checks', () => {
    const index = new CaseIndexer('/repo');
    index.add('/repo/eval/cases.yaml', [{ ...projectCase('c', 'z'), subject: 'prompt' }]);
    expect(index.finish(subjects).get('/repo/eval/cases.yaml')?.modules).toEqual([]);
  });

  test('keeps each case as JSON text and a summary, and the payload parses back to the cases', () => {
    const a = { ...projectCase('a', 'x'), context: ['Returns within 30 days.'] };
    const b = { ...projectCase('b', 'y'), tags: [], node: 'repair' };
    const index = new CaseIndexer('/repo');
    index.add('/repo/eval/cases.yaml', [a, b]);
    const file = index.finish(subjects).get('/repo/eval/cases.yaml')!;
    expect(JSON.parse(casesPayload('/repo/eval/cases.yaml', file.cases))).toEqual({
      file: '/repo/eval/cases.yaml',
      cases: [a, b],
    });
    expect(JSON.parse(casesPayload('/repo/eval/cases.yaml', file.cases, 1, 2)).cases).toEqual([b]);
    expect(index.summaries).toEqual([
      expect.objectContaining({ id: 'a', subject: 'agent', tags: ['billing'], criteria: 1, context: true }),
      expect.objectContaining({ id: 'b', tags: [], node: 'repair', min_score: 0.8, context: false }),
    ]);
    expect(index.summaries[0]!.rubric_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(index.summaries[0]!.rubric_hash).not.toBe(index.summaries[1]!.rubric_hash);
  });
});
