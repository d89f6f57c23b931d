import { expect, test } from 'vitest';
import { selected } from '../../../src/vitest/plugin.js';

test.each([
  { filters: [], env: {}, expected: false, why: 'a plain vitest run' },
  { filters: undefined, env: {}, expected: false, why: 'no filter at all' },
  { filters: ['unit'], env: {}, expected: false, why: 'another project' },
  { filters: ['eval'], env: {}, expected: true, why: '--project eval' },
  { filters: ['EVAL'], env: {}, expected: true, why: 'names match case-insensitively, as in Vitest' },
  { filters: ['unit', 'eval'], env: {}, expected: true, why: 'one of several' },
  { filters: ['ev*'], env: {}, expected: true, why: 'a wildcard' },
  { filters: ['*'], env: {}, expected: true, why: 'every project, asked for' },
  { filters: ['e.al'], env: {}, expected: false, why: 'a dot is a dot' },
  { filters: ['evaluation'], env: {}, expected: false, why: 'the whole name must match' },
  { filters: ['!unit'], env: {}, expected: false, why: 'a negation alone names nothing' },
  { filters: [], env: { QUALIFY_RUN: '1' }, expected: true, why: 'QUALIFY_RUN=1 forces it' },
  { filters: [], env: { QUALIFY_RUN: 'true' }, expected: false, why: 'only 1 forces it' },
])('$why: selected($filters) is $expected', ({ filters, env, expected }) => {
  expect(selected(filters, 'eval', env)).toBe(expected);
});
