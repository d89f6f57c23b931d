import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadCaseFile } from '../../../src/config/load.js';
import { problemMessages, scratch } from './scratch.js';

async function casesAt(
  text: string,
  extra: Record<string, string> = {},
): Promise<{ dir: string; file: string }> {
  const dir = await scratch({ 'eval/cases.yaml': text, ...extra });
  return { dir, file: join(dir, 'eval/cases.yaml') };
}

/** Problems of a case file holding one case with these `checks:` lines (6-space indented entries). */
async function checkProblems(lines: string[]): Promise<string[]> {
  const { dir, file } = await casesAt(
    ['cases:', '  - id: c1', '    input: hi', '    checks:', ...lines, ''].join('\n'),
  );
  return (await problemMessages(loadCaseFile(file, { root: dir }))).map((m) => m.replace(`${file}:`, ''));
}

describe('loadCaseFile', () => {
  test('applies defaults and records where each case is written', async () => {
    const { dir, file } = await casesAt(
      [
        'cases:',
        '  - id: refund-window-basic',
        '    input: "Can I return shoes after 40 days?"',
        '    criteria:',
        '      - { id: states-window, text: "States the 30-day window", weight: 2 }',
        '      - { id: polite, text: "Is polite" }',
        '',
        '  - id: multi/turn:1',
        '    subject: verifier',
        '    node: prompt-repair',
        '    tags: [billing, adversarial]',
        '    messages:',
        '      - { role: system, content: "Be brief." }',
        '      - { role: user, content: "Hi" }',
        '    context: ["Returns are accepted within 30 days."]',
        '    reference: "No."',
        '    min_score: 0.9',
        '    repeats: 2',
        '    metadata: { source: traffic, turn: 3 }',
        '',
      ].join('\n'),
    );
    expect(await loadCaseFile(file, { root: dir })).toEqual([
      {
        id: 'refund-window-basic',
        input: 'Can I return shoes after 40 days?',
        tags: [],
        criteria: [
          { id: 'states-window', text: 'States the 30-day window', weight: 2 },
          { id: 'polite', text: 'Is polite', weight: 1 },
        ],
        checks: [],
        source: { file, line: 2, col: 5 },
      },
      {
        id: 'multi/turn:1',
        subject: 'verifier',
        node: 'prompt-repair',
        tags: ['billing', 'adversarial'],
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Hi' },
        ],
        context: ['Returns are accepted within 30 days.'],
        reference: 'No.',
        criteria: [],
        checks: [],
        min_score: 0.9,
        repeats: 2,
        metadata: { source: 'traffic', turn: 3 },
        source: { file, line: 8, col: 5 },
      },
    ]);
  });

  test('normalises every check kind', async () => {
    const { dir, file } = await casesAt(
      [
        'cases:',
        '  - id: c1',
        '    input: hi',
        '    checks:',
        '      - contains: "30 days"',
        '      - { not_contains: [guarantee, promise], ignore_case: true, name: no promises }',
        "      - { regex: '30[ -]day', flags: i }",
        "      - not_regex: '\\bcertainly\\b'",
        '      - { equals: "No.", trim: false }',
        '      - { starts_with: "No", ignore_case: true }',
        '      - max_chars: 1200',
        '      - min_chars: 0',
        '      - json: true',
        '      - json_schema: { type: object, required: [answer] }',
        '      - tool_called: lookup_order',
        '      - tool_called: { name: refund, arguments: { order_id: "A1" } }',
        '      - javascript: checks/tone.ts',
        '      - { javascript: checks/tone.ts, export: strict }',
        '',
      ].join('\n'),
      { 'checks/tone.ts': 'export default () => true;\n' },
    );
    const [loaded] = await loadCaseFile(file, { root: dir });
    expect(loaded!.checks).toEqual([
      { kind: 'contains', value: ['30 days'], ignore_case: false, name: 'contains "30 days"' },
      { kind: 'not_contains', value: ['guarantee', 'promise'], ignore_case: true, name: 'no promises' },
      { kind: 'regex', value: '30[ -]day', flags: 'i', name: 'regex /30[ -]day/i' },
      { kind: 'not_regex', value: '\\bcertainly\\b', flags: '', name: 'not_regex /\\bcertainly\\b/' },
      { kind: 'equals', value: 'No.', ignore_case: false, trim: false, name: 'equals "No."' },
      { kind: 'starts_with', value: 'No', ignore_case: true, name: 'starts_with "No"' },
      { kind: 'max_chars', value: 1200, name: 'max_chars 1200' },
      { kind: 'min_chars', value: 0, name: 'min_chars 0' },
      { kind: 'json', name: 'json' },
      { kind: 'json_schema', value: { type: 'object', required: ['answer'] }, name: 'json_schema' },
      { kind: 'tool_called', value: { name: 'lookup_order' }, name: 'tool_called lookup_order' },
      {
        kind: 'tool_called',
        value: { name: 'refund', arguments: { order_id: 'A1' } },
        name: 'tool_called refund',
      },
      {
        kind: 'javascript',
        value: 'checks/tone.ts',
        export: 'default',
        name: 'javascript checks/tone.ts#default',
      },
      {
        kind: 'javascript',
        value: 'checks/tone.ts',
        export: 'strict',
        name: 'javascript checks/tone.ts#strict',
      },
    ]);
  });

  test('a missing file names the path and the fix', async () => {
    const dir = await scratch({});
    expect(await problemMessages(loadCaseFile('eval/cases.yaml', { root: dir }))).toEqual([
      'eval/cases.yaml: file not found; fix the path, or create the file with a `cases:` list',
    ]);
  });

  test.each([
    ['an empty file', '', '1:1'],
    ['cases: []', 'cases: []\n', '1:8'],
    ['cases with no value', 'cases:\n', '1:1'],
  ])('%s has no cases', async (_name, text, at) => {
    const { dir, file } = await casesAt(text);
    expect(await problemMessages(loadCaseFile(file, { root: dir }))).toEqual([
      `${file}:${at}: the case file has no cases; add at least one under \`cases:\``,
    ]);
  });

  test('a misspelt cases key: no cases, and the did-you-mean', async () => {
    const { dir, file } = await casesAt('case:\n  - id: a\n    input: hi\n');
    expect(await problemMessages(loadCaseFile(file, { root: dir }))).toEqual([
      `${file}:1:1: the case file has no cases; add at least one under \`cases:\``,
      `${file}:1:1: case is not a known key; did you mean cases?`,
    ]);
  });

  test('case-level errors, each located', async () => {
    const { dir, file } = await casesAt(
      [
        'cases:',
        '  - id: "bad id"',
        '    input: hi',
        '  - id: both',
        '    input: hi',
        '    messages: [{ role: user, content: hi }]',
        '  - id: neither',
        '    tags: [a]',
        '  - id: typo',
        '    input: hi',
        '    refrence: "No."',
        '    min_score: 1.2',
        '    repeats: 1.5',
        '  - id: talk',
        '    messages: [{ role: bot, content: hi }]',
        '  - id: crit',
        '    input: hi',
        '    criteria:',
        '      - { id: a, text: x }',
        '      - { id: a, text: y, weight: 0 }',
        '',
      ].join('\n'),
    );
    expect(
      (await problemMessages(loadCaseFile(file, { root: dir }))).map((m) => m.replace(`${file}:`, '')),
    ).toEqual([
      '2:9: cases[0].id must start with a letter or digit and use only letters, digits and . _ : / -; found "bad id"',
      '4:5: cases[1] needs exactly one of input or messages; found both',
      '7:5: cases[2] needs exactly one of input or messages; found neither',
      '11:5: cases[3].refrence is not a known key; did you mean reference?',
      '12:16: cases[3].min_score must be at most 1; found 1.2',
      '13:14: cases[3].repeats must be an integer; found 1.5',
      '15:24: cases[4].messages[0].role must be one of user, assistant, system; found "bot"',
      '20:15: cases[5].criteria[1].id repeats "a"; give each criterion its own id',
      '20:35: cases[5].criteria[1].weight must be greater than 0; found 0',
    ]);
  });

  test('criterion ids are unique within a case', async () => {
    const { dir, file } = await casesAt(
      [
        'cases:',
        '  - id: crit',
        '    input: hi',
        '    criteria:',
        '      - { id: a, text: x }',
        '      - { id: a, text: y }',
        '',
      ].join('\n'),
    );
    expect(await problemMessages(loadCaseFile(file, { root: dir }))).toEqual([
      `${file}:6:15: cases[0].criteria[1].id repeats "a"; give each criterion its own id`,
    ]);
  });
});

describe('check errors', () => {
  test('an unknown check key, with did-you-mean', async () => {
    expect(await checkProblems(['      - contians: guarantee'])).toEqual([
      '5:9: cases[0].checks[0].contians is not a known check; did you mean contains?',
    ]);
  });

  test('a modifier of another check', async () => {
    expect(await checkProblems(['      - { contains: x, flags: i }'])).toEqual([
      '5:24: cases[0].checks[0].flags does not apply to contains; it goes with regex, not_regex',
    ]);
  });

  test('two check keys in one entry', async () => {
    expect(await checkProblems(['      - { contains: x, regex: y }'])).toEqual([
      '5:24: cases[0].checks[0].regex is a second check in this entry (after contains); give each check its own list entry',
    ]);
  });

  test('an entry with no check, and one that is not a map', async () => {
    expect(await checkProblems(['      - { name: label }', '      - json'])).toEqual([
      '5:9: cases[0].checks[0] has no check; use one of contains, not_contains, regex, not_regex, equals, starts_with, max_chars, min_chars, json, json_schema, tool_called, tool_trajectory, javascript',
      '6:9: cases[0].checks[1] must be a map with one check, e.g. { contains: "30 days" }; found "json"',
    ]);
  });

  test('a regex that does not compile, and bad flags', async () => {
    expect(
      await checkProblems(["      - regex: '30[ -day'", "      - { not_regex: 'a', flags: g }"]),
    ).toEqual([
      '5:16: cases[0].checks[0].regex does not compile: Invalid regular expression: /30[ -day/: Unterminated character class',
      '6:34: cases[0].checks[1].flags must use only the flags i, m, s, u; found "g"',
    ]);
  });

  test('a JSON Schema that does not compile', async () => {
    expect(
      await checkProblems([
        '      - json_schema: { type: strng }',
        "      - json_schema: { $ref: '#/definitions/nope' }",
      ]),
    ).toEqual([
      '5:22: cases[0].checks[0].json_schema is not a valid JSON Schema: schema is invalid: data/type must be equal to one of the allowed values',
      "6:22: cases[0].checks[1].json_schema is not a valid JSON Schema: can't resolve reference #/definitions/nope from id #",
    ]);
  });

  test('values of the wrong type are reported on the value', async () => {
    expect(
      await checkProblems([
        '      - contains: [1]',
        '      - { contains: x, ignore_case: "yes" }',
        '      - max_chars: -1',
        '      - json: false',
        '      - tool_called: { nam: refund }',
        '      - javascript: checks/tone.py',
      ]),
    ).toEqual([
      '5:20: cases[0].checks[0].contains[0] must be a string; found 1',
      '6:37: cases[0].checks[1].ignore_case must be true or false; found "yes"',
      '7:20: cases[0].checks[2].max_chars must be at least 0; found -1',
      '8:15: cases[0].checks[3].json must be true; found false',
      '9:22: cases[0].checks[4].tool_called.name is required; expected a string',
      '9:24: cases[0].checks[4].tool_called.nam is not a known key; did you mean name?',
      '10:21: cases[0].checks[5].javascript must be a path to a .ts or .js module; found "checks/tone.py"',
    ]);
  });

  test('tool_trajectory: a bad mode, a call that is neither name nor map, an unknown key', async () => {
    expect(
      await checkProblems([
        '      - tool_trajectory: { calls: [lookup_order], mode: loose }',
        '      - tool_trajectory: { calls: [1] }',
        '      - tool_trajectory: { call: [refund] }',
      ]),
    ).toEqual([
      '5:57: cases[0].checks[0].tool_trajectory.mode must be exact, in_order or subset; found "loose"',
      '6:36: cases[0].checks[1].tool_trajectory.calls[0] must be a tool name or a map { name, arguments }; found 1',
      '7:26: cases[0].checks[2].tool_trajectory.calls is required; expected a list',
      '7:28: cases[0].checks[2].tool_trajectory.call is not a known key; did you mean calls?',
    ]);
  });

  test('a javascript check whose module does not exist', async () => {
    expect(await checkProblems(['      - javascript: checks/missing.ts'])).toEqual([
      '5:21: cases[0].checks[0].javascript names checks/missing.ts, which does not exist; paths are relative to the repository root',
    ]);
  });
});

describe('a large case file', () => {
  test('3,000 cases from traffic load in about a second of CPU', async () => {
    const lines = ['cases:'];
    for (let i = 0; i < 3000; i++) {
      lines.push(
        `  - id: traffic-2026-11-20-${i}`,
        `    tags: [traffic, ${['billing', 'returns', 'shipping'][i % 3]}]`,
        `    input: "I ordered shoes (order ${10000 + i}) and they do not fit. Can I return them after 40 days?"`,
        '    context:',
        '      - "Returns are accepted within 30 days of delivery. Items must be unworn."',
        '      - "Return shipping is free for exchanges; refunds deduct a $5.95 label fee."',
        ...(i % 10 === 0 ? ['    checks: [{ not_contains: guarantee }, { max_chars: 1200 }]'] : []),
      );
    }
    const { dir, file } = await casesAt(`${lines.join('\n')}\n`);
    const before = process.cpuUsage();
    const cases = await loadCaseFile(file, { root: dir });
    const used = process.cpuUsage(before);
    expect(cases).toHaveLength(3000);
    expect(cases[2999]!.source).toEqual({ file, line: 18296, col: 5 });
    expect(cases[2990]!.checks.map((c) => c.name)).toEqual(['not_contains "guarantee"', 'max_chars 1200']);
    // About 0.5 s of CPU on a busy 2-core box (most of it the YAML parser). CPU
    // time, not wall time, so other work on the machine does not count; the
    // bound catches a quadratic slip, not noise.
    expect((used.user + used.system) / 1000).toBeLessThan(4000);
  });
});

describe('json_schema checks', () => {
  test('equal schemas, and schemas reusing one $id, load side by side', async () => {
    const schema = "{ $id: 'https://example.com/answer', type: object, required: [answer] }";
    const { dir, file } = await casesAt(
      [
        'cases:',
        '  - id: a',
        '    input: hi',
        `    checks: [{ json_schema: ${schema} }]`,
        '  - id: b',
        '    input: hi',
        `    checks: [{ json_schema: ${schema} }]`,
        '  - id: c',
        '    input: hi',
        "    checks: [{ json_schema: { $id: 'https://example.com/answer', type: array } }]",
        '',
      ].join('\n'),
    );
    const cases = await loadCaseFile(file, { root: dir });
    expect(cases.map((c) => c.checks[0])).toEqual([
      {
        kind: 'json_schema',
        value: { $id: 'https://example.com/answer', type: 'object', required: ['answer'] },
        name: 'json_schema',
      },
      {
        kind: 'json_schema',
        value: { $id: 'https://example.com/answer', type: 'object', required: ['answer'] },
        name: 'json_schema',
      },
      {
        kind: 'json_schema',
        value: { $id: 'https://example.com/answer', type: 'array' },
        name: 'json_schema',
      },
    ]);
  });
});
