/**
 * Reading back what a run left on disk: every file under a folder, and the
 * cassettes parsed by the project's own parser (a warning means a line was cut short).
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseCassette } from '../../src/providers/cache/cassette.js';

/**
 * Every regular file under `dir`, as paths relative to it, sorted; `[]` when it does not exist.
 *
 * @example
 * await listFiles(`${project.dir}/eval/cassettes`) // ['openai/judge-1.jsonl', 'openai/model-a.jsonl']
 */
export async function listFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (at: string): Promise<void> => {
    const entries = await readdir(at, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    });
    for (const entry of entries) {
      const file = path.join(at, entry.name);
      if (entry.isDirectory()) await walk(file);
      else if (entry.isFile()) found.push(path.relative(dir, file));
    }
  };
  await walk(dir);
  return found.sort();
}

/** The cassettes of a folder as the cache reads them. */
export interface CassetteCheck {
  /** Entries per cassette file (relative path). */
  entries: Record<string, number>;
  /** Warnings the parser gave (an unfinished last line); a parse error throws instead. */
  warnings: string[];
  /** Cassettes not in their settled form: entry lines out of key order, or a key on two lines (appended, not compacted). */
  unsettled: string[];
}

/**
 * Parse every `*.jsonl` under `dir` with the cache's own parser: a corrupt line throws.
 *
 * @example
 * const { entries, warnings } = await checkCassettes(`${project.dir}/eval/cassettes`)
 */
export async function checkCassettes(dir: string): Promise<CassetteCheck> {
  const entries: Record<string, number> = {};
  const warnings: string[] = [];
  const unsettled: string[] = [];
  for (const file of await listFiles(dir)) {
    if (!file.endsWith('.jsonl')) continue;
    const text = await readFile(path.join(dir, file), 'utf8');
    entries[file] = parseCassette(text, file, (message) => warnings.push(message)).entries.size;
    const keys = text
      .split('\n')
      .slice(1)
      .filter((line) => line.endsWith('}'))
      .map((line) => (JSON.parse(line) as { key: string }).key);
    if (keys.some((key, i) => i > 0 && key <= keys[i - 1]!)) unsettled.push(file);
  }
  return { entries, warnings, unsettled };
}

/**
 * The sum of a record's values.
 *
 * @example
 * total({ a: 2, b: 3 }) // 5
 */
export function total(counts: Record<string, number>): number {
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}
