import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadAllowlist } from '../../../src/config/load.js';
import { parseWithSchema } from '../../../src/config/parse.js';
import { AllowlistSchema } from '../../../src/config/schema/allowlist.js';
import { problemMessages, scratch } from './scratch.js';

async function allowlistAt(text: string): Promise<string> {
  const dir = await scratch({ 'eval/allowlist.yaml': text });
  return join(dir, 'eval/allowlist.yaml');
}

const ENTRY = [
  '- case: refund-window-basic',
  '  model: anthropic:claude-opus-4-7',
  '  max_drop: 2.5',
  '  reason: "Terser on this adversarial row; the answer is still correct."',
  '  author: "Dana Reviewer <dana@example.com>"',
  '  date: 2026-11-20',
  '  reviewer: "Sam Second <sam@example.com>"',
  '  expires: 2027-02-20',
  '',
].join('\n');

describe('loadAllowlist', () => {
  test.each([
    ['an empty file', ''],
    ['a comment only', '# nothing tolerated yet\n'],
    ['[]', '[]\n'],
  ])('%s is an empty list', async (_name, text) => {
    expect(await loadAllowlist(await allowlistAt(text))).toEqual([]);
  });

  test('a missing file is an empty list', async () => {
    const dir = await scratch({});
    expect(await loadAllowlist(join(dir, 'eval/allowlist.yaml'))).toEqual([]);
  });

  test('reads an entry; an unquoted date stays the string written', async () => {
    const file = await allowlistAt(ENTRY);
    expect(await loadAllowlist(file)).toEqual([
      {
        case: 'refund-window-basic',
        model: 'anthropic:claude-opus-4-7',
        max_drop: 2.5,
        reason: 'Terser on this adversarial row; the answer is still correct.',
        author: 'Dana Reviewer <dana@example.com>',
        date: '2026-11-20',
        reviewer: 'Sam Second <sam@example.com>',
        expires: '2027-02-20',
        source: { file, line: 1, col: 3 },
      },
    ]);
  });

  test('a YAML 1.1 file parses unquoted dates as dates: normalised to YYYY-MM-DD', async () => {
    const file = await allowlistAt(`%YAML 1.1\n---\n${ENTRY}`);
    const [entry] = await loadAllowlist(file);
    expect([entry!.date, entry!.expires]).toEqual(['2026-11-20', '2027-02-20']);
  });

  test('Date values from other YAML readers are accepted too', () => {
    const parsed = parseWithSchema(
      AllowlistSchema,
      [
        {
          case: 'a',
          model: 'openai:gpt-5',
          reason: 'r',
          author: 'x',
          date: new Date('2026-11-20T00:00:00Z'),
        },
      ],
      'allowlist',
    );
    expect(parsed[0]!.date).toBe('2026-11-20');
  });

  test('a missing reason, a blank author, bad dates, a bad model, an unknown key', async () => {
    const file = await allowlistAt(
      [
        '- case: a',
        '  model: openai:gpt-5',
        '  author: "   "',
        '  date: 2026-02-30',
        '- case: b',
        '  model: gpt-5',
        '  reason: ok',
        '  author: me',
        '  date: 20 Nov 2026',
        '  max_drop: 0',
        '  expire: 2027-01-01',
        '',
      ].join('\n'),
    );
    expect((await problemMessages(loadAllowlist(file))).map((m) => m.replace(`${file}:`, ''))).toEqual([
      '1:3: [0].reason is required; expected a string',
      '3:11: [0].author must not be empty; found ""',
      '4:9: [0].date is not a real date: 2026-02-30',
      '6:10: [1].model is not usable: "gpt-5" has no provider prefix: write provider:model, e.g. openai:gpt-5 (providers: openai, anthropic, azure, openai-compatible, bedrock, vertex)',
      '9:9: [1].date must be a date written YYYY-MM-DD; found "20 Nov 2026"',
      '10:13: [1].max_drop must be greater than 0; found 0',
      '11:3: [1].expire is not a known key; did you mean expires?',
    ]);
  });

  test('a map where the list belongs', async () => {
    const file = await allowlistAt('case: a\n');
    expect(await problemMessages(loadAllowlist(file))).toEqual([
      `${file}:1:1: the file must be a list; found a map`,
    ]);
  });
});
