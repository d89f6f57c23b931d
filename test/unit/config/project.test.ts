import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadProject } from '../../../src/config/load.js';
import { configError, problemMessages, rubricYaml, scratch } from './scratch.js';

const TWO_SUBJECTS = [
  'model_primary: anthropic:claude-sonnet-4-6',
  'judge: openai:gpt-5',
  'criteria:',
  '  - { id: polite, text: "Is polite" }',
  'thresholds: { max_per_case_regression: 3 }',
  'subjects:',
  '  drafter:  { entry: agents/drafter.ts,  cases: eval/cases.yaml }',
  '  verifier: { entry: agents/verifier.ts, cases: "eval/verifier/*.yaml", thresholds: { rubric_min_score: 0.9, max_per_case_regression: 2 }, repeats: 2 }',
  '',
].join('\n');

const AGENTS = { 'agents/drafter.ts': 'export default {};\n', 'agents/verifier.ts': 'export default {};\n' };

describe('loadProject', () => {
  test('resolves subjects, cases, thresholds and paths', async () => {
    const dir = await scratch({
      ...AGENTS,
      'rubric.yaml': TWO_SUBJECTS,
      'eval/cases.yaml':
        'cases:\n  - id: d1\n    input: hi\n    min_score: 0.5\n  - id: d2\n    input: hello\n',
      'eval/verifier/b.yaml': 'cases:\n  - id: v2\n    input: cite\n',
      'eval/verifier/a.yaml':
        'cases:\n  - id: v1\n    input: cite\n    criteria: [{ id: cites, text: "Cites" }]\n',
      'eval/allowlist.yaml':
        '- { case: v1, model: "openai:gpt-5", max_drop: 2, reason: terse, author: dana, date: 2026-11-20 }\n',
    });
    const project = await loadProject({ cwd: dir });
    expect(project.root).toBe(dir);
    expect(project.rubricFile).toBe(join(dir, 'rubric.yaml'));
    expect(project.files).toEqual({
      baseline: join(dir, 'eval/baseline.json'),
      allowlist: join(dir, 'eval/allowlist.yaml'),
      scorecardJson: join(dir, 'eval/out/scorecard.json'),
      scorecardMarkdown: join(dir, 'eval/out/scorecard.md'),
      cacheDir: join(dir, 'eval/cassettes'),
    });
    expect(
      project.subjects.map((s) => ({
        ...s,
        cases: s.cases.map((c) => [c.id, c.subject, c.min_score, c.repeats]),
      })),
    ).toEqual([
      {
        name: 'drafter',
        entry: join(dir, 'agents/drafter.ts'),
        caseFiles: [join(dir, 'eval/cases.yaml')],
        cases: [
          ['d1', 'drafter', 0.5, 1],
          ['d2', 'drafter', 0.82, 1],
        ],
        thresholds: {
          rubric_min_score: 0.82,
          ragas: { faithfulness: 0.78, answer_relevancy: 0.78 },
          max_per_case_regression: 3,
        },
        repeats: 1,
      },
      {
        name: 'verifier',
        entry: join(dir, 'agents/verifier.ts'),
        caseFiles: [join(dir, 'eval/verifier/a.yaml'), join(dir, 'eval/verifier/b.yaml')],
        cases: [
          ['v1', 'verifier', 0.9, 2],
          ['v2', 'verifier', 0.9, 2],
        ],
        thresholds: {
          rubric_min_score: 0.9,
          ragas: { faithfulness: 0.78, answer_relevancy: 0.78 },
          max_per_case_regression: 2,
        },
        repeats: 2,
      },
    ]);
    expect(project.cases.map((c) => c.id)).toEqual(['d1', 'd2', 'v1', 'v2']);
    expect(project.cases[2]!.criteria).toEqual([
      { id: 'polite', text: 'Is polite', weight: 1 },
      { id: 'cites', text: 'Cites', weight: 1 },
    ]);
    expect(project.cases[2]!.source).toEqual({ file: 'eval/verifier/a.yaml', line: 2, col: 5 });
    expect(project.allowlist.map((e) => [e.case, e.max_drop, e.source])).toEqual([
      ['v1', 2, { file: 'eval/allowlist.yaml', line: 1, col: 3 }],
    ]);
  });

  test('without subjects: one subject "agent", prompt mode, no allowlist file', async () => {
    const dir = await scratch({
      'rubric.yaml': rubricYaml('system_prompt: "You are a support agent."\n'),
      'eval/cases.yaml': 'cases:\n  - id: a\n    input: hi\n',
    });
    const project = await loadProject({ cwd: dir });
    expect(project.subjects.map((s) => [s.name, s.entry, s.caseFiles, s.cases.length])).toEqual([
      ['agent', undefined, [join(dir, 'eval/cases.yaml')], 1],
    ]);
    expect(project.rubric.system_prompt).toBe('You are a support agent.');
    expect(project.allowlist).toEqual([]);
  });

  test('rubricPath names another rubric; messages name it relative to cwd', async () => {
    const dir = await scratch({ 'config/qualify.yaml': 'judge: openai:gpt-5\nthresholds: {}\n' });
    expect(await problemMessages(loadProject({ cwd: dir, rubricPath: 'config/qualify.yaml' }))).toEqual([
      'config/qualify.yaml:1:1: model_primary is required; expected a string',
    ]);
  });

  test('the did-you-mean example of the brief', async () => {
    const dir = await scratch({
      'rubric.yaml': [
        'model_primary: anthropic:claude-sonnet-4-6',
        'judge: openai:gpt-5',
        '',
        '# gates',
        'thresholds:',
        '  ragas: 0.78',
        '  rubric_min_scroe: 0.82',
        '',
      ].join('\n'),
    });
    const error = await configError(loadProject({ cwd: dir }));
    expect(error.message).toBe(
      'rubric.yaml:7:3: thresholds.rubric_min_scroe is not a known key; did you mean rubric_min_score?',
    );
  });

  test('a missing rubric names the path and the fix', async () => {
    const dir = await scratch({});
    expect(await problemMessages(loadProject({ cwd: dir }))).toEqual([
      'rubric.yaml: file not found; create it (`npx qualify init` writes one) or pass the path of your rubric',
    ]);
  });

  test('duplicate case ids across two files name both places', async () => {
    const dir = await scratch({
      ...AGENTS,
      'rubric.yaml': TWO_SUBJECTS,
      'eval/cases.yaml': 'cases:\n  - id: d1\n    input: hi\n  - id: shared\n    input: hi\n',
      'eval/verifier/a.yaml': 'cases:\n  - id: v1\n    input: hi\n  - id: shared\n    input: hi\n',
    });
    expect(await problemMessages(loadProject({ cwd: dir }))).toEqual([
      'eval/verifier/a.yaml:4:9: cases[1].id shared is already used at eval/cases.yaml:4:5; case ids must be unique across all case files',
    ]);
  });

  test('a subject whose glob matches nothing, a missing entry, and case-file problems, all at once', async () => {
    const dir = await scratch({
      'agents/drafter.ts': '',
      'rubric.yaml': TWO_SUBJECTS,
      'eval/cases.yaml': 'cases:\n  - id: d1\n    input: hi\n    refrence: x\n',
    });
    const error = await configError(loadProject({ cwd: dir }));
    expect(error.problems.map((p) => p.message)).toEqual([
      'rubric.yaml:8:22: subjects.verifier.entry names agents/verifier.ts, which does not exist; fix the path (relative to the repository root)',
      'rubric.yaml:8:49: subjects.verifier.cases has "eval/verifier/*.yaml", which matches no file; fix the path or glob, or create the file',
      'eval/cases.yaml:4:5: cases[0].refrence is not a known key; did you mean reference?',
    ]);
    expect(error.message).toBe(
      'rubric.yaml:8:22: subjects.verifier.entry names agents/verifier.ts, which does not exist; fix the path (relative to the repository root) (+2 more)',
    );
  });

  test('the default case file missing', async () => {
    const dir = await scratch({ 'rubric.yaml': rubricYaml() });
    expect(await problemMessages(loadProject({ cwd: dir }))).toEqual([
      'rubric.yaml:1:1: cases has "eval/cases.yaml", which matches no file; fix the path or glob, or create the file',
    ]);
  });

  test('case subjects: unknown, not listing the file, ambiguous; a subject left with no cases', async () => {
    const dir = await scratch({
      ...AGENTS,
      'rubric.yaml': TWO_SUBJECTS.replace('"eval/verifier/*.yaml"', '[eval/cases.yaml, eval/v.yaml]'),
      'eval/cases.yaml': [
        'cases:',
        '  - id: a',
        '    subject: drafterr',
        '    input: hi',
        '  - id: b',
        '    input: hi',
        '  - id: c',
        '    subject: drafter',
        '    input: hi',
        '',
      ].join('\n'),
      'eval/v.yaml': 'cases:\n  - id: v\n    subject: drafter\n    input: hi\n',
    });
    expect(await problemMessages(loadProject({ cwd: dir }))).toEqual([
      'rubric.yaml:8:49: subject verifier has no cases: none of its case files has a case for it; add cases, or set subject: verifier on the cases meant for it',
      'eval/cases.yaml:3:14: cases[0].subject names no subject: drafterr; did you mean drafter?',
      'eval/cases.yaml:5:5: cases[1] is in a file shared by subjects drafter, verifier; set subject: to one of them',
      'eval/v.yaml:3:14: cases[0].subject is drafter, but eval/v.yaml is not among its case files; add it to subjects.drafter.cases or fix the subject',
    ]);
  });

  test('without subjects, a case naming a subject names no subject', async () => {
    const dir = await scratch({
      'rubric.yaml': rubricYaml(),
      'eval/cases.yaml': 'cases:\n  - id: a\n    subject: drafter\n    input: hi\n  - id: b\n    input: hi\n',
    });
    expect(await problemMessages(loadProject({ cwd: dir }))).toEqual([
      'eval/cases.yaml:3:14: cases[0].subject names no subject: drafter; use one of agent',
    ]);
  });

  test('a case criterion that clashes with a rubric-wide one', async () => {
    const dir = await scratch({
      'rubric.yaml': rubricYaml('criteria:\n  - { id: polite, text: "Is polite" }\n'),
      'eval/cases.yaml':
        'cases:\n  - id: a\n    input: hi\n    criteria: [{ id: polite, text: "Very polite" }]\n',
    });
    expect(await problemMessages(loadProject({ cwd: dir }))).toEqual([
      'eval/cases.yaml:4:22: cases[0].criteria[0].id polite is also a rubric-wide criterion (rubric.yaml:5:11); rename one',
    ]);
  });

  test('allowlist entries: unknown case, max_drop above the limit of the rubric or the subject', async () => {
    const dir = await scratch({
      ...AGENTS,
      'rubric.yaml': TWO_SUBJECTS,
      'eval/cases.yaml': 'cases:\n  - id: refund-window\n    input: hi\n',
      'eval/verifier/a.yaml': 'cases:\n  - id: cite-check\n    input: hi\n',
      'eval/allowlist.yaml': [
        '- { case: refund-windwo, model: "openai:gpt-5", reason: r, author: a, date: 2026-11-20 }',
        '- { case: refund-window, model: "openai:gpt-5", max_drop: 3.5, reason: r, author: a, date: 2026-11-20 }',
        '- { case: cite-check, model: "openai:gpt-5", max_drop: 2.5, reason: r, author: a, date: 2026-11-20 }',
        '- { case: cite-check, model: "openai:gpt-5", max_drop: 2, reason: r, author: a, date: 2026-11-20 }',
        '',
      ].join('\n'),
    });
    expect(await problemMessages(loadProject({ cwd: dir }))).toEqual([
      'eval/allowlist.yaml:1:11: [0].case names no case: refund-windwo; did you mean refund-window?',
      'eval/allowlist.yaml:2:59: [1].max_drop 3.5 is above max_per_case_regression 3 (rubric.yaml:5:40); no allowlist entry can cover a larger drop',
      'eval/allowlist.yaml:3:56: [2].max_drop 2.5 is above max_per_case_regression 2 (rubric.yaml:8:135); no allowlist entry can cover a larger drop',
    ]);
  });

  test('an allowlist with a schema problem is reported after the case files', async () => {
    const dir = await scratch({
      'rubric.yaml': rubricYaml(),
      'eval/cases.yaml': 'cases:\n  - id: a\n    input: hi\n    min_score: 2\n',
      'eval/allowlist.yaml': '- { case: a, model: "openai:gpt-5", author: a, date: 2026-11-20 }\n',
    });
    expect(await problemMessages(loadProject({ cwd: dir }))).toEqual([
      'eval/cases.yaml:4:16: cases[0].min_score must be at most 1; found 2',
      'eval/allowlist.yaml:1:3: [0].reason is required; expected a string',
    ]);
  });
});
