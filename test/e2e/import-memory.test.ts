import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';
import { scratch } from '../helpers/scratch.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const COMMAND = pathToFileURL(`${ROOT}src/cli/commands/import.ts`).href;
const MB = 1024 * 1024;

/**
 * Runs in a child with a 128 MB old space, so an import that holds the file, its
 * lines or its cases in memory dies of it; prints the exit code, the summary
 * and the peak heap growth, sampled every 10 ms.
 */
const CHILD = `
const { importCommand } = await import(${JSON.stringify(COMMAND)});
const [traces, out] = process.argv.slice(-2);
globalThis.gc?.();
const base = process.memoryUsage().heapUsed;
let peak = base;
const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().heapUsed); }, 10);
let stdout = '';
let stderr = '';
const code = await importCommand.run({ positionals: [traces], options: { out, json: true } }, {
  cwd: process.cwd(), env: {}, fetch: globalThis.fetch, now: () => new Date('2026-11-27T12:00:00Z'), isTTY: false,
  stdout: { write: (s) => (stdout += s) }, stderr: { write: (s) => (stderr += s) },
});
clearInterval(timer);
peak = Math.max(peak, process.memoryUsage().heapUsed);
console.log(JSON.stringify({ code, summary: JSON.parse(stdout || 'null'), stderr, growth: peak - base }));
`;

test('a 50 MB traces file streams through in bounded memory (child with --max-old-space-size=128)', async () => {
  await using dir = await scratch('qualify-import-mem-');
  const file = dir.path('traces.jsonl');
  const stream = createWriteStream(file);
  // One non-Latin-1 character makes V8 store the whole string two bytes a character: held in
  // memory, the cases would take about twice the file's size, well over the bound.
  const context = `(€) ${'Returns are accepted within 30 days of delivery, with the receipt. '.repeat(70)}`;
  let lines = 0;
  for (let bytes = 0; bytes < 50 * MB; lines++) {
    const line = `${JSON.stringify({
      timestamp: 1_795_773_600_000 + lines,
      input: `Question ${lines}: can I return order ${lines * 7919} after 40 days?`,
      output: context.slice(0, 1200),
      context: [context],
      metadata: { tags: ['returns'], request: lines },
    })}\n`;
    bytes += line.length;
    if (!stream.write(line)) await once(stream, 'drain');
  }
  stream.end();
  await once(stream, 'finish');
  expect((await stat(file)).size).toBeGreaterThanOrEqual(50 * MB);

  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      '--max-old-space-size=128',
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      CHILD,
      file,
      dir.path('out'),
    ],
    { cwd: ROOT, maxBuffer: 16 * MB },
  );
  const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
    code: number;
    summary: { lines: number; kept: number; files: string[] };
    stderr: string;
    growth: number;
  };
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  expect(result.summary.lines).toBe(lines);
  expect(result.summary.kept).toBe(lines);
  expect(result.summary.files).toHaveLength(Math.ceil(lines / 500));
  // Streaming peaks near 35 MB; holding the cases in memory would pass 100 MB (or die at 128).
  expect(result.growth / MB).toBeLessThan(100);
}, 180_000);
