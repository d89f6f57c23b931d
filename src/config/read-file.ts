import { readFile, stat } from 'node:fs/promises';
import { ConfigValidationError, problemAt } from './problems.js';

/**
 * The largest config file read, in bytes (10 MiB). The YAML parser holds about
 * 36 bytes of memory per byte of text while it parses (measured: a 50 MB case
 * file needs 1.8 GB), so a larger case set is split across files.
 *
 * @example
 * if (size > MAX_CONFIG_BYTES) console.error('split it')
 */
export const MAX_CONFIG_BYTES = 10 * 1024 * 1024;

const MIB = 1024 * 1024;

/**
 * Read a config file as UTF-8. A missing file is `undefined` when `optional`,
 * else a `ConfigError` (code `E_CONFIG_READ`) naming the path and `hint`, the fix.
 * A file over `MAX_CONFIG_BYTES` is refused unread (code `E_CONFIG_SIZE`).
 *
 * @example
 * const text = await readConfigText('/repo/rubric.yaml', 'rubric.yaml', { hint: 'run `npx qualify init`' })
 */
export async function readConfigText(
  path: string,
  label: string,
  options: { hint: string; optional?: boolean },
): Promise<string | undefined> {
  try {
    const { size } = await stat(path);
    if (size > MAX_CONFIG_BYTES) {
      const problem =
        `is ${(size / MIB).toFixed(1)} MB, more than the ${MAX_CONFIG_BYTES / MIB} MB vitest-qualify reads from one file; ` +
        'split it into smaller files (a subject’s cases: takes a list of paths or globs, e.g. eval/cases/*.yaml)';
      throw new ConfigValidationError([problemAt({ file: label }, problem, 'E_CONFIG_SIZE')]);
    }
    return await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof ConfigValidationError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && options.optional) return undefined;
    const problem =
      code === 'ENOENT'
        ? `file not found; ${options.hint}`
        : code === 'EISDIR'
          ? `is a folder, not a file; ${options.hint}`
          : `cannot be read (${code ?? (error as Error).message}); check that it is a readable file`;
    throw new ConfigValidationError([problemAt({ file: label }, problem, 'E_CONFIG_READ')]);
  }
}
