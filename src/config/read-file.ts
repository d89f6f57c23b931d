import { readFile } from 'node:fs/promises';
import { ConfigValidationError, problemAt } from './problems.js';

/**
 * Read a config file as UTF-8. A missing file is `undefined` when `optional`,
 * else a `ConfigError` (code `E_CONFIG_READ`) naming the path and `hint`, the fix.
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
    return await readFile(path, 'utf8');
  } catch (error) {
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
