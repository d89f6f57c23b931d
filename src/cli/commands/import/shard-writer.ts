import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { CaseInput } from '../../../config/schema/cases.js';

const PART = /^part-\d{4,}\.cases\.yaml$/;
const PARTIAL = /^part-\d{4,}\.cases\.yaml\.partial$/;

/** The file name of part `n` (1-based): `part-0001.cases.yaml`. */
export function partName(n: number): string {
  return `part-${String(n).padStart(4, '0')}.cases.yaml`;
}

/**
 * One case as a YAML block-sequence item, indented under `cases:`.
 *
 * @example
 * caseYaml({ id: 'trace-0123456789ab', input: 'hi' }) // '  - id: trace-0123456789ab\n    input: hi\n'
 */
export function caseYaml(value: CaseInput): string {
  const text = stringify([value], { lineWidth: 0, aliasDuplicateObjects: false });
  return text.replace(/^(?=.)/gm, '  ');
}

/**
 * Writes cases into `part-NNNN.cases.yaml` files of at most `maxPerFile`
 * cases each, as they come (a file is streamed to disk while it fills, so
 * memory holds one case at a time). Files are written as `.partial` and only
 * `commit()` puts them in place, replacing the parts of an earlier import;
 * `abort()` leaves the folder as it was.
 *
 * @example
 * const writer = new ShardWriter({ dir: 'eval/cases/imported', maxPerFile: 500, header: (n) => `# part ${n}\n` })
 * for (const c of cases) await writer.add(c)
 * const { files } = await writer.commit()
 */
export class ShardWriter {
  private stream: WriteStream | undefined;
  private inFile = 0;
  private parts = 0;
  private total = 0;
  private failure: Error | undefined;

  constructor(
    private readonly options: { dir: string; maxPerFile: number; header: (part: number) => string },
  ) {}

  /** Cases written so far. */
  get written(): number {
    return this.total;
  }

  async add(value: CaseInput): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.stream === undefined || this.inFile === this.options.maxPerFile) await this.next();
    this.inFile += 1;
    this.total += 1;
    if (!this.stream!.write(caseYaml(value))) await once(this.stream!, 'drain');
  }

  /** Close the last file and move every part in place; returns their paths and how many old parts went. */
  async commit(): Promise<{ files: string[]; replaced: number }> {
    await this.close();
    const { dir } = this.options;
    const old = (await readdir(dir)).filter((name) => PART.test(name));
    await Promise.all(old.map((name) => rm(join(dir, name), { force: true })));
    const files: string[] = [];
    for (let n = 1; n <= this.parts; n++) {
      const file = join(dir, partName(n));
      await rename(`${file}.partial`, file);
      files.push(file);
    }
    return { files, replaced: old.length };
  }

  /** Remove what was written; earlier parts stay. */
  async abort(): Promise<void> {
    await this.close();
    for (let n = 1; n <= this.parts; n++)
      await rm(join(this.options.dir, `${partName(n)}.partial`), { force: true });
  }

  private async next(): Promise<void> {
    if (this.parts === 0) {
      await mkdir(this.options.dir, { recursive: true });
      const stale = (await readdir(this.options.dir)).filter((name) => PARTIAL.test(name));
      await Promise.all(stale.map((name) => rm(join(this.options.dir, name), { force: true })));
    }
    await this.close();
    this.parts += 1;
    this.inFile = 0;
    this.stream = createWriteStream(join(this.options.dir, `${partName(this.parts)}.partial`));
    this.stream.on('error', (error) => {
      this.failure = error;
    });
    this.stream.write(`${this.options.header(this.parts)}cases:\n`);
  }

  private async close(): Promise<void> {
    const stream = this.stream;
    if (!stream) return;
    this.stream = undefined;
    await new Promise<void>((resolve, reject) => {
      if (this.failure) reject(this.failure);
      stream.once('error', reject);
      stream.end(resolve);
    });
    if (this.failure) throw this.failure;
  }
}
