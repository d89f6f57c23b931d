import { describe, expect, test } from 'vitest';
import { GitError, gitConfig, gitIn, runGit } from '../../../src/internal/git.js';
import { git, scratch } from '../../helpers/scratch.js';

describe('runGit', () => {
  test('resolves to stdout, in the directory given', async () => {
    await using dir = await scratch();
    git(dir.dir, 'init', '-q', '-b', 'main');
    expect(
      (await runGit(['symbolic-ref', '--short', 'HEAD'], { cwd: dir.dir, env: process.env })).trim(),
    ).toBe('main');
  });

  test('a failing git is a GitError with its exit code and first line of stderr', async () => {
    await using dir = await scratch();
    const failed = await runGit(['rev-parse', '--verify', 'nope'], { cwd: dir.dir, env: process.env }).catch(
      (error: unknown) => error,
    );
    expect(failed).toBeInstanceOf(GitError);
    expect(failed).toMatchObject({ code: 'E_GIT', exitCode: 128 });
    expect((failed as GitError).message).toMatch(/^git rev-parse --verify nope failed: fatal: /);
  });

  test('runs with the environment passed in, not process.env', async () => {
    await using dir = await scratch();
    git(dir.dir, 'init', '-q', '-b', 'main');
    const env = {
      ...process.env,
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'qualify.probe',
      GIT_CONFIG_VALUE_0: 'yes',
    };
    expect(await gitConfig(gitIn({ cwd: dir.dir, env }), 'qualify.probe')).toBe('yes');
    expect(await gitConfig(gitIn({ cwd: dir.dir, env: process.env }), 'qualify.probe')).toBeUndefined();
  });
});
