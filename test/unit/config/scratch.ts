import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect, onTestFinished } from 'vitest';
import { ConfigValidationError } from '../../../src/config/problems.js';

/**
 * A scratch folder holding `files` (path -> text), removed when the test finishes.
 *
 * @example
 * const dir = await scratch({ 'rubric.yaml': 'judge: openai:gpt-5\n' })
 */
export async function scratch(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'qualify-config-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

/**
 * The error a load rejects with, checked to be a `ConfigValidationError`.
 *
 * @example
 * const error = await configError(loadRubric(path))
 */
export async function configError(promise: Promise<unknown>): Promise<ConfigValidationError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigValidationError);
  return error as ConfigValidationError;
}

/**
 * The one-line messages of every problem a load rejects with.
 *
 * @example
 * expect(await problemMessages(loadRubric(path))).toEqual(['rubric.yaml:1:1: ...'])
 */
export async function problemMessages(promise: Promise<unknown>): Promise<string[]> {
  return (await configError(promise)).problems.map((problem) => problem.message);
}

/** The smallest valid rubric, plus `extra` lines. */
export function rubricYaml(extra = ''): string {
  return `model_primary: anthropic:claude-sonnet-4-6\njudge: openai:gpt-5\nthresholds: {}\n${extra}`;
}
