/**
 * The explicit setup entry: registers `toScoreAtLeast` and `notRegressBeyond`.
 * The `qualify()` plugin adds it to `setupFiles`; add it yourself to use the
 * matchers in other projects: `setupFiles: ['vitest-qualify/setup']`.
 */
import { expect } from 'vitest';
import { qualifyMatchers } from './matchers.js';

expect.extend(qualifyMatchers);
