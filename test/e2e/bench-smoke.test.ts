/**
 * `npm run bench` cannot rot: its smoke mode (a few cases, one run per figure,
 * every section) runs here and must write a well-formed RESULTS.md. No timing
 * is asserted; the counts that do not depend on the machine are.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TABLE_HEADER } from '../../bench/report.js';

const REPO = path.resolve(import.meta.dirname, '../..');
const TSX = path.join(REPO, 'node_modules/tsx/dist/loader.mjs');

interface Row {
  cells: string[];
}

/** Every figure table of the markdown, by section title. */
function tables(markdown: string): Map<string, Row[]> {
  const out = new Map<string, Row[]>();
  const header = `| ${TABLE_HEADER.join(' | ')} |`;
  let section = '';
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('## ')) section = line.slice(3);
    if (line !== header) continue;
    const rows: Row[] = [];
    for (let j = i + 2; j < lines.length && lines[j]!.startsWith('|'); j++) {
      rows.push({ cells: lines[j]!.slice(2, -2).split(' | ') });
    }
    out.set(section, rows);
  }
  return out;
}

/** The number at the start of a cell: `1.23 s` -> 1.23. */
function numberOf(cell: string): number {
  return Number.parseFloat(cell);
}

let dir: string;
let markdown: string;
let stderr: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'qualify-bench-'));
  const out = path.join(dir, 'RESULTS.md');
  stderr = await new Promise<string>((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', TSX, path.join(REPO, 'bench/run.ts'), '--smoke', '--out', out],
      { cwd: REPO, maxBuffer: 32 * 1024 * 1024 },
      (error, _stdout, err) =>
        error ? reject(new Error(`bench --smoke failed: ${error.message}\n${err}`)) : resolve(err),
    );
  });
  markdown = await readFile(out, 'utf8');
}, 900_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('npm run bench --smoke', () => {
  test('every section is there, in order, each with a well-formed table', () => {
    const found = tables(markdown);
    expect([...found.keys()]).toEqual([
      '1. Latency-bound run',
      '2. Overhead at 0 ms latency',
      '3. Scale',
      '4. Warm re-run and watch mode',
      '5. Sharding',
      '6. Token efficiency',
      '8. Confirmation trials at scale',
      'Per-call cost by layer',
      'Reference: plain Vitest',
    ]);
    for (const [section, rows] of found) {
      expect(rows.length, section).toBeGreaterThan(0);
      for (const { cells } of rows) {
        expect(cells, `${section}: ${cells[0]}`).toHaveLength(TABLE_HEADER.length);
        const [median, min, max] = [cells[1]!, cells[2]!, cells[3]!].map(numberOf);
        expect(Number.isFinite(median), `${section}: ${cells[0]} median ${cells[1]}`).toBe(true);
        expect(min! <= median! && median! <= max!, `${section}: ${cells[0]}`).toBe(true);
        expect(cells[4]).toBe('1');
      }
    }
    expect(markdown).toMatch(/^# Benchmark results\n\nWritten by `npm run bench` \(smoke mode/);
    expect(stderr).toContain('bench: wrote');
  });

  test('the counts that do not depend on the machine', () => {
    const found = tables(markdown);
    const figure = (section: string, name: string) => {
      const row = found.get(section)?.find((r) => r.cells[0] === name);
      if (!row) throw new Error(`no figure "${name}" in "${section}"`);
      return { median: row.cells[1], verdict: row.cells[7] };
    };
    expect(figure('1. Latency-bound run', 'model calls')).toEqual({ median: '24', verdict: 'met' });
    expect(figure('3. Scale', 'checks, 6 cases: cases in the scorecard')).toEqual({
      median: '6',
      verdict: 'met',
    });
    expect(figure('3. Scale', 'judge, 6 cases: cases in the scorecard')).toEqual({
      median: '6',
      verdict: 'met',
    });
    // Growth from the smaller size to the larger, with the memory slope's target.
    expect(
      figure('3. Scale', 'checks, 3 -> 6 cases: peak RSS per extra case (slope of the medians)').median,
    ).toMatch(/^-?\d+\.\d\d KB$/);
    const confirm = '8. Confirmation trials at scale';
    expect(figure(confirm, '1 cases worse: worse cases failed')).toEqual({ median: '1', verdict: 'met' });
    expect(figure(confirm, '1 cases worse: other cases failed')).toEqual({ median: '0', verdict: 'met' });
    expect(figure(confirm, 'no drops: model calls, first pass').median).toBe('120');
    expect(figure(confirm, '1 cases worse: model calls, first pass').median).toBe('120');
    expect(Number(figure(confirm, '1 cases worse: model calls, confirmation').median)).toBeGreaterThan(0);
    const warm = '4. Warm re-run and watch mode';
    expect(figure(warm, 'cached run: calls reaching the provider')).toEqual({ median: '0', verdict: 'met' });
    expect(figure(warm, 'cached run: calls served from the cassettes')).toEqual({
      median: '18',
      verdict: 'met',
    });
    expect(figure(warm, 'watch, one case edited: calls reaching the provider')).toEqual({
      median: '6',
      verdict: 'met',
    });
    expect(figure(warm, 'watch, one case edited: calls for other cases')).toEqual({
      median: '0',
      verdict: 'met',
    });
    const shard = '5. Sharding';
    expect(figure(shard, 'merged scorecard equals the unsharded one (1 = yes)')).toEqual({
      median: '1',
      verdict: 'met',
    });
    expect(figure(shard, 'model calls over all shards')).toEqual({ median: '6', verdict: 'met' });
    const tokens = '6. Token efficiency';
    expect(figure(tokens, 'all metrics: calls per case').median).toBe('6.00');
    expect(figure(tokens, 'judge: calls per case').median).toBe('1.00');
    expect(figure(tokens, 'faithfulness: calls per case').median).toBe('2.00');
    expect(figure(tokens, 'answer_relevancy: calls per case').median).toBe('1.00');
    expect(figure(tokens, 'embeddings: calls per case').median).toBe('1.00');
    expect(markdown).toContain(
      "Wire totals equal the scorecard's usage (calls, input and output tokens) in 1 of 1 runs.",
    );
  });
});
