import { describe, expect, test } from 'vitest';
import { runChecks, type CheckFunction, type ImportModule } from '../../../src/scorers/checks.js';
import { partialMismatch } from '../../../src/scorers/checks/tool-called.js';
import type { AgentOutput, Check, CheckResult } from '../../../src/scorers/types.js';

const theCase = { id: 'refund', input: 'Return after 40 days?' };

async function one(
  check: Check,
  agent: AgentOutput | string,
  importModule?: ImportModule,
): Promise<CheckResult> {
  const out = typeof agent === 'string' ? { output: agent } : agent;
  const [result] = await runChecks([check], out, theCase, { importModule, root: '/repo' });
  return result!;
}

const text = (kind: 'contains' | 'not_contains', value: string[], ignore_case = false): Check => ({
  kind,
  value,
  ignore_case,
  name: `${kind} ${value.join(',')}`,
});

describe('contains / not_contains', () => {
  test.each([
    [text('contains', ['30 days']), 'within 30 days', true, 'found "30 days" at char 7'],
    [text('contains', ['30 days', 'refund']), 'within 30 days', false, 'missing "refund"'],
    [text('contains', ['A', 'B']), 'xy', false, 'missing "A", "B"'],
    [text('contains', ['REFUND'], true), 'a refund', true, 'found "REFUND" at char 2'],
    [text('contains', ['REFUND']), 'a refund', false, 'missing "REFUND"'],
    [text('not_contains', ['guarantee']), 'We guarantee it', false, 'found "guarantee" at char 3'],
    [text('not_contains', ['guarantee', 'promise'], true), 'I PROMISE', false, 'found "promise" at char 2'],
    [text('not_contains', ['guarantee', 'promise']), 'No.', true, 'none of "guarantee", "promise" found'],
  ])('%j on %j', async (check, output, pass, detail) => {
    expect(await one(check, output)).toEqual({ name: check.name, pass, detail });
  });
});

describe('regex / not_regex', () => {
  const re = (kind: 'regex' | 'not_regex', value: string, flags = ''): Check => ({
    kind,
    value,
    flags,
    name: 'r',
  });
  test.each([
    [re('regex', '30[ -]day'), 'a 30-day window', true, 'matched "30-day" at char 2'],
    [re('regex', '30[ -]day'), 'a month', false, 'no match for /30[ -]day/'],
    [re('regex', '^no\\b', 'i'), 'No, sorry', true, 'matched "No" at char 0'],
    [re('not_regex', '\\d{4}-\\d{4}'), 'card 1234-5678', false, 'matched "1234-5678" at char 5'],
    [re('not_regex', '\\d{4}-\\d{4}'), 'no card', true, 'no match for /\\d{4}-\\d{4}/'],
  ])('%j on %j', async (check, output, pass, detail) => {
    expect(await one(check, output)).toEqual({ name: 'r', pass, detail });
  });

  test('a pattern that does not compile is a failed check, not a crash', async () => {
    const result = await one(re('regex', '('), 'x');
    expect(result.pass).toBe(false);
    expect(result.detail).toBe('could not run: Invalid regular expression: /(/: Unterminated group');
  });
});

describe('equals / starts_with', () => {
  const eq = (value: string, over: { ignore_case?: boolean; trim?: boolean } = {}): Check => ({
    kind: 'equals',
    value,
    ignore_case: over.ignore_case ?? false,
    trim: over.trim ?? true,
    name: 'eq',
  });
  test.each([
    [eq('yes'), '  yes\n', true, 'equals "yes"'],
    [eq('yes', { trim: false }), ' yes', false, 'differs at char 0: expected "yes", got " yes"'],
    [eq('yes'), 'yes.', false, 'differs at char 3: expected "yes", got "yes."'],
    [eq('Yes', { ignore_case: true }), 'yES', true, 'equals "Yes"'],
    [eq('Yes'), 'yES', false, 'differs at char 0: expected "Yes", got "yES"'],
  ])('%j on %j', async (check, output, pass, detail) => {
    expect(await one(check, output)).toEqual({ name: 'eq', pass, detail });
  });

  const sw = (value: string, ignore_case = false): Check => ({
    kind: 'starts_with',
    value,
    ignore_case,
    name: 'sw',
  });
  test.each([
    [sw('No'), 'No, sorry', true, 'starts with "No"'],
    [sw('No'), 'Yes, sure', false, 'starts with "Ye" instead of "No"'],
    [sw('no', true), 'NO WAY', true, 'starts with "no"'],
    [sw('Hello'), 'Hi', false, 'starts with "Hi" instead of "Hello"'],
  ])('%j on %j', async (check, output, pass, detail) => {
    expect(await one(check, output)).toEqual({ name: 'sw', pass, detail });
  });
});

describe('max_chars / min_chars', () => {
  test.each([
    [{ kind: 'max_chars', value: 10, name: 'm' }, 'a'.repeat(10), true, '10 chars, within the limit of 10'],
    [{ kind: 'max_chars', value: 10, name: 'm' }, 'a'.repeat(12), false, '12 chars, 2 over the limit of 10'],
    [{ kind: 'max_chars', value: 2, name: 'm' }, '😀😀', true, '2 chars, within the limit of 2'],
    [{ kind: 'min_chars', value: 5, name: 'm' }, 'abc', false, '3 chars, 2 under the minimum of 5'],
    [{ kind: 'min_chars', value: 3, name: 'm' }, 'abc', true, '3 chars, at least 3'],
  ] as const)('%j on %j', async (check, output, pass, detail) => {
    expect(await one(check, output)).toEqual({ name: 'm', pass, detail });
  });
});

describe('json / json_schema', () => {
  test('json', async () => {
    expect(await one({ kind: 'json', name: 'json' }, '{"a":[1]}')).toEqual({
      name: 'json',
      pass: true,
      detail: 'parses as JSON (object)',
    });
    expect(await one({ kind: 'json', name: 'json' }, '[1]')).toMatchObject({
      detail: 'parses as JSON (array)',
    });
    expect(await one({ kind: 'json', name: 'json' }, 'Sure! {"a":1}')).toEqual({
      name: 'json',
      pass: false,
      detail: 'not JSON: Unexpected token \'S\', "Sure! {"a":1}" is not valid JSON',
    });
  });

  const schema: Check = {
    kind: 'json_schema',
    name: 'shape',
    value: {
      type: 'object',
      required: ['answer', 'items'],
      properties: { answer: { type: 'string' }, items: { type: 'array', items: { type: 'integer' } } },
    },
  };

  test('a matching document passes', async () => {
    expect(await one(schema, '{"answer":"no","items":[1,2]}')).toEqual({
      name: 'shape',
      pass: true,
      detail: 'matches the schema',
    });
  });

  test('the failing instance path and message are in the detail', async () => {
    expect(await one(schema, '{"answer":"no","items":[1,"two"]}')).toEqual({
      name: 'shape',
      pass: false,
      detail: 'at /items/1: must be integer',
    });
    expect(await one(schema, '{"answer":3}')).toEqual({
      name: 'shape',
      pass: false,
      detail: "at (root): must have required property 'items' (and 1 more)",
    });
  });

  test('output that is not JSON fails before the schema', async () => {
    expect(await one(schema, 'nope')).toMatchObject({
      pass: false,
      detail: expect.stringMatching(/^not JSON: /),
    });
  });
});

describe('tool_called', () => {
  const call = (name: string, args: unknown, raw = JSON.stringify(args)) => ({
    id: `c-${name}`,
    name,
    arguments: args,
    rawArguments: raw,
  });
  const tc = (name: string, args?: Record<string, unknown>): Check => ({
    kind: 'tool_called',
    value: args === undefined ? { name } : { name, arguments: args },
    name: 'tool',
  });
  const agent = (...toolCalls: ReturnType<typeof call>[]): AgentOutput => ({ output: '', toolCalls });

  test.each([
    [tc('refund'), agent(), false, 'no tool calls; expected "refund"'],
    [
      tc('refund'),
      agent(call('lookup', {}), call('lookup', {}), call('fetch', {})),
      false,
      'no call to "refund"; calls made: lookup, fetch',
    ],
    [tc('refund'), agent(call('refund', { id: 7 })), true, '"refund" called once'],
    [
      tc('refund', { order: { id: 7 } }),
      agent(call('refund', { order: { id: 7, total: 3 }, note: 'x' })),
      true,
      '"refund" called with matching arguments (call 1)',
    ],
    [
      tc('refund', { order: { id: 7 } }),
      agent(call('refund', { order: { id: 8 } }), call('refund', { order: { id: 7 } })),
      true,
      '"refund" called with matching arguments (call 2)',
    ],
    [
      tc('refund', { order: { id: 7 } }),
      agent(call('refund', { order: { id: 8 } })),
      false,
      '"refund" called once, arguments never matched: at .order.id expected 7, got 8',
    ],
    [
      tc('refund', { ids: [1, 2] }),
      agent(call('refund', { ids: [1] }), call('refund', { ids: [1, 3] })),
      false,
      '"refund" called 2 times, arguments never matched: at .ids expected 2 items, got 1',
    ],
    [
      tc('refund', { id: 7 }),
      agent(call('refund', undefined, '{"id":7')),
      false,
      '"refund" called once, arguments never matched: arguments are not JSON: "{\\"id\\":7"',
    ],
  ])('%#', async (check, out, pass, detail) => {
    expect(await one(check, out)).toEqual({ name: 'tool', pass, detail });
  });

  test.each([
    [{ a: 1 }, { a: 1, b: 2 }, undefined],
    [{ a: { b: [1, { c: 'x' }] } }, { a: { b: [1, { c: 'x', d: 0 }] } }, undefined],
    [{ a: { b: [1, { c: 'x' }] } }, { a: { b: [1, { c: 'y' }] } }, 'at .a.b[1].c expected "x", got "y"'],
    [{ a: 1 }, {}, 'at .a missing'],
    [{ a: null }, { a: 0 }, 'at .a expected null, got 0'],
    [{ a: {} }, { a: [] }, 'at .a expected an object, got []'],
    [[1], { 0: 1 }, 'at (root) expected an array, got {"0":1}'],
  ])('partialMismatch(%j, %j)', (expected, actual, problem) => {
    expect(partialMismatch(expected, actual)).toBe(problem);
  });
});

describe('javascript', () => {
  const js = (exported = 'default'): Check => ({
    kind: 'javascript',
    value: 'checks/x.ts',
    export: exported,
    name: 'js',
  });
  const loader =
    (exports: Record<string, unknown>, seen: string[] = []): ImportModule =>
    async (path) => {
      seen.push(path);
      return exports;
    };

  test('gets (output, case, agent) and the path resolved against the root', async () => {
    const seen: string[] = [];
    const calls: unknown[][] = [];
    const fn: CheckFunction = (...args) => {
      calls.push(args);
      return true;
    };
    const agent = { output: 'hi', context: ['c'] };
    expect(await one(js(), agent, loader({ default: fn }, seen))).toEqual({
      name: 'js',
      pass: true,
      detail: 'checks/x.ts#default returned true',
    });
    expect(seen).toEqual(['/repo/checks/x.ts']);
    expect(calls).toEqual([['hi', theCase, agent]]);
  });

  test.each([
    ['false', () => false, false, 'checks/x.ts#default returned false'],
    ['{ pass, detail }', () => ({ pass: false, detail: 'cites no policy' }), false, 'cites no policy'],
    ['async { pass }', async () => ({ pass: true }), true, 'checks/x.ts#default returned pass: true'],
    [
      'a string',
      () => 'yes',
      false,
      'checks/x.ts#default returned "yes"; return a boolean or { pass, detail }',
    ],
    [
      'a throw',
      () => {
        throw new TypeError('output.foo is undefined');
      },
      false,
      'checks/x.ts#default threw: TypeError: output.foo is undefined',
    ],
    ['a rejection', () => Promise.reject(new Error('boom')), false, 'checks/x.ts#default threw: Error: boom'],
  ])('returning %s', async (_name, fn, pass, detail) => {
    expect(await one(js(), 'hi', loader({ default: fn }))).toEqual({ name: 'js', pass, detail });
  });

  test('a named export', async () => {
    expect(await one(js('citesPolicy'), 'hi', loader({ citesPolicy: () => true }))).toMatchObject({
      pass: true,
      detail: 'checks/x.ts#citesPolicy returned true',
    });
  });

  test('a missing export or a module that fails to load is a failed check', async () => {
    expect(await one(js('nope'), 'hi', loader({ default: () => true }))).toEqual({
      name: 'js',
      pass: false,
      detail: 'checks/x.ts#nope is not a function (got undefined)',
    });
    const failing: ImportModule = () => Promise.reject(new Error('Cannot find module'));
    expect(await one(js(), 'hi', failing)).toEqual({
      name: 'js',
      pass: false,
      detail: 'could not load checks/x.ts#default: Error: Cannot find module',
    });
  });

  test('the default loader imports a real module from the root', async () => {
    const check: Check = {
      kind: 'javascript',
      value: 'fixtures/check-fn.ts',
      export: 'default',
      name: 'real',
    };
    const [result] = await runChecks([check], { output: 'The window is 30 days.' }, theCase, {
      root: new URL('.', import.meta.url).pathname,
    });
    expect(result).toEqual({ name: 'real', pass: true, detail: 'mentions 30 days for refund' });
  });
});

test('runChecks keeps the order and runs every check', async () => {
  const results = await runChecks(
    [
      { kind: 'max_chars', value: 3, name: 'short' },
      { kind: 'contains', value: ['x'], ignore_case: false, name: 'has x' },
    ],
    { output: 'abcd' },
    theCase,
  );
  expect(results.map((r) => [r.name, r.pass])).toEqual([
    ['short', false],
    ['has x', false],
  ]);
});
