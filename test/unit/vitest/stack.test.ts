import { describe, expect, test } from 'vitest';
import { agentLabel } from '../../../src/run/run-case.js';
import { userFrames } from '../../../src/run/stack.js';

const OWN = ['/repo/node_modules/vitest-qualify/dist', '/repo/node_modules/vitest-qualify/src'];

/** The stack of a TypeScript agent that threw in a helper, as Node prints it once Vitest has mapped it. */
const INSTALLED = [
  'TypeError: no knowledge-base entry for 19 chars',
  '    at lookUp (/repo/lib/kb.ts:10:11)',
  '    at /repo/agents/thrower.ts:6:12',
  '    at file:///repo/node_modules/vitest-qualify/dist/vitest/run-case.js:51:81',
  '    at inAgentStage (file:///repo/node_modules/vitest-qualify/dist/vitest/run-case.js:124:22)',
  '    at Function.from (<anonymous>)',
  '    at runCase (file:///repo/node_modules/vitest-qualify/dist/vitest/run-case.js:50:48)',
  '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
  '    at async file:///repo/node_modules/vitest-qualify/dist/vitest/runtime.js:89:36',
  '    at async file:///repo/node_modules/@vitest/runner/dist/chunk-artifact.js:1903:20',
].join('\n');

/** An error whose stack is `stack`, its message the stack's first line. */
function thrown(
  stack: string | undefined,
  message = stack?.split('\n')[0]?.replace(/^\w+: /, '') ?? '',
): Error {
  const error = new Error(message);
  if (stack === undefined) delete error.stack;
  else error.stack = stack;
  return error;
}

describe('userFrames', () => {
  test.each<[string, string | undefined, string[]]>([
    [
      'the installed package: only the agent and its helper',
      INSTALLED,
      ['at lookUp (lib/kb.ts:10:11)', 'at agents/thrower.ts:6:12'],
    ],
    ['no stack', undefined, []],
    ['a stack of ours only (a wrong return shape)', INSTALLED.split('\n').slice(3).join('\n'), []],
    [
      'a dependency of the agent stays, Vitest and Vite go',
      [
        'Error: boom',
        '    at parse (/repo/node_modules/some-lib/index.js:3:9)',
        '    at async answer (file:///repo/agents/a.ts:4:3)',
        '    at async /repo/agents/b.ts:7:1',
        '    at run (/repo/node_modules/vitest/dist/chunks/x.js:1:1)',
        '    at load (/repo/node_modules/vite/dist/node/module-runner.js:2:2)',
      ].join('\n'),
      [
        'at parse (node_modules/some-lib/index.js:3:9)',
        'at async answer (agents/a.ts:4:3)',
        'at async agents/b.ts:7:1',
      ],
    ],
    [
      'a frame a source map points into the package source goes too',
      [
        'Error: boom',
        '    at agent (/repo/agents/a.ts:3:9)',
        '    at runCase (/repo/node_modules/vitest-qualify/src/vitest/run-case.ts:81:24)',
      ].join('\n'),
      ['at agent (agents/a.ts:3:9)'],
    ],
    [
      'a file outside the repository keeps its absolute path; a constructor keeps its new',
      'Error: first\n    at helper (/elsewhere/lib.ts:2:5)\n    at new Store (/repo/src/store.ts:8:3)',
      ['at helper (/elsewhere/lib.ts:2:5)', 'at new Store (src/store.ts:8:3)'],
    ],
  ])('%s', (_name, stack, expected) => {
    expect(userFrames(thrown(stack), '/repo', OWN)).toEqual(expected);
  });

  test("the message's own lines are not frames, even when they look like one", () => {
    const error = thrown(
      'TypeError: cannot read the knowledge base\n  at somewhere (kb.ts:1:1)\n    at agent (/repo/agents/thrower.ts:2:9)',
      'cannot read the knowledge base\n  at somewhere (kb.ts:1:1)',
    );
    expect(userFrames(error, '/repo', OWN)).toEqual(['at agent (agents/thrower.ts:2:9)']);
  });

  test('an error thrown here: its frame in this file, relative to the root', () => {
    const error = new Error('here');
    const line = new Error().stack!.split('\n')[1]!.match(/:(\d+):\d+\)?$/)![1]!;
    expect(userFrames(error, process.cwd())).toEqual([
      `at test/unit/vitest/stack.test.ts:${Number(line) - 1}:19`,
    ]);
  });
});

describe('agentLabel', () => {
  test.each([
    ['agent', 'the agent'],
    ['drafter', 'the drafter agent'],
    ['support-agent', 'the support-agent'],
    ['reagent', 'the reagent agent'],
    ['Agent', 'the Agent'],
  ])('%s -> %s', (subject, label) => {
    expect(agentLabel(subject)).toBe(label);
  });
});
