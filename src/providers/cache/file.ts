import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { RECORDED_HEADER, parseCassette, serializeCassette } from './cassette.js';
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
 * lock file, re-read it, merge (the given entries win), write a temp file and
 * rename it over the cassette. A new cassette gets the `recorded` header; an
 * existing one keeps its header. Returns the cassette as written.
 *
 * @example
 * await writeCassette(file, new Map([[entry.key, entry]]), console.warn, undefined);
 */
export async function writeCassette(
  file: string,
  entries: Map<string, CassetteEntry>,
  warn: (message: string) => void,
  lock: FileLockOptions | undefined,
): Promise<Cassette> {
  await mkdir(dirname(file), { recursive: true });
  return withFileLock(
    `${file}.lock`,
    async () => {
      const current = await readCassette(file, warn);
      const merged: Cassette = {
        header: current.header ?? RECORDED_HEADER,
        entries: new Map([...current.entries, ...entries]),
      };
      const temp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
      try {
        await writeFile(temp, serializeCassette(merged.header ?? RECORDED_HEADER, merged.entries.values()));
        await rename(temp, file);
      } catch (error) {
        await unlink(temp).catch(() => undefined);
        throw error;
      }
      return merged;
    },
    lock,
  );
}
