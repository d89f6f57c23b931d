import type { ConfigEnv, UserConfig } from 'vite';
import { describe, expect, test } from 'vitest';
import { qualify } from '../../../src/vitest/plugin.js';
import { scratch } from '../../helpers/scratch.js';

const RUBRIC =
  'model_primary: openai:model-a\njudge: openai:judge-1\nthresholds: { rubric_min_score: 0.5 }\n';
const CASES = 'cases:\n  - id: a\n    input: "Hi"\n    checks: [{ max_chars: 10 }]\n';

/** The plugin's `config` hook on a real project folder: what it adds to the user's config. */
async function configFor(dir: string, user: UserConfig): Promise<UserConfig> {
  const plugin = qualify({ env: {}, git: () => Promise.resolve('') }) as unknown as {
    config: (user: UserConfig, env: ConfigEnv) => Promise<UserConfig>;
  };
  const added = await plugin.config({ root: dir, ...user }, { command: 'serve', mode: 'test' });
  expect(added.test?.include).toEqual(['eval/cases.yaml']); // the project loaded: not a deferred config error
  return added;
}

describe('the config hook', () => {
  test('turns on resolve.tsconfigPaths, so agents resolve the aliases of tsconfig paths', async () => {
    await using dir = await scratch();
    await dir.write('rubric.yaml', RUBRIC);
    await dir.write('eval/cases.yaml', CASES);
    expect((await configFor(dir.dir, {})).resolve).toEqual({ tsconfigPaths: true });
  });

  test("leaves the user's own resolve.tsconfigPaths alone", async () => {
    await using dir = await scratch();
    await dir.write('rubric.yaml', RUBRIC);
    await dir.write('eval/cases.yaml', CASES);
    expect((await configFor(dir.dir, { resolve: { tsconfigPaths: false } })).resolve).toBeUndefined();
  });

  test("bounds the worker's heap growth unless the user's execArgv sets it", async () => {
    await using dir = await scratch();
    await dir.write('rubric.yaml', RUBRIC);
    await dir.write('eval/cases.yaml', CASES);
    expect((await configFor(dir.dir, {})).test?.execArgv).toEqual(['--heap-growing-percent=50']);
    const own = { test: { execArgv: ['--heap-growing-percent=20'] } };
    expect((await configFor(dir.dir, own)).test?.execArgv).toBeUndefined();
  });
});
