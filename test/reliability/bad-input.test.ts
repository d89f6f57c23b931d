/**
 * Bad input is refused, not crashed on: every fixture runs through the entry
 * point a user runs (`vitest run --project eval`), exits 2, and prints one line
 * that names what is wrong and what to do, without a stack trace.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { evalProject } from '../e2e/harness.js';
import { CASE_INPUTS } from './bad-input/cases.js';
import { FILE_INPUTS } from './bad-input/files.js';
import { PROVIDER_INPUTS } from './bad-input/providers.js';
import { RUBRIC_INPUTS } from './bad-input/rubric.js';
import { BASE, type BadInput } from './bad-input/types.js';

/** Every bad input the suite tries. */
export const BAD_INPUTS: BadInput[] = [...RUBRIC_INPUTS, ...CASE_INPUTS, ...FILE_INPUTS, ...PROVIDER_INPUTS];

/** The messages of the `vitest-qualify:` lines, which start a line on every Vitest release. */
function refusals(output: string): string[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('vitest-qualify: '))
    .map((line) => line.slice('vitest-qualify: '.length));
}

/** No provider is reachable: a refusal must come before any model call (PROVIDER_INPUTS: it is the refusal). */
const ENV = {
  OPENAI_API_KEY: 'sk-bad-input',
  OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
  QUALIFY_CACHE: 'off',
};

describe.concurrent('bad input is refused with one line and exit code 2', { timeout: 120_000 }, () => {
  test('there are at least 40 bad inputs, each named once', () => {
    expect(BAD_INPUTS.length).toBeGreaterThanOrEqual(40);
    expect(new Set(BAD_INPUTS.map((b) => b.name)).size).toBe(BAD_INPUTS.length);
  });

  for (const bad of BAD_INPUTS) {
    const reason = bad.skip?.();
    test.skipIf(reason !== undefined)(`${bad.name}${reason ? ` (skipped: ${reason})` : ''}`, async () => {
      const written = Object.fromEntries(Object.entries(bad.files).filter(([, v]) => v !== null)) as Record<
        string,
        string
      >;
      await using project = await evalProject({ ...BASE, ...written });
      for (const [file, content] of Object.entries(bad.files)) {
        if (content === null) await rm(path.join(project.dir, file));
      }
      await bad.prepare?.(project.dir);
      const run = await project.vitest(['run', '--project', 'eval'], { ...ENV, ...bad.env });
      const output = `${run.stdout}\n${run.stderr}`;
      expect(run.code, output).toBe(2);
      expect(refusals(run.stderr), output).toEqual([bad.message].flat());
      expect(refusals(run.stdout)).toEqual([]);
      expect(output.split('\n').filter((line) => line.startsWith('    at '))).toEqual([]);
    });
  }
});
