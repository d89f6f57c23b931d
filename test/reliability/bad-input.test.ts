/**
 * Bad input is refused, not crashed on: one fixture of each kind (`SUBPROCESS`:
 * rubric, case file, file system, provider, several problems, a module refused
 * as it loads) runs through the entry point a user runs (`vitest run --project
 * eval`), exits 2, and prints one line per problem that names what is wrong and
 * what to do, without a stack trace. Every fixture's lines are checked
 * in-process by test/unit/vitest/bad-input.test.ts.
 */
import { describe, expect, test } from 'vitest';
import { BAD_INPUTS, BAD_INPUT_ENV, badInputProject, SUBPROCESS } from './bad-input/index.js';

/** The messages of the `vitest-qualify:` lines, which start a line on every Vitest release. */
function refusals(output: string): string[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('vitest-qualify: '))
    .map((line) => line.slice('vitest-qualify: '.length));
}

describe.concurrent('bad input is refused with one line and exit code 2', { timeout: 120_000 }, () => {
  test('there are at least 40 bad inputs, each named once', () => {
    expect(BAD_INPUTS.length).toBeGreaterThanOrEqual(40);
    expect(new Set(BAD_INPUTS.map((b) => b.name)).size).toBe(BAD_INPUTS.length);
    expect(BAD_INPUTS.filter((b) => SUBPROCESS.has(b.name)).length).toBe(SUBPROCESS.size);
  });

  for (const bad of BAD_INPUTS.filter((b) => SUBPROCESS.has(b.name))) {
    const reason = bad.skip?.();
    test.skipIf(reason !== undefined)(`${bad.name}${reason ? ` (skipped: ${reason})` : ''}`, async () => {
      await using project = await badInputProject(bad);
      const run = await project.vitest(['run', '--project', 'eval'], { ...BAD_INPUT_ENV, ...bad.env });
      const output = `${run.stdout}\n${run.stderr}`;
      expect(run.code, output).toBe(2);
      expect(refusals(run.stderr), output).toEqual([bad.message].flat());
      expect(refusals(run.stdout)).toEqual([]);
      expect(output.split('\n').filter((line) => line.startsWith('    at '))).toEqual([]);
    });
  }
});
