import { readFile } from 'node:fs/promises';

/**
 * The version of the installed package, read from its package.json
 * (`../../package.json` from both `src/cli/` and `dist/cli/`).
 *
 * @example
 * await packageVersion() // '0.1.0'
 */
export async function packageVersion(): Promise<string> {
  const text = await readFile(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version?: string }).version ?? '0.0.0';
}
