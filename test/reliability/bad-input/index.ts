/**
 * The bad inputs, read by two suites: test/unit/vitest/bad-input.test.ts checks every one's lines
 * in-process, through the plugin's start-up hooks; test/reliability/bad-input.test.ts runs real
 * `vitest run --project eval` on one of each kind (`SUBPROCESS`).
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { evalProject, type EvalProject } from '../../e2e/harness.js';
import { CASE_INPUTS } from './cases.js';
import { FILE_INPUTS } from './files.js';
import { PROVIDER_INPUTS } from './providers.js';
import { RUBRIC_INPUTS } from './rubric.js';
import { BASE, type BadInput } from './types.js';

export { BASE, type BadInput } from './types.js';

/** Every bad input the suites try. */
export const BAD_INPUTS: BadInput[] = [...RUBRIC_INPUTS, ...CASE_INPUTS, ...FILE_INPUTS, ...PROVIDER_INPUTS];

/** No provider is reachable: a refusal must come before any model call (PROVIDER_INPUTS: it is the refusal). */
export const BAD_INPUT_ENV: Record<string, string> = {
  OPENAI_API_KEY: 'sk-bad-input',
  OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
  QUALIFY_CACHE: 'off',
};

/** Refused when the worker loads a user module, after start-up: only a real run shows the line. */
export const AT_RUN = new Set(['a subject entry that does not export a function']);

/**
 * The inputs run as a user runs them, one per kind: that the line reaches stderr, with exit code 2 and
 * no stack, on the Vitest installed. The 50 MB case file also needs the child's 256 MB heap.
 */
export const SUBPROCESS = new Set([
  'rubric.yaml: a threshold of the wrong type',
  'case files: duplicate ids across files',
  'a 50 MB case file, read with a 256 MB heap',
  'provider: an address that refuses connections',
  'rubric.yaml: empty file',
  ...AT_RUN,
]);

/**
 * The fixture's project: the valid base with the bad input's files written over it (a `null` file
 * removed), and its `prepare` step run. Dispose of it with `await using`.
 *
 * @example
 * await using project = await badInputProject(bad)
 */
export async function badInputProject(bad: BadInput): Promise<EvalProject> {
  const written = Object.fromEntries(Object.entries(bad.files).filter(([, v]) => v !== null)) as Record<
    string,
    string
  >;
  const project = await evalProject({ ...BASE, ...written });
  for (const [file, content] of Object.entries(bad.files)) {
    if (content === null) await rm(path.join(project.dir, file));
  }
  await bad.prepare?.(project.dir);
  return project;
}
