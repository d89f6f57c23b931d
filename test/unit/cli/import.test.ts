import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import { importCommand } from '../../../src/cli/commands/import.js';
import { caseIdOf } from '../../../src/cli/commands/import/case-id.js';
import { runCli } from '../../../src/cli/main.js';
import { loadCaseFile } from '../../../src/config/load.js';
import { captureIO } from '../../fake-github/io.js';
import { scratch, type Scratch } from '../../helpers/scratch.js';

const NOW = new Date('2026-11-27T12:00:00Z');
const ago = (ms: number): string => new Date(NOW.getTime() - ms).toISOString();
const HOUR = 3_600_000;
const jsonl = (...lines: unknown[]): string =>
  `${lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n')}\n`;
const idOf = (input: string): string => caseIdOf([{ role: 'user', content: input }]);

async function runImport(dir: Scratch, args: string[], options: Record<string, string | boolean> = {}) {
  const io = captureIO({ cwd: dir.dir, now: NOW });
  const code = await importCommand.run({ positionals: args, options }, io);
  return { code, out: io.out(), err: io.err() };
}

const loadPart = (dir: Scratch, n = 1) =>
  loadCaseFile(`eval/cases/imported/part-${String(n).padStart(4, '0')}.cases.yaml`, { root: dir.dir });

describe('qualify import', () => {
  test('plain traces become cases that load through loadCaseFile, with the default criterion', async () => {
    await using dir = await scratch('qualify-import-');
    await dir.write(
      'traces.jsonl',
      jsonl(
        {
          timestamp: ago(HOUR),
          input: 'Can I return shoes after 40 days?',
          output: 'No: the window is 30 days.',
          context: ['Returns are accepted within 30 days.'],
          metadata: { node: 'answer', subject: 'agent', tags: ['billing'], locale: 'en-GB' },
        },
        {
          timestamp: NOW.getTime() - 2 * HOUR,
          messages: [
            { role: 'system', content: 'Be brief.' },
            { role: 'user', content: 'Hi' },
          ],
        },
      ),
    );
    const { code, out, err } = await runImport(dir, ['traces.jsonl']);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toBe(
      [
        'qualify import: read 2 lines from traces.jsonl',
        '  kept       2  cases',
        '  duplicates 0  same input as an earlier trace',
        '  filtered   0  no --since',
        '  malformed  0  lines',
        '  redactions 0  no --redact',
        '  files      1  in eval/cases/imported: part-0001.cases.yaml',
        '',
      ].join('\n'),
    );
    const text = await readFile(dir.path('eval/cases/imported/part-0001.cases.yaml'), 'utf8');
    expect(text.split('\n').slice(0, 3)).toEqual([
      '# yaml-language-server: $schema=../../../node_modules/vitest-qualify/schemas/cases.schema.json',
      '# Made by `qualify import` from traces.jsonl on 2026-11-27T12:00:00.000Z (part 1); re-running the import replaces it.',
      'cases:',
    ]);
    const cases = await loadPart(dir);
    expect(cases.map(({ source: _, ...c }) => c)).toEqual([
      {
        id: idOf('Can I return shoes after 40 days?'),
        subject: 'agent',
        node: 'answer',
        tags: ['billing'],
        input: 'Can I return shoes after 40 days?',
        context: ['Returns are accepted within 30 days.'],
        criteria: [
          { id: 'answers-request', text: 'Answers the user’s request correctly and helpfully', weight: 1 },
        ],
        checks: [],
        metadata: {
          locale: 'en-GB',
          imported: {
            from: 'traces.jsonl',
            line: 1,
            timestamp: ago(HOUR),
            output: 'No: the window is 30 days.',
          },
        },
      },
      {
        id: caseIdOf([
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Hi' },
        ]),
        tags: [],
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Hi' },
        ],
        criteria: [
          { id: 'answers-request', text: 'Answers the user’s request correctly and helpfully', weight: 1 },
        ],
        checks: [],
        metadata: { imported: { from: 'traces.jsonl', line: 2, timestamp: ago(2 * HOUR) } },
      },
    ]);
  });

  test('OpenTelemetry spans and plain traces in one file; spans that are not GenAI are counted as ignored', async () => {
    await using dir = await scratch('qualify-import-');
    const nanos = `${NOW.getTime() - HOUR}000000`;
    await dir.write(
      'spans.jsonl',
      jsonl(
        {
          traceId: 'a1',
          spanId: 'b1',
          name: 'chat gpt-5',
          startTimeUnixNano: nanos,
          attributes: [
            { key: 'gen_ai.request.model', value: { stringValue: 'gpt-5' } },
            {
              key: 'gen_ai.input.messages',
              value: {
                stringValue: '[{"role":"user","parts":[{"type":"text","content":"Where is my order?"}]}]',
              },
            },
            {
              key: 'gen_ai.output.messages',
              value: { stringValue: '[{"role":"assistant","parts":[{"type":"text","content":"Shipped."}]}]' },
            },
          ],
        },
        {
          traceId: 'a1',
          spanId: 'b2',
          name: 'GET /orders',
          startTimeUnixNano: nanos,
          attributes: [{ key: 'http.method', value: { stringValue: 'GET' } }],
        },
        { input: 'plain one' },
      ),
    );
    const { code, out } = await runImport(dir, ['spans.jsonl'], { json: true });
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual({
      lines: 3,
      kept: 2,
      unique: 2,
      duplicates: 0,
      filtered: 0,
      undated: 0,
      malformed: 0,
      ignored: 1,
      redactions: { email: 0, phone: 0, card: 0 },
      files: ['eval/cases/imported/part-0001.cases.yaml'],
      replaced: 0,
    });
    const [span, plain] = await loadPart(dir);
    expect(span).toMatchObject({
      id: idOf('Where is my order?'),
      input: 'Where is my order?',
      metadata: {
        trace_id: 'a1',
        span_id: 'b1',
        span_name: 'chat gpt-5',
        model: 'gpt-5',
        imported: { from: 'spans.jsonl', line: 1, timestamp: ago(HOUR), output: 'Shipped.' },
      },
    });
    expect(plain).toMatchObject({ id: idOf('plain one'), input: 'plain one' });
  });

  test('--since keeps recent traces; older ones are filtered and undated ones counted apart', async () => {
    await using dir = await scratch('qualify-import-');
    await dir.write(
      'traces.jsonl',
      jsonl(
        { timestamp: ago(HOUR), input: 'recent' },
        { timestamp: NOW.getTime() - 24 * HOUR + 1000, input: 'just inside' },
        { timestamp: ago(25 * HOUR), input: 'too old' },
        { input: 'no timestamp' },
      ),
    );
    const { code, out } = await runImport(dir, ['traces.jsonl'], { since: '24h', json: true });
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ lines: 4, kept: 2, filtered: 1, undated: 1 });
    expect((await loadPart(dir)).map((c) => c.input)).toEqual(['recent', 'just inside']);
  });

  test('duplicates (same input up to whitespace) are counted and the first kept', async () => {
    await using dir = await scratch('qualify-import-');
    await dir.write(
      'traces.jsonl',
      jsonl(
        { input: 'Refund please' },
        { input: 'other' },
        { input: '  Refund   please ' },
        { messages: [{ role: 'user', content: 'Refund please' }] },
      ),
    );
    const { out } = await runImport(dir, ['traces.jsonl'], { json: true });
    expect(JSON.parse(out)).toMatchObject({ lines: 4, kept: 2, unique: 2, duplicates: 2 });
    const cases = await loadPart(dir);
    expect(cases.map((c) => [c.id, c.input, (c.metadata!['imported'] as { line: number }).line])).toEqual([
      [idOf('Refund please'), 'Refund please', 1],
      [idOf('other'), 'other', 2],
    ]);
  });

  test('--sample N --seed S is the same sample every time; another seed draws another', async () => {
    await using dir = await scratch('qualify-import-');
    await dir.write(
      'traces.jsonl',
      jsonl(...Array.from({ length: 200 }, (_, i) => ({ input: `question ${i}` }))),
    );
    const sampled = async (seed: string) => {
      const { out } = await runImport(dir, ['traces.jsonl'], { sample: '20', seed, json: true });
      expect(JSON.parse(out)).toMatchObject({ kept: 20, unique: 200 });
      return readFile(dir.path('eval/cases/imported/part-0001.cases.yaml'), 'utf8');
    };
    const first = await sampled('7');
    expect(await sampled('7')).toBe(first);
    const other = await sampled('8');
    expect(other).not.toBe(first);
    const inputs = (await loadPart(dir)).map((c) => Number(c.input!.split(' ')[1]));
    expect(inputs).toHaveLength(20);
    expect([...inputs].sort((a, b) => a - b)).toEqual(inputs);
  });

  test('--redact scrubs before hashing and writing, and the summary counts each kind', async () => {
    await using dir = await scratch('qualify-import-');
    await dir.write(
      'traces.jsonl',
      jsonl(
        { input: 'I am ana@example.com, call +44 20 7946 0958', output: 'Card 4111 1111 1111 1111 refunded' },
        { input: 'I am bob@example.com, call +44 20 7946 0958' },
      ),
    );
    const { out } = await runImport(dir, ['traces.jsonl'], { redact: true });
    expect(out).toContain('  duplicates 1  same input as an earlier trace\n');
    expect(out).toContain('  redactions 5  2 emails, 2 phones, 1 card\n');
    const [only] = await loadPart(dir);
    expect(only!.id).toBe(idOf('I am [email], call [phone]'));
    expect(only!.input).toBe('I am [email], call [phone]');
    expect(only!.metadata!['imported']).toEqual({
      from: 'traces.jsonl',
      line: 1,
      output: 'Card [card] refunded',
    });
    const text = await readFile(dir.path('eval/cases/imported/part-0001.cases.yaml'), 'utf8');
    expect(text).not.toMatch(/example\.com|7946|4111/);
  });

  test('malformed lines are reported with their line numbers, skipped and counted', async () => {
    await using dir = await scratch('qualify-import-');
    await dir.write(
      'traces.jsonl',
      jsonl({ input: 'ok 1' }, '{"input": "broken', '', { output: 'no input' }, { input: 'ok 2' }),
    );
    const { code, out, err } = await runImport(dir, ['traces.jsonl']);
    expect(code).toBe(0);
    expect(err).toBe(
      'qualify import: traces.jsonl:2: is not JSON (column 18: unterminated string); skipped\n' +
        'qualify import: traces.jsonl:4: has neither input nor messages; skipped\n',
    );
    expect(out).toContain('qualify import: read 4 lines from traces.jsonl\n  kept       2  cases\n');
    expect(out).toContain('  malformed  2  lines skipped, listed above\n');
    expect((await loadPart(dir)).map((c) => c.input)).toEqual(['ok 1', 'ok 2']);
  });

  test('through the CLI: `qualify import <file> --since 24h --json` parses its options from the table', async () => {
    await using dir = await scratch('qualify-import-');
    await dir.write(
      'traces.jsonl',
      jsonl({ timestamp: ago(HOUR), input: 'new' }, { timestamp: ago(48 * HOUR), input: 'old' }),
    );
    const io = captureIO({ cwd: dir.dir, now: NOW });
    expect(
      await runCli(['import', 'traces.jsonl', '--since', '24h', '--max-per-file', '1', '--json'], io),
    ).toBe(0);
    expect(JSON.parse(io.out())).toMatchObject({
      lines: 2,
      kept: 1,
      filtered: 1,
      files: ['eval/cases/imported/part-0001.cases.yaml'],
    });
  });

  test('a missing traces file is a usage error (exit 2)', async () => {
    await using dir = await scratch('qualify-import-');
    const { code, err } = await runImport(dir, ['nope.jsonl']);
    expect(code).toBe(2);
    expect(err).toBe('qualify import: cannot read the traces file nope.jsonl: it does not exist\n');
    expect(await readdir(dir.dir)).toEqual([]);
  });
});
