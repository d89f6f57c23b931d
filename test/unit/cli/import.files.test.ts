import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import { importCommand } from '../../../src/cli/commands/import.js';
import { loadCaseFile, loadProject } from '../../../src/config/load.js';
import { captureIO } from '../../fake-github/io.js';
import { scratch, type Scratch } from '../../helpers/scratch.js';

const NOW = new Date('2026-11-27T12:00:00Z');
const traces = (n: number, prefix = 'question'): string =>
  Array.from({ length: n }, (_, i) => JSON.stringify({ input: `${prefix} ${i}` })).join('\n') + '\n';

async function runImport(dir: Scratch, args: string[], options: Record<string, string | boolean> = {}) {
  const io = captureIO({ cwd: dir.dir, now: NOW });
  const code = await importCommand.run({ positionals: args, options }, io);
  return { code, out: io.out(), err: io.err() };
}

const RUBRIC = `model_primary: anthropic:claude-sonnet-4-6
judge: openai:gpt-5
thresholds: { rubric_min_score: 0.8 }
cases: eval/cases/imported/*.cases.yaml
import:
  criteria:
    - { id: resolves, text: "Resolves the customer's issue", weight: 2 }
    - { id: tone, text: "Keeps a polite tone" }
  tags: [production]
`;

describe('qualify import: files', () => {
  test('--max-per-file splits the cases into part files, in order, each loadable', async () => {
    await using dir = await scratch('qualify-import-');
    await dir.write('traces.jsonl', traces(23));
    const { code, out } = await runImport(dir, ['traces.jsonl'], {
      'max-per-file': '10',
      out: 'eval/imported',
    });
    expect(code).toBe(0);
    expect(out).toContain('  files       3  in eval/imported: part-0001.cases.yaml … part-0003.cases.yaml\n');
    expect((await readdir(dir.path('eval/imported'))).sort()).toEqual([
      'part-0001.cases.yaml',
      'part-0002.cases.yaml',
      'part-0003.cases.yaml',
    ]);
    const parts = await Promise.all(
      [1, 2, 3].map((n) => loadCaseFile(`eval/imported/part-000${n}.cases.yaml`, { root: dir.dir })),
    );
    expect(parts.map((p) => p.length)).toEqual([10, 10, 3]);
    expect(parts.flat().map((c) => c.input)).toEqual(Array.from({ length: 23 }, (_, i) => `question ${i}`));
    const third = await readFile(dir.path('eval/imported/part-0003.cases.yaml'), 'utf8');
    expect(third.split('\n')[0]).toBe(
      '# yaml-language-server: $schema=../../node_modules/vitest-qualify/schemas/cases.schema.json',
    );
  });

  test('a new import replaces the parts of the last one; no stale part is left behind', async () => {
    await using dir = await scratch('qualify-import-');
    await dir.write('traces.jsonl', traces(25));
    await runImport(dir, ['traces.jsonl'], { 'max-per-file': '10' });
    await dir.write('traces.jsonl', traces(4, 'today'));
    await dir.write('eval/cases/imported/hand-written.cases.yaml', 'cases:\n  - { id: mine, input: hi }\n');
    const { out } = await runImport(dir, ['traces.jsonl'], { 'max-per-file': '10' });
    expect(out).toContain(
      '  files      1  in eval/cases/imported: part-0001.cases.yaml; replaced 3 from an earlier import\n',
    );
    expect((await readdir(dir.path('eval/cases/imported'))).sort()).toEqual([
      'hand-written.cases.yaml',
      'part-0001.cases.yaml',
    ]);
    const cases = await loadCaseFile('eval/cases/imported/part-0001.cases.yaml', { root: dir.dir });
    expect(cases.map((c) => c.input)).toEqual(['today 0', 'today 1', 'today 2', 'today 3']);
  });

  test('--strict stops at the first malformed line with exit 2 and leaves the earlier import in place', async () => {
    await using dir = await scratch('qualify-import-');
    await dir.write('traces.jsonl', traces(3));
    await runImport(dir, ['traces.jsonl']);
    const before = await readFile(dir.path('eval/cases/imported/part-0001.cases.yaml'), 'utf8');
    await dir.write('traces.jsonl', `${traces(600, 'new')}{"input": 7}\n${traces(2, 'after')}`);
    const { code, out, err } = await runImport(dir, ['traces.jsonl'], { strict: true });
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toBe(
      'qualify import: traces.jsonl:601: input must be a string (or use messages); nothing written (--strict)\n',
    );
    expect(await readdir(dir.path('eval/cases/imported'))).toEqual(['part-0001.cases.yaml']);
    expect(await readFile(dir.path('eval/cases/imported/part-0001.cases.yaml'), 'utf8')).toBe(before);
  });

  test('after 20 malformed lines the rest are only counted', async () => {
    await using dir = await scratch('qualify-import-');
    await dir.write('traces.jsonl', `${'not json\n'.repeat(25)}${traces(1)}`);
    const { code, out, err } = await runImport(dir, ['traces.jsonl'], { json: true });
    expect(code).toBe(0);
    const lines = err.trimEnd().split('\n');
    expect(lines).toHaveLength(21);
    expect(lines[19]).toBe(
      'qualify import: traces.jsonl:20: is not JSON (column 1: unexpected character "n"); skipped',
    );
    expect(lines[20]).toBe('qualify import: more malformed lines follow; only counted');
    expect(JSON.parse(out)).toMatchObject({ lines: 26, malformed: 25, kept: 1 });
  });

  test('criteria and tags come from the import: template in rubric.yaml; the project loads the imported cases', async () => {
    await using dir = await scratch('qualify-import-');
    await dir.write('rubric.yaml', RUBRIC);
    await dir.write(
      'traces.jsonl',
      `${JSON.stringify({ input: 'Where is my parcel?', metadata: { tags: ['shipping'] } })}\n`,
    );
    const { code } = await runImport(dir, ['traces.jsonl'], { tags: 'nightly,production' });
    expect(code).toBe(0);
    const project = await loadProject({ cwd: dir.dir });
    expect(project.cases).toHaveLength(1);
    expect(project.cases[0]).toMatchObject({
      subject: 'agent',
      tags: ['production', 'shipping', 'nightly'],
      input: 'Where is my parcel?',
      criteria: [
        { id: 'resolves', text: "Resolves the customer's issue", weight: 2 },
        { id: 'tone', text: 'Keeps a polite tone', weight: 1 },
      ],
    });
  });

  test('a broken import: section is a config error naming file:line (exit 2)', async () => {
    await using dir = await scratch('qualify-import-');
    await dir.write('rubric.yaml', RUBRIC.replace('  tags: [production]', '  tag: [production]'));
    await dir.write('traces.jsonl', traces(1));
    const { code, err } = await runImport(dir, ['traces.jsonl'], { rubric: 'rubric.yaml' });
    expect(code).toBe(2);
    expect(err).toMatch(
      /^qualify import: .*rubric\.yaml:9:3: import\.tag is not a known key; did you mean tags\?/,
    );
  });

  test('--rubric naming a file that does not exist is an error, not the default template', async () => {
    await using dir = await scratch('qualify-import-');
    await dir.write('traces.jsonl', traces(1));
    const { code, err } = await runImport(dir, ['traces.jsonl'], { rubric: 'config/rubric.yaml' });
    expect(code).toBe(2);
    expect(err).toMatch(/^qualify import: .*config\/rubric\.yaml/);
  });
});
