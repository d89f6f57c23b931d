/**
 * Every bad input of test/reliability/bad-input/ refused in-process, with the lines a user reads: the
 * plugin's `config` hook (which loads the project: rubric, case files, allowlist, baseline, cassettes,
 * environment) and its `configureVitest` hook (the provider check), on the fixture's project folder.
 * The hooks print a refusal to fd 2 and end the process with exit code 2; here the plugin's `refuse`
 * seam records the lines and throws, so they are read without a child process. That each line reaches
 * stderr of a real `vitest run --project eval`, with exit code 2 and no stack, is the subprocess suite's
 * (test/reliability/bad-input.test.ts), on one fixture per kind.
 */
import type { ConfigEnv, UserConfig } from 'vite';
import { describe, expect, test } from 'vitest';
import { qualify } from '../../../src/vitest/plugin.js';
import { AT_RUN, BAD_INPUTS, BAD_INPUT_ENV, badInputProject } from '../../reliability/bad-input/index.js';

/** What a refusal throws here, so the hook stops where the process would have ended (exit code 2). */
class Exit extends Error {
  constructor(readonly code: number | undefined) {
    super(`process.exit(${code})`);
  }
}

interface Hooks {
  config: (user: UserConfig, env: ConfigEnv) => Promise<UserConfig>;
  configureVitest: (context: unknown) => Promise<void>;
}

/** A `vitest run --project eval` as the configureVitest hook sees it: the eval project selected. */
function vitestRun(): unknown {
  return {
    vitest: {
      config: { project: ['eval'], reporters: [], watch: false, passWithNoTests: false },
      logger: { log: () => undefined },
    },
    project: { name: 'eval', config: { include: [], isolate: false }, provide: () => undefined },
  };
}

/**
 * The lines the plugin's two start-up hooks print on `dir` (each without its `vitest-qualify: ` prefix),
 * and the exit code they end with (undefined when nothing was refused).
 */
async function refuse(dir: string, env: Record<string, string>): Promise<{ lines: string[]; exit?: number }> {
  let printed: string[] = [];
  const plugin = qualify({
    env,
    refuse: (lines) => {
      printed = lines;
      throw new Exit(2);
    },
  }) as unknown as Hooks;
  let exit: number | undefined;
  try {
    await plugin.config({ root: dir }, { command: 'serve', mode: 'test' });
    await plugin.configureVitest(vitestRun());
  } catch (error) {
    if (!(error instanceof Exit)) throw error;
    exit = error.code;
  }
  // A line without the prefix is kept whole, so the comparison shows it.
  const lines = printed.map((line) =>
    line.startsWith('vitest-qualify: ') ? line.slice('vitest-qualify: '.length) : line,
  );
  return exit === undefined ? { lines } : { lines, exit };
}

describe('bad input is refused in-process, before any case, with its lines', { timeout: 30_000 }, () => {
  for (const bad of BAD_INPUTS) {
    const reason = bad.skip?.();
    test.skipIf(reason !== undefined)(`${bad.name}${reason ? ` (skipped: ${reason})` : ''}`, async () => {
      await using project = await badInputProject(bad);
      const { lines, exit } = await refuse(project.dir, { ...BAD_INPUT_ENV, ...bad.env });
      if (AT_RUN.has(bad.name)) {
        // Refused when the worker loads the module, not at start-up: only the subprocess suite sees it.
        expect(lines).toEqual([]);
        expect(exit).toBeUndefined();
        return;
      }
      expect(lines).toEqual([bad.message].flat());
      expect(exit).toBe(2);
    });
  }
});
