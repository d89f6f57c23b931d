import { describe, expect, test } from 'vitest';
import { addAllowEntry } from '../../../src/cli/commands/allow/allowlist-edit.js';
import { addEvalScript } from '../../../src/cli/commands/init/package-json.js';
import { readAllowlistEntries } from '../../../src/config/allowlist-file.js';
import { parseYaml } from '../../../src/config/yaml-source.js';
import type { AllowEntry } from '../../../src/scorecard/status.js';

const ENTRY: AllowEntry = {
  case: 'b',
  model: 'openai:gpt-5',
  max_drop: 1.5,
  reason: 'ok',
  author: 'A <a@x>',
  date: '2026-11-27',
};
const NEW =
  '- case: b\n  model: openai:gpt-5\n  max_drop: 1.5\n  reason: "ok"\n  author: "A <a@x>"\n  date: 2026-11-27\n';
const options = { header: '# header\n', label: 'allowlist.yaml' };

function cases(text: string): string[] {
  const { source } = parseYaml(text, 'allowlist.yaml');
  const { entries, problems } = readAllowlistEntries(source!);
  expect(problems).toEqual([]);
  return entries.map((e) => `${e.case}:${e.reason}`);
}

describe('addAllowEntry', () => {
  test('appends after the last entry, keeping comments; a file without a final newline gets one', () => {
    const text =
      '# top\n- case: a  # why\n  model: openai:gpt-5\n  reason: r\n  author: A\n  date: 2026-01-01\n# end';
    const next = addAllowEntry(text, ENTRY, options);
    expect(next).toBe(`${text}\n${NEW}`);
    expect(cases(next)).toEqual(['a:r', 'b:ok']);
  });

  test('replaces an entry in place, whatever its style, keeping its neighbours and their comments', () => {
    const text = [
      '- { case: x, model: openai:gpt-5, reason: r, author: A, date: 2026-01-01 }',
      '# about b',
      '-',
      '  case: b',
      '  model: openai:gpt-5',
      '  reason: |',
      '    old',
      '    text',
      '# after b',
      '- case: y',
      '  model: openai:gpt-5',
      '  reason: r',
      '  author: A',
      '  date: 2026-01-01',
      '',
    ].join('\n');
    const withAuthor = text.replace('    text\n', '    text\n  author: A\n  date: 2026-01-01\n');
    const next = addAllowEntry(withAuthor, ENTRY, { ...options, replace: 1 });
    expect(next).toBe(withAuthor.replace(/-\n {2}case: b[\s\S]*?date: 2026-01-01\n/, NEW));
    expect(cases(next)).toEqual(['x:r', 'b:ok', 'y:r']);
  });

  test('an indented list keeps its indentation; CRLF files stay CRLF', () => {
    const indented =
      '  - case: a\n    model: openai:gpt-5\n    reason: r\n    author: A\n    date: 2026-01-01\n';
    const next = addAllowEntry(indented, ENTRY, options);
    expect(next).toBe(`${indented}${NEW.replace(/^/gm, '  ').replace(/ {2}$/, '')}`);
    expect(cases(next)).toEqual(['a:r', 'b:ok']);
    const crlf = '# h\r\n[]\r\n';
    expect(addAllowEntry(crlf, ENTRY, options)).toBe(`# h\r\n${NEW.replace(/\n/g, '\r\n')}`);
  });

  test('empty and comment-only files, and a missing one', () => {
    expect(addAllowEntry(undefined, ENTRY, options)).toBe(`# header\n${NEW}`);
    expect(addAllowEntry('', ENTRY, options)).toBe(`# header\n${NEW}`);
    expect(addAllowEntry('# only a comment\n', ENTRY, options)).toBe(`# only a comment\n${NEW}`);
    expect(addAllowEntry('[]  # none yet\n', ENTRY, options)).toBe(`${NEW.trimEnd()}  # none yet\n`);
  });

  test('a non-empty flow list or a map is refused with what to do', () => {
    expect(() => addAllowEntry('[{ case: a }]\n', ENTRY, options)).toThrow(
      'allowlist.yaml: is written as a flow list [...]; rewrite it as a block list (- case: ...) and run allow again',
    );
    expect(() => addAllowEntry('case: a\n', ENTRY, options)).toThrow(
      'allowlist.yaml: is not a list of entries; write it as `- case: ...` entries or `[]`',
    );
  });
});

describe('addEvalScript', () => {
  const opts = { folder: 'My Agent', force: false, version: '0.1.0' };

  test('keeps key order and the indentation: tabs, 4 spaces; CRLF; no final newline', () => {
    const tabs = '{\n\t"name": "a",\n\t"version": "1.0.0"\n}\n';
    expect(addEvalScript(tabs, opts)).toEqual({
      action: 'update',
      text: '{\n\t"name": "a",\n\t"version": "1.0.0",\n\t"scripts": {\n\t\t"eval": "vitest run --project eval"\n\t}\n}\n',
    });
    const crlf = '{\r\n    "scripts": {\r\n        "test": "vitest"\r\n    }\r\n}';
    expect(addEvalScript(crlf, opts)).toEqual({
      action: 'update',
      text: '{\r\n    "scripts": {\r\n        "test": "vitest",\r\n        "eval": "vitest run --project eval"\r\n    }\r\n}',
    });
  });

  test('unchanged, conflict, force, and a new package named after the folder', () => {
    expect(addEvalScript('{"scripts":{"eval":"vitest run --project eval"}}', opts)).toEqual({
      action: 'unchanged',
    });
    expect(addEvalScript('{"scripts":{"eval":"x"}}', opts)).toEqual({ action: 'conflict', existing: 'x' });
    expect(addEvalScript('{"scripts":{"eval":"x"}}', { ...opts, force: true })).toEqual({
      action: 'update',
      text: '{\n  "scripts": {\n    "eval": "vitest run --project eval"\n  }\n}',
    });
    const created = addEvalScript(undefined, opts);
    expect(created.action).toBe('create');
    expect(JSON.parse((created as { text: string }).text)).toMatchObject({ name: 'my-agent', private: true });
  });

  test('broken package.json is a config error that says what to do', () => {
    expect(() => addEvalScript('{ nope', opts)).toThrow(
      /^package\.json: is not valid JSON \(.+\); fix it and run init again$/,
    );
    expect(() => addEvalScript('[]', opts)).toThrow(
      'package.json: is not a JSON object; fix it and run init again',
    );
    expect(() => addEvalScript('{"scripts": []}', opts)).toThrow(
      'package.json: scripts is not an object; fix it and run init again',
    );
  });
});
