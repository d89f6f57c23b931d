import { readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import { findBlocks } from '../../../src/cli/playbook/blocks.js';
import { parseModelsTable } from '../../../src/cli/playbook/models-table.js';
import { loadProject } from '../../../src/config/load.js';
import { scratch } from '../../helpers/scratch.js';
import { qualify } from './io.js';

const FILES = [
  '.gitignore',
  'rubric.yaml',
  'eval/cases.yaml',
  'eval/allowlist.yaml',
  'ops/failure_playbook.md',
  '.github/workflows/eval.yml',
  '.github/workflows/watch.yml',
  'vitest.config.ts',
  'package.json',
];
// package.json was written with both packages in devDependencies, and neither is installed.
const PROTECT_HINT =
  'make eval a required check on the default branch (a PR cannot merge past a failed qualification): ' +
  'npx qualify init --protect, with an admin token in GITHUB_TOKEN or GH_TOKEN';
const NEXT =
  'next: npm install, then npx qualify demo (a first run, no keys needed), then npm run eval and npx qualify promote for the first baseline';

async function contents(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const file of FILES) out[file] = await readFile(`${dir}/${file}`, 'utf8').catch(() => '<missing>');
  return out;
}

describe('qualify init', () => {
  test('an empty repository gets the whole leave-behind, and it loads', async () => {
    await using dir = await scratch('qualify-init-');
    const { code, out, err } = await qualify(dir.dir, ['init']);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toBe(
      [
        'wrote rubric.yaml',
        'wrote eval/cases.yaml',
        'wrote eval/allowlist.yaml',
        'wrote ops/failure_playbook.md',
        'wrote .github/workflows/eval.yml',
        'wrote .github/workflows/watch.yml',
        'wrote vitest.config.ts',
        'wrote package.json (scripts.eval)',
        'wrote .gitignore (eval/out/)',
        '',
        PROTECT_HINT,
        NEXT,
        '',
      ].join('\n'),
    );

    const project = await loadProject({ cwd: dir.dir });
    expect(project.rubric.model_primary).toBe('anthropic:claude-sonnet-4-6');
    expect(project.rubric.judge).toBe('openai:gpt-5');
    expect(project.rubric.model_fallback).toBeUndefined();
    expect(project.rubric.thresholds).toEqual({
      rubric_min_score: 0.82,
      ragas: { faithfulness: 0.78, answer_relevancy: 0.78 },
      max_per_case_regression: 3,
    });
    expect(project.rubric.providers).toEqual({
      anthropic: { rpm: 50, max_in_flight: 8, timeout_s: 60 },
      openai: { rpm: 500, max_in_flight: 16, timeout_s: 60 },
    });
    expect(project.cases.map((c) => c.id)).toEqual(['refund-window-basic', 'discount-prompt-injection']);
    expect(project.allowlist).toEqual([]);

    const files = await contents(dir.dir);
    expect(files['rubric.yaml']!.split('\n')[0]).toBe(
      '# yaml-language-server: $schema=./node_modules/vitest-qualify/schemas/rubric.schema.json',
    );
    expect(files['eval/cases.yaml']!.split('\n')[0]).toBe(
      '# yaml-language-server: $schema=../node_modules/vitest-qualify/schemas/cases.schema.json',
    );
    expect(files['eval/allowlist.yaml']!.split('\n')[0]).toBe(
      '# yaml-language-server: $schema=../node_modules/vitest-qualify/schemas/allowlist.schema.json',
    );
    const playbook = files['ops/failure_playbook.md']!;
    expect(parseModelsTable(findBlocks(playbook, 'p').blocks.models, 'p')).toEqual({
      primary: {
        role: 'primary',
        model: 'anthropic:claude-sonnet-4-6',
        limits: { rpm: '50', max_in_flight: '8', timeout_s: '60', max_retries: '-' },
      },
      fallback: undefined,
    });
    expect(findBlocks(playbook, 'p').blocks.history.inner).toEqual([
      '| date | primary | previous primary | verdict | cases | scorecard |',
      '| --- | --- | --- | --- | --- | --- |',
    ]);
    expect(JSON.parse(files['package.json']!)).toEqual({
      name: dir.dir.split('/').at(-1)!.toLowerCase(),
      private: true,
      type: 'module',
      scripts: { eval: 'vitest run --project eval' },
      devDependencies: { vitest: '^4.1.0', 'vitest-qualify': expect.stringMatching(/^\^\d+\.\d+\.\d+/) },
    });
    expect(files['vitest.config.ts']).toContain("plugins: [qualify()],\n        test: { name: 'eval' },");
  });

  test('a second run writes nothing and says so', async () => {
    await using dir = await scratch('qualify-init-');
    await qualify(dir.dir, ['init']);
    const before = await contents(dir.dir);
    const { code, out } = await qualify(dir.dir, ['init']);
    expect(code).toBe(0);
    expect(out).toBe(
      [
        'skipped rubric.yaml (already up to date)',
        'skipped eval/cases.yaml (already up to date)',
        'skipped eval/allowlist.yaml (already up to date)',
        'skipped ops/failure_playbook.md (already up to date)',
        'skipped .github/workflows/eval.yml (already up to date)',
        'skipped .github/workflows/watch.yml (already up to date)',
        'skipped vitest.config.ts (already has the eval project)',
        'skipped package.json (already has scripts.eval)',
        'skipped .gitignore (already ignores eval/out/)',
        '',
        PROTECT_HINT,
        'nothing to write: the leave-behind is already here',
        '',
      ].join('\n'),
    );
    expect(await contents(dir.dir)).toEqual(before);
  });

  test('a non-empty repository: its files are kept, its Vitest config gets a snippet, package.json an eval script', async () => {
    await using dir = await scratch('qualify-init-');
    const pkg =
      '{\n    "name": "agent",\n    "scripts": {\n        "test": "vitest run"\n    },\n    "type": "module"\n}\n';
    await dir.write('package.json', pkg);
    await dir.write('rubric.yaml', '# mine\n');
    await dir.write('vite.config.ts', 'export default {};\n');
    await dir.write('.gitignore', 'node_modules');
    const { code, out } = await qualify(dir.dir, ['init']);
    expect(code).toBe(0);
    expect(out.split('\n').slice(0, 9)).toEqual([
      'skipped rubric.yaml (exists; --force overwrites it)',
      'wrote eval/cases.yaml',
      'wrote eval/allowlist.yaml',
      'wrote ops/failure_playbook.md',
      'wrote .github/workflows/eval.yml',
      'wrote .github/workflows/watch.yml',
      'left vite.config.ts (exists and is yours: add the eval project printed below)',
      'updated package.json (scripts.eval)',
      'updated .gitignore (eval/out/)',
    ]);
    expect(await readFile(dir.path('.gitignore'), 'utf8')).toBe(
      'node_modules\n# vitest-qualify: scorecards are CI output\neval/out/\n',
    );
    expect(out).toContain(
      'Add this project to test.projects in your Vitest config:\n\n// import { qualify }',
    );
    expect(await readFile(dir.path('rubric.yaml'), 'utf8')).toBe('# mine\n');
    expect(await readFile(dir.path('vite.config.ts'), 'utf8')).toBe('export default {};\n');
    await expect(readFile(dir.path('vitest.config.ts'), 'utf8')).rejects.toThrow(/ENOENT/);
    expect(await readFile(dir.path('package.json'), 'utf8')).toBe(
      '{\n    "name": "agent",\n    "scripts": {\n        "test": "vitest run",\n        "eval": "vitest run --project eval"\n    },\n    "type": "module"\n}\n',
    );
  });

  test('--force overwrites what differs, never a Vitest config; a different eval script needs it too', async () => {
    await using dir = await scratch('qualify-init-');
    await dir.write('rubric.yaml', '# mine\n');
    await dir.write('vitest.config.ts', 'export default {};\n');
    await dir.write('package.json', '{\n  "scripts": { "eval": "node eval.js" }\n}\n');
    const first = await qualify(dir.dir, ['init']);
    expect(first.out).toContain(
      'skipped package.json (scripts.eval is "node eval.js"; --force replaces it with the eval project run)\n',
    );
    const { code, out } = await qualify(dir.dir, ['init', '--force']);
    expect(code).toBe(0);
    expect(out.split('\n').filter((_, i) => i === 0 || i === 6 || i === 7)).toEqual([
      'updated rubric.yaml',
      'left vitest.config.ts (exists and is yours: add the eval project printed below)',
      'updated package.json (scripts.eval)',
    ]);
    expect(await readFile(dir.path('rubric.yaml'), 'utf8')).toContain(
      'model_primary: anthropic:claude-sonnet-4-6\n',
    );
    expect(await readFile(dir.path('vitest.config.ts'), 'utf8')).toBe('export default {};\n');
    expect(JSON.parse(await readFile(dir.path('package.json'), 'utf8'))).toEqual({
      scripts: { eval: 'vitest run --project eval' },
    });
  });

  test('the next step names only the packages that are not installed', async () => {
    const lastLine = (out: string) => out.trimEnd().split('\n').at(-1);
    const pkg = '{ "name": "agent", "scripts": { "test": "vitest run" } }\n';
    const installed = (name: string) =>
      [`node_modules/${name}/package.json`, `{ "name": "${name}" }\n`] as const;

    await using both = await scratch('qualify-init-');
    await both.write('package.json', pkg);
    await both.write(...installed('vitest'));
    await both.write(...installed('vitest-qualify'));
    expect(lastLine((await qualify(both.dir, ['init'])).out)).toBe(
      'next: npx qualify demo (a first run, no keys needed), then npm run eval and npx qualify promote for the first baseline',
    );

    await using one = await scratch('qualify-init-');
    await one.write('package.json', pkg);
    await one.write(...installed('vitest'));
    expect(lastLine((await qualify(one.dir, ['init'])).out)).toBe(
      'next: npm install --save-dev vitest-qualify, then npx qualify demo (a first run, no keys needed), then npm run eval and npx qualify promote for the first baseline',
    );

    await using none = await scratch('qualify-init-');
    await none.write('package.json', pkg);
    expect(lastLine((await qualify(none.dir, ['init'])).out)).toBe(
      'next: npm install --save-dev vitest vitest-qualify, then npx qualify demo (a first run, no keys needed), then npm run eval and npx qualify promote for the first baseline',
    );
  });

  test('a package that is not "type": "module" gets vitest.config.mts, which Vite loads as ESM', async () => {
    await using cjs = await scratch('qualify-init-');
    await cjs.write('package.json', '{ "name": "agent", "scripts": { "test": "vitest run" } }\n');
    expect((await qualify(cjs.dir, ['init'])).out).toContain('wrote vitest.config.mts\n');
    expect(await readFile(cjs.path('vitest.config.mts'), 'utf8')).toContain('plugins: [qualify()],');
    await expect(readFile(cjs.path('vitest.config.ts'), 'utf8')).rejects.toThrow(/ENOENT/);

    await using esm = await scratch('qualify-init-');
    await esm.write('package.json', '{ "name": "agent", "type": "module" }\n');
    expect((await qualify(esm.dir, ['init'])).out).toContain('wrote vitest.config.ts\n');
  });

  test('a bad model flag is a usage error and writes nothing', async () => {
    await using dir = await scratch('qualify-init-');
    const { code, err } = await qualify(dir.dir, ['init', '--model', 'gpt-5']);
    expect(code).toBe(2);
    expect(err).toBe(
      'qualify init: --model: "gpt-5" has no provider prefix: write provider:model, e.g. openai:gpt-5 (providers: openai, anthropic, azure, openai-compatible, bedrock, vertex)\n',
    );
    expect(await contents(dir.dir)).toEqual(Object.fromEntries(FILES.map((f) => [f, '<missing>'])));
  });

  test('--json lists what was done with each file', async () => {
    await using dir = await scratch('qualify-init-');
    await dir.write('eval/cases.yaml', 'cases: []\n');
    const { out } = await qualify(dir.dir, ['init', '--json']);
    const result = JSON.parse(out) as { ok: boolean; files: { path: string; action: string }[] };
    expect(result.ok).toBe(true);
    expect(result.files.map((f) => `${f.action} ${f.path}`)).toEqual([
      'written rubric.yaml',
      'skipped eval/cases.yaml',
      'written eval/allowlist.yaml',
      'written ops/failure_playbook.md',
      'written .github/workflows/eval.yml',
      'written .github/workflows/watch.yml',
      'written vitest.config.ts',
      'written package.json',
      'written .gitignore',
    ]);
  });
});
