import { describe, expect, test } from 'vitest';
import { git, scratch, type Scratch } from '../../helpers/scratch.js';
import { changesModelLine } from '../../../src/cli/commands/check-pr/model-commits.js';
import {
  hasReleaseDate,
  hasReleaseLink,
  releaseNoteGaps,
} from '../../../src/cli/commands/check-pr/release-note.js';
import { qualify } from './io.js';

const RUBRIC = `# the contract
model_primary: anthropic:claude-sonnet-4-6
model_fallback: openai:gpt-5-mini
judge: openai:gpt-5
embeddings: openai:text-embedding-3-small
thresholds:
  rubric_min_score: 0.82
  ragas: 0.78
  max_per_case_regression: 3
agent: agents/agent.ts
cases: eval/cases.yaml
providers:
  anthropic: { rpm: 50, timeout_s: 60 }
`;

const BASE_FILES: Record<string, string> = {
  'rubric.yaml': RUBRIC,
  'eval/cases.yaml': 'cases:\n  - id: a\n    input: hi\n',
  'eval/baseline.json': '{}\n',
  'eval/allowlist.yaml': '[]\n',
  'ops/failure_playbook.md': '# playbook\n',
  'agents/agent.ts': 'export default 1;\n',
  'agents/prompts/system.md': 'Be precise.\n',
  '.github/workflows/eval.yml': 'name: eval\n',
  'README.md': '# agent\n',
};

/** A repository whose main holds the leave-behind (with `files` over it), checked out on a new `branch`. */
async function repo(branch: string, files: Record<string, string> = {}): Promise<Scratch> {
  const dir = await scratch('qualify-check-pr-');
  git(dir.dir, 'init', '-q', '-b', 'main');
  for (const [file, text] of Object.entries({ ...BASE_FILES, ...files })) await dir.write(file, text);
  git(dir.dir, 'add', '.');
  git(dir.dir, 'commit', '-qm', 'leave-behind');
  git(dir.dir, 'checkout', '-qb', branch);
  return dir;
}

/** A commit message that names the release (date and link), as check-pr wants on a model commit. */
const NOTED =
  'Qualify claude-opus-4-7\n\nReleased 2026-11-20: https://www.anthropic.com/news/claude-opus-4-7';

/** Write files and commit them on the current branch; returns the short sha. */
async function commit(dir: Scratch, files: Record<string, string>, message = NOTED): Promise<string> {
  for (const [file, text] of Object.entries(files)) await dir.write(file, text);
  git(dir.dir, 'add', '.');
  git(dir.dir, 'commit', '-qm', message);
  return git(dir.dir, 'rev-parse', '--short', 'HEAD').trim();
}

const swap = (text: string) => text.replace('anthropic:claude-sonnet-4-6', 'anthropic:claude-opus-4-7');
const OPUS = 'model/anthropic-claude-opus-4-7';
const REFUSED =
  'a qualification PR changes model_primary (and model_fallback) in rubric.yaml, the playbook, the baseline and the allowlist, nothing else';

describe('qualify check-pr on a model/ branch', () => {
  test('model_primary, model_fallback, the baseline, the playbook and the allowlist may change', async () => {
    await using dir = await repo(OPUS);
    await commit(dir, {
      'rubric.yaml': swap(RUBRIC).replace('openai:gpt-5-mini', 'anthropic:claude-sonnet-4-6'),
      'eval/baseline.json': '{"model": "anthropic:claude-opus-4-7"}\n',
      'ops/failure_playbook.md': '# playbook, promoted\n',
      'eval/allowlist.yaml': '- case: a\n',
    });
    expect(await qualify(dir.dir, ['check-pr', '--base', 'main'])).toEqual({
      code: 0,
      out: `qualification PR ${OPUS}: only allowed changes (eval/allowlist.yaml, eval/baseline.json, ops/failure_playbook.md, rubric.yaml)\n`,
      err: '',
    });
  });

  test('an extra file is named and refused; --allow admits it', async () => {
    await using dir = await repo(OPUS);
    await commit(dir, { 'rubric.yaml': swap(RUBRIC), 'README.md': '# agent on opus\n' });
    expect(await qualify(dir.dir, ['check-pr', '--base', 'main'])).toEqual({
      code: 1,
      out:
        'README.md: not among the files a qualification PR may change (rubric.yaml, ops/failure_playbook.md, ' +
        'eval/watch-state.json, eval/baseline.json, eval/allowlist.yaml, eval/cassettes/**/*.jsonl); move it to a separate PR, or pass --allow README.md if it belongs here\n' +
        `refused, 1 violation: ${REFUSED}\n`,
      err: '',
    });
    expect((await qualify(dir.dir, ['check-pr', '--base', 'main', '--allow', 'README.md'])).code).toBe(0);
  });

  test('the cassettes a qualification run records are accepted; other files under cache.dir are not', async () => {
    await using dir = await repo(OPUS, { 'eval/cassettes/openai/gpt-5.jsonl': '{"old":1}\n' });
    const cassette = '{"format":"vitest-qualify/cassette@1"}\n';
    await commit(dir, {
      'rubric.yaml': swap(RUBRIC),
      'eval/cassettes/anthropic/claude-opus-4-7.jsonl': cassette,
      'eval/cassettes/openai/gpt-5.jsonl': `{"old":1}\n${cassette}`,
    });
    expect(await qualify(dir.dir, ['check-pr', '--base', 'main'])).toEqual({
      code: 0,
      out:
        `qualification PR ${OPUS}: only allowed changes (eval/cassettes/anthropic/claude-opus-4-7.jsonl, ` +
        'eval/cassettes/openai/gpt-5.jsonl, rubric.yaml)\n',
      err: '',
    });
    await commit(dir, { 'eval/cassettes/anthropic/claude-opus-4-7.jsonl.lock': '123\n' });
    const { code, out } = await qualify(dir.dir, ['check-pr', '--base', 'main']);
    expect(code).toBe(1);
    expect(out.split('\n')[0]).toBe(
      'eval/cassettes/anthropic/claude-opus-4-7.jsonl.lock: not among the files a qualification PR may change ' +
        '(rubric.yaml, ops/failure_playbook.md, eval/watch-state.json, eval/baseline.json, eval/allowlist.yaml, eval/cassettes/**/*.jsonl); ' +
        'move it to a separate PR, or pass --allow eval/cassettes/anthropic/claude-opus-4-7.jsonl.lock if it belongs here',
    );
  });

  test('cassettes are looked for where cache.dir points', async () => {
    await using dir = await repo(OPUS, {
      'rubric.yaml': `${RUBRIC}cache: { dir: recordings/ }\n`,
    });
    await commit(dir, {
      'rubric.yaml': swap(`${RUBRIC}cache: { dir: recordings/ }\n`),
      'recordings/anthropic/claude-opus-4-7.jsonl': '{}\n',
      'eval/cassettes/anthropic/claude-opus-4-7.jsonl': '{}\n',
    });
    const { code, out } = await qualify(dir.dir, ['check-pr', '--base', 'main', '--json']);
    expect(code).toBe(1);
    expect(
      JSON.parse(out).violations.map((v: { rule: string; file: string }) => `${v.rule} ${v.file}`),
    ).toEqual(['file-not-allowed eval/cassettes/anthropic/claude-opus-4-7.jsonl']);
  });

  test('--allow takes globs; a glob never admits a protected path', async () => {
    await using dir = await repo(OPUS);
    await commit(dir, {
      'rubric.yaml': swap(RUBRIC),
      'docs/releases/opus.md': '# opus\n',
      'docs/releases/2026/notes.md': '# notes\n',
      'README.md': '# agent on opus\n',
      'agents/prompts/system.md': 'Be terse.\n',
    });
    const { code, out } = await qualify(dir.dir, [
      'check-pr',
      '--base',
      'main',
      '--allow',
      'docs/releases/**',
      '--allow',
      'agents/**',
      '--json',
    ]);
    expect(code).toBe(1);
    expect(
      JSON.parse(out).violations.map((v: { rule: string; file: string }) => `${v.rule} ${v.file}`),
    ).toEqual(['file-not-allowed README.md', 'protected-path agents/prompts/system.md']);
  });

  test('a threshold edit is named with its key path', async () => {
    await using dir = await repo(OPUS);
    await commit(dir, {
      'rubric.yaml': swap(RUBRIC).replace('rubric_min_score: 0.82', 'rubric_min_score: 0.8'),
    });
    const { code, out } = await qualify(dir.dir, ['check-pr', '--base', 'main']);
    expect(code).toBe(1);
    expect(out.split('\n')[0]).toBe(
      'rubric.yaml: thresholds.rubric_min_score changed from 0.82 to 0.8; a qualification PR changes only ' +
        'model_primary and model_fallback: move this edit to its own PR',
    );
  });

  test('a judge edit and an added price are refused, each on its own line', async () => {
    await using dir = await repo(OPUS);
    const edited = swap(RUBRIC).replace('judge: openai:gpt-5\n', 'judge: openai:gpt-5.1\n');
    await commit(dir, {
      'rubric.yaml': `${edited}prices:\n  anthropic:claude-opus-4-7: { input_per_mtok: 5, output_per_mtok: 25 }\n`,
    });
    const { code, out } = await qualify(dir.dir, ['check-pr', '--base', 'main']);
    expect(code).toBe(1);
    expect(out.split('\n').slice(0, 2)).toEqual([
      'rubric.yaml: judge changed from "openai:gpt-5" to "openai:gpt-5.1"; a qualification PR changes only model_primary and model_fallback: move this edit to its own PR',
      'rubric.yaml: prices was added (a map); a qualification PR changes only model_primary and model_fallback: move this edit to its own PR',
    ]);
    expect(out.split('\n')[2]).toBe(`refused, 2 violations: ${REFUSED}`);
  });

  test('a case file the rubric names is protected', async () => {
    await using dir = await repo(OPUS);
    await commit(dir, {
      'rubric.yaml': swap(RUBRIC),
      'eval/cases.yaml': 'cases:\n  - id: a\n    input: hello\n',
    });
    const { code, out } = await qualify(dir.dir, ['check-pr', '--base', 'main']);
    expect(code).toBe(1);
    expect(out.split('\n')[0]).toBe(
      'eval/cases.yaml: is a case file rubric.yaml names; a qualification PR never changes it: move this change to a separate PR',
    );
  });

  test('agents/ and .github/ are protected, even with --allow', async () => {
    await using dir = await repo(OPUS);
    await commit(dir, {
      'rubric.yaml': swap(RUBRIC),
      'agents/prompts/system.md': 'Be terse.\n',
      '.github/workflows/eval.yml': 'name: eval2\n',
    });
    const { code, out } = await qualify(dir.dir, [
      'check-pr',
      '--base',
      'main',
      '--allow',
      'agents/prompts/system.md',
    ]);
    expect(code).toBe(1);
    expect(out.split('\n').slice(0, 2)).toEqual([
      '.github/workflows/eval.yml: is under .github/ (CI); a qualification PR never changes it: move this change to a separate PR',
      'agents/prompts/system.md: is under agents/ (the agent); a qualification PR never changes it: move this change to a separate PR',
    ]);
  });

  test('the branch must be named after the new model_primary', async () => {
    await using dir = await repo('model/anthropic-claude-opus-4-6');
    await commit(dir, { 'rubric.yaml': swap(RUBRIC) });
    expect(await qualify(dir.dir, ['check-pr', '--base', 'main'])).toEqual({
      code: 1,
      out:
        'rubric.yaml: model_primary is anthropic:claude-opus-4-7 but the branch is model/anthropic-claude-opus-4-6: ' +
        'name the branch model/anthropic-claude-opus-4-7\n' +
        `refused, 1 violation: ${REFUSED}\n`,
      err: '',
    });
  });

  test('--json gives ok, the branch and the violations with rule, file and key', async () => {
    await using dir = await repo(OPUS);
    await commit(dir, { 'rubric.yaml': swap(RUBRIC).replace('ragas: 0.78', 'ragas: 0.7') });
    const { code, out } = await qualify(dir.dir, ['check-pr', '--base', 'main', '--json']);
    expect(code).toBe(1);
    expect(JSON.parse(out)).toEqual({
      ok: false,
      branch: OPUS,
      base: 'main',
      qualification: true,
      changed: ['rubric.yaml'],
      violations: [
        {
          rule: 'rubric-key',
          file: 'rubric.yaml',
          key: 'thresholds.ragas',
          message:
            'rubric.yaml: thresholds.ragas changed from 0.78 to 0.7; a qualification PR changes only model_primary and model_fallback: move this edit to its own PR',
        },
      ],
    });
  });
});

describe('qualify check-pr: the commit that changes model_primary names the release', () => {
  const EXAMPLE = 'Released 2026-11-20: https://www.anthropic.com/news/claude-opus-4-7';

  test('a model commit without a date and a link is named with what is missing and git commit --amend', async () => {
    await using dir = await repo(OPUS);
    const sha = await commit(dir, { 'rubric.yaml': swap(RUBRIC) }, 'Swap to opus');
    expect(await qualify(dir.dir, ['check-pr', '--base', 'main'])).toEqual({
      code: 1,
      out:
        `rubric.yaml: commit ${sha} "Swap to opus" changes model_primary but its message has no release date ` +
        `(YYYY-MM-DD) and no https:// link to the release: reword it with git commit --amend to add a line like "${EXAMPLE}"\n` +
        `refused, 1 violation: ${REFUSED}\n`,
      err: '',
    });
    git(dir.dir, 'commit', '-q', '--amend', '-m', `Swap to opus\n\n${EXAMPLE}`);
    expect(await qualify(dir.dir, ['check-pr', '--base', 'main'])).toEqual({
      code: 0,
      out: `qualification PR ${OPUS}: only allowed changes (rubric.yaml)\n`,
      err: '',
    });
  });

  test('the date alone or the link alone is not enough; the note may be in the subject', async () => {
    await using dir = await repo(OPUS);
    const sha = await commit(dir, { 'rubric.yaml': swap(RUBRIC) }, 'Opus 4.7, released 2026-11-20');
    const { code, out } = await qualify(dir.dir, ['check-pr', '--base', 'main', '--json']);
    expect(code).toBe(1);
    expect(JSON.parse(out).violations).toEqual([
      {
        rule: 'release-note',
        file: 'rubric.yaml',
        key: 'model_primary',
        commit: sha,
        message:
          `rubric.yaml: commit ${sha} "Opus 4.7, released 2026-11-20" changes model_primary but its message has ` +
          `no https:// link to the release: reword it with git commit --amend to add a line like "${EXAMPLE}"`,
      },
    ]);
    git(dir.dir, 'commit', '-q', '--amend', '-m', 'Opus 4.7 (http://example.com/opus, 20 Nov 2026)');
    const again = await qualify(dir.dir, ['check-pr', '--base', 'main']);
    expect(again.code).toBe(1);
    expect(again.out.split('\n')[0]).toContain(
      'has no release date (YYYY-MM-DD) and no https:// link to the release',
    );
    git(dir.dir, 'commit', '-q', '--amend', '-m', 'Opus 4.7 2026-11-20 https://www.anthropic.com/news');
    expect((await qualify(dir.dir, ['check-pr', '--base', 'main'])).code).toBe(0);
  });

  test('an older model commit is reworded with git rebase -i; commits that leave model_primary alone are not checked', async () => {
    await using dir = await repo(OPUS);
    const sha = await commit(
      dir,
      { 'rubric.yaml': swap(RUBRIC) },
      'Swap to opus\n\nSee https://www.anthropic.com/news',
    );
    await commit(
      dir,
      { 'rubric.yaml': swap(RUBRIC).replace('openai:gpt-5-mini', 'anthropic:claude-sonnet-4-6') },
      'Old primary becomes the fallback',
    );
    await commit(dir, { 'ops/failure_playbook.md': '# playbook, promoted\n' }, 'Playbook');
    expect((await qualify(dir.dir, ['check-pr', '--base', 'main'])).out.split('\n')).toEqual([
      `rubric.yaml: commit ${sha} "Swap to opus" changes model_primary but its message has no release date ` +
        `(YYYY-MM-DD): reword it with git rebase -i ${sha}^ (reword ${sha}) to add a line like "${EXAMPLE}"`,
      `refused, 1 violation: ${REFUSED}`,
      '',
    ]);
  });

  test('every commit that changes model_primary is checked; a merge of the base is not', async () => {
    await using dir = await repo('model/anthropic-claude-opus-4-6');
    const first = await commit(
      dir,
      { 'rubric.yaml': RUBRIC.replace('claude-sonnet-4-6', 'claude-opus-4-6') },
      'Try opus 4.6',
    );
    git(dir.dir, 'checkout', '-q', 'main');
    await commit(dir, { 'README.md': '# agent, again\n' }, 'Unrelated work on main');
    git(dir.dir, 'checkout', '-q', 'model/anthropic-claude-opus-4-6');
    git(dir.dir, 'merge', '-q', '--no-edit', 'main');
    const { code, out } = await qualify(dir.dir, ['check-pr', '--base', 'main', '--json']);
    expect(code).toBe(1);
    expect(
      JSON.parse(out).violations.map((v: { rule: string; commit?: string }) => `${v.rule} ${v.commit}`),
    ).toEqual([`release-note ${first}`]);
  });

  test('a model commit on the PR branch of a pull-request run (HEAD a detached merge commit)', async () => {
    await using dir = await repo(OPUS);
    const sha = await commit(dir, { 'rubric.yaml': swap(RUBRIC) }, 'Swap');
    git(dir.dir, 'checkout', '-q', 'main');
    git(dir.dir, 'merge', '-q', '--no-ff', '--no-edit', OPUS);
    git(dir.dir, 'checkout', '-q', '--detach');
    git(dir.dir, 'update-ref', 'refs/remotes/origin/main', 'main~1');
    const env = { GITHUB_HEAD_REF: OPUS, GITHUB_BASE_REF: 'main' };
    const { code, out } = await qualify(dir.dir, ['check-pr'], { env });
    expect(code).toBe(1);
    expect(out.split('\n')[0]).toMatch(
      new RegExp(`^rubric.yaml: commit ${sha} "Swap" changes model_primary but`),
    );
  });

  test.each([
    ['Released 2026-11-20', true],
    ['released on 2026-02-29', false],
    ['2028-02-29', true],
    ['2026-13-01', false],
    ['20/11/2026', false],
    ['v2026-11-201', false],
    ['(2026-11-20)', true],
  ])('a release date: %j is %s', (text, expected) => {
    expect(hasReleaseDate(text)).toBe(expected);
  });

  test.each([
    ['https://openai.com/index/gpt-5-1/', true],
    ['<https://openai.com>.', true],
    ['http://openai.com', false],
    ['https://', false],
    ['openai.com/news', false],
  ])('a release link: %j is %s', (text, expected) => {
    expect(hasReleaseLink(text)).toBe(expected);
  });

  test('releaseNoteGaps names what is missing, date first', () => {
    expect(releaseNoteGaps('nothing')).toEqual(['date', 'link']);
    expect(releaseNoteGaps('https://x.example')).toEqual(['date']);
    expect(releaseNoteGaps('body\n\n2026-11-20 https://x.example/a')).toEqual([]);
  });

  test.each([
    ['-model_primary: a:x\n+model_primary: a:y\n', true],
    ['+model_primary: a:y\n', true],
    ['-model_primary: a:x\n+model_primary: "a:x" # the current one\n', false],
    ['-model_fallback: a:x\n+model_fallback: a:y\n', false],
    ['-  model_primary: a:x\n+  model_primary: a:y\n', false],
  ])('changesModelLine(%j) is %s', (diff, expected) => {
    expect(changesModelLine(diff)).toBe(expected);
  });
});

describe('qualify check-pr on any other branch', () => {
  test('a model_primary change bolted onto a feature PR is refused', async () => {
    await using dir = await repo('feature/refunds');
    await commit(dir, { 'rubric.yaml': swap(RUBRIC), 'agents/agent.ts': 'export default 2;\n' });
    expect(await qualify(dir.dir, ['check-pr', '--base', 'main'])).toEqual({
      code: 1,
      out:
        'rubric.yaml: model_primary: this is a feature PR with a model change bolted on: split it ' +
        `(anthropic:claude-sonnet-4-6 -> anthropic:claude-opus-4-7; put the model change alone on branch ${OPUS})\n` +
        'refused: split the model change into its own model/ PR\n',
      err: '',
    });
  });

  test('a branch that does not change model_primary is not a qualification PR', async () => {
    await using dir = await repo('feature/refunds');
    await commit(dir, { 'agents/agent.ts': 'export default 2;\n', 'eval/cases.yaml': 'cases: []\n' });
    expect(await qualify(dir.dir, ['check-pr', '--base', 'main'])).toEqual({
      code: 0,
      out: 'not a qualification PR: feature/refunds is not a model/ branch and model_primary is unchanged\n',
      err: '',
    });
  });

  test('GITHUB_HEAD_REF names the branch in a pull-request run (HEAD is a detached merge commit there)', async () => {
    await using dir = await repo('feature/x');
    await commit(dir, { 'rubric.yaml': swap(RUBRIC) });
    git(dir.dir, 'checkout', '-q', '--detach');
    const env = { GITHUB_HEAD_REF: OPUS, GITHUB_BASE_REF: 'main' };
    git(dir.dir, 'update-ref', 'refs/remotes/origin/main', 'main');
    expect(await qualify(dir.dir, ['check-pr'], { env })).toEqual({
      code: 0,
      out: `qualification PR ${OPUS}: only allowed changes (rubric.yaml)\n`,
      err: '',
    });
  });
});

describe('qualify check-pr: usage and setup errors', () => {
  test('a base ref that does not exist: exit 2 with the fix', async () => {
    await using dir = await repo(OPUS);
    expect(await qualify(dir.dir, ['check-pr', '--base', 'origin/main'])).toEqual({
      code: 2,
      out: '',
      err:
        'qualify check-pr: the base ref origin/main does not exist here: fetch it (actions/checkout with ' +
        'fetch-depth: 0, or git fetch origin main) or pass the right --base <ref>\n',
    });
  });

  test('no --base outside a pull-request run; a detached HEAD without GITHUB_HEAD_REF', async () => {
    await using dir = await repo(OPUS);
    expect((await qualify(dir.dir, ['check-pr'])).err).toBe(
      'qualify check-pr: pass --base <ref>: the branch the PR merges into, e.g. --base origin/main\n',
    );
    git(dir.dir, 'checkout', '-q', '--detach');
    expect(await qualify(dir.dir, ['check-pr', '--base', 'main'])).toEqual({
      code: 2,
      out: '',
      err: 'qualify check-pr: HEAD is detached: check out the PR branch, or set GITHUB_HEAD_REF to its name\n',
    });
  });

  test('outside a git repository', async () => {
    await using dir = await scratch('qualify-check-pr-');
    const env = { GIT_CEILING_DIRECTORIES: dir.dir.replace(/\/[^/]+$/, '') };
    expect(await qualify(dir.dir, ['check-pr', '--base', 'main'], { env })).toEqual({
      code: 2,
      out: '',
      err: `qualify check-pr: ${dir.dir} is not in a git repository: run check-pr in the repository\n`,
    });
  });
});
