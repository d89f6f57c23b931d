import { describe, expect, test } from 'vitest';
import type { ProjectCase } from '../../../src/config/project.js';
import type { CaseModule } from '../../../src/vitest/context.js';
import { caseModuleCode } from '../../../src/vitest/plugin.js';

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
function evaluate(code: string): unknown {
  const [first, ...rest] = code.split('\n');
  expect(first).toBe(`import { defineCaseTests } from ${JSON.stringify(RUNTIME)};`);
  let received: unknown;
  new Function('defineCaseTests', rest.join('\n'))((module: unknown) => {
    received = module;
  });
  return received;
}

describe('caseModuleCode', () => {
  test('hands the runtime the payload unchanged, whatever the case text holds', () => {
    const hostile = 'quote " backslash \\ newline \n tab \t backtick ` ${x} </script> \u2028 \u2029 é 🙂';
    const payload: CaseModule = {
      file: '/repo/eval/cases.yaml',
      cases: [projectCase('a', hostile), projectCase('b', 'plain')],
    };
    expect(evaluate(caseModuleCode(RUNTIME, payload))).toEqual(payload);
  });

  test('passes the cases as one JSON string, not an object literal', () => {
    const cases = Array.from({ length: 3 }, (_, i) => projectCase(`case-${i}`, `Question ${i}`));
    const code = caseModuleCode(RUNTIME, { file: '/repo/eval/cases.yaml', cases });
    expect(code.split('\n')[1]).toMatch(/^defineCaseTests\(JSON\.parse\(".*"\)\);$/);
    expect(code.split('\n')).toHaveLength(3);
  });
});
