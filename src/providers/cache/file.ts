import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { glob } from 'tinyglobby';
import { RECORDED_HEADER, entryLines, parseCassette, serializeCassette } from './cassette.js';
import type { Cassette, CassetteEntry } from './cassette.js';
import { errorCode, withFileLock } from './lock.js';
import type { FileLockOptions } from './lock.js';

/** Reading and writing cassette files: the effects around the pure format of `cassette.ts`. */

/**
 * Read and parse a cassette; a file that does not exist is an empty cassette.
 *
 * @example
 * const { header, entries } = await readCassette('eval/cassettes/openai/gpt-5.jsonl', console.warn);
 */
export async function readCassette(file: string, warn: (message: string) => void): Promise<Cassette> {
  try {
    return parseCassette(await readFile(file, 'utf8'), file, warn);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return { header: undefined, entries: new Map() };
    throw error;
  }
}

/**
 * Add entries to a cassette, safely when several processes write it: under its
 * lock file, append one line per entry (sorted by key within the batch). The
 * cost is the batch's, not the cassette's: nothing already in the file is read
 * or rewritten. A new cassette gets the `recorded` header first; an existing one
 * keeps its header. A last line without its newline (a write cut short by a
 * kill) is cut off first, with a warning, so it never ends up mid-file.
 * Duplicate keys are left for `compactCassette` (the later line wins on read).
 *
 * @example
 * await appendCassette(file, new Map([[entry.key, entry]]), console.warn, undefined);
 */
export async function appendCassette(
  file: string,
  entries: Map<string, CassetteEntry>,
  warn: (message: string) => void,
  lock: FileLockOptions | undefined,
): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await withFileLock(
    `${file}.lock`,
    async () => {
      const handle = await open(file, 'a+');
      try {
        const size = await wholeLength(handle, file, warn);
        const lines = entryLines(entries.values());
        await handle.appendFile(size === 0 ? `${JSON.stringify(RECORDED_HEADER)}\n${lines}` : lines);
      } finally {
        await handle.close();
      }
    },
    lock,
  );
}

/**
 * The length of the file's whole lines: when the last line has no newline (a
 * write cut short), the file is truncated after the line before it. Reads only
 * the file's tail.
 */
async function wholeLength(
  handle: FileHandle,
  file: string,
  warn: (message: string) => void,
): Promise<number> {
  const { size } = await handle.stat();
  if (size === 0) return 0;
  const chunk = Buffer.alloc(Math.min(size, TAIL_CHUNK));
  let end = size;
  while (end > 0) {
    const start = Math.max(0, end - chunk.length);
    const { bytesRead } = await handle.read(chunk, 0, end - start, start);
    const newline = chunk.subarray(0, bytesRead).lastIndexOf(0x0a);
    if (newline >= 0) {
      const whole = start + newline + 1;
      if (whole < size) await cutTail(handle, file, whole, warn);
      return whole;
    }
    end = start;
  }
  await cutTail(handle, file, 0, warn);
  return 0;
}

const TAIL_CHUNK = 64 * 1024;

async function cutTail(
  handle: FileHandle,
  file: string,
  length: number,
  warn: (message: string) => void,
): Promise<void> {
  warn(`${file}: dropped an unfinished last line (a write was cut short) before adding entries`);
  await handle.truncate(length);
}

/**
 * Rewrite a cassette in its settled form: each key once (the later line wins),
 * sorted by key, an unfinished last line dropped; under its lock, through a
 * temp file renamed over it, so a kill leaves the old file or the new one. A
 * file already in that form is left as it is. Returns whether it was rewritten.
 *
 * @example
 * await compactCassette('eval/cassettes/openai/gpt-5.jsonl', console.warn, undefined) // true
 */
export async function compactCassette(
  file: string,
  warn: (message: string) => void,
  lock: FileLockOptions | undefined,
): Promise<boolean> {
  return withFileLock(
    `${file}.lock`,
    async () => {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        if (errorCode(error) === 'ENOENT') return false;
        throw error;
      }
      const cassette = parseCassette(text, file, warn);
      const settled = serializeCassette(cassette.header ?? RECORDED_HEADER, cassette.entries.values());
      if (settled === text) return false;
      const temp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
      try {
        await writeFile(temp, settled);
        await rename(temp, file);
      } catch (error) {
        await unlink(temp).catch(() => undefined);
        throw error;
      }
      return true;
    },
    lock,
  );
}

/**
 * Compact every cassette under `dir` changed since `sinceMs` (file mtime): what
 * a run wrote. Called once at the end of a run, so the cost is one read and one
 * write of each cassette the run appended to.
 *
 * @example
 * await compactCassettes('eval/cassettes', runStartedAt, console.warn) // ['eval/cassettes/openai/gpt-5.jsonl']
 */
export async function compactCassettes(
  dir: string,
  sinceMs: number,
  warn: (message: string) => void,
  lock?: FileLockOptions | undefined,
): Promise<string[]> {
  const files = await glob('**/*.jsonl', { cwd: dir, absolute: true, onlyFiles: true });
  const rewritten: string[] = [];
  for (const file of files.sort()) {
    const changed = await stat(file).then(
      (s) => s.mtimeMs >= sinceMs,
      () => false,
    );
    if (changed && (await compactCassette(file, warn, lock))) rewritten.push(file);
  }
  return rewritten;
}
