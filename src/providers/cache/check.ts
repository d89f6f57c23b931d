import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { glob } from 'tinyglobby';
import { ConfigError } from '../../errors.js';
import { parseCassette } from './cassette.js';

/**
 * Parse every cassette under `dir` (`**\/*.jsonl`) before a run that reads them,
 * so a cassette edited by hand into something that does not parse stops the
 * run as one config error (`E_CASSETTE`, `file:line` relative to `root`)
 * before any model is called, instead of failing every case that reads it.
 * Warnings (an unfinished last line) are left to the run that reads the file.
 *
 * @example
 * await checkCassettes('/repo/eval/cassettes', '/repo') // throws 'eval/cassettes/openai/gpt-5.jsonl:3: not valid JSON; ...'
 */
export async function checkCassettes(dir: string, root: string): Promise<void> {
  const files = await glob('**/*.jsonl', { cwd: dir, absolute: true, onlyFiles: true });
  for (const file of files.sort()) {
    const label = path.relative(root, file).split(path.sep).join('/');
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new ConfigError({ file: label }, `cannot be read (${code}); check that it is a readable file`, {
        code: 'E_CASSETTE',
      });
    }
    parseCassette(text, label, () => undefined);
  }
}
