import { appendFile, mkdir, open, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { renderMarkdown } from './markdown.js';
import type { Scorecard } from './types.js';

/**
 * Write a file whole or not at all: a temporary file renamed over the target.
 *
 * @example
 * await writeAtomic('eval/out/scorecard.json', text)
 */
export async function writeAtomic(file: string, content: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, content);
  await rename(tmp, file);
}

/**
 * Write the scorecard as JSON and markdown, and append the markdown to the
 * GitHub step summary when `stepSummary` (`$GITHUB_STEP_SUMMARY`) is set.
 * Returns the files written.
 *
 * @example
 * await writeScorecard(card, { json: 'eval/out/scorecard.json', markdown: 'eval/out/scorecard.md' })
 */
export async function writeScorecard(
  card: Scorecard,
  to: { json: string; markdown: string; stepSummary?: string | undefined },
): Promise<string[]> {
  const markdown = renderMarkdown(card);
  await writeAtomicChunks(to.json, scorecardJsonChunks(card));
  await writeAtomic(to.markdown, markdown);
  const written = [to.json, to.markdown];
  if (to.stepSummary) {
    await appendFile(to.stepSummary, `${markdown}\n`);
    written.push(to.stepSummary);
  }
  return written;
}

/**
 * The text of `JSON.stringify(card, null, 2)` and a newline, in pieces: the cases one at a time.
 * At 100,000 cases the scorecard is about 180 MB of JSON; built as one string it would be held
 * whole, beside the scorecard itself, until written.
 *
 * @example
 * [...scorecardJsonChunks(card)].join('') === `${JSON.stringify(card, null, 2)}\n` // true
 */
export function* scorecardJsonChunks(card: Scorecard): Generator<string> {
  const entries = Object.entries(card).filter(([, value]) => value !== undefined);
  yield '{';
  for (const [i, [key, value]] of entries.entries()) {
    yield `${i === 0 ? '' : ','}\n  ${JSON.stringify(key)}: `;
    if (key === 'cases' && Array.isArray(value) && value.length > 0) {
      yield '[';
      for (const [k, c] of value.entries()) {
        yield `${k === 0 ? '' : ','}\n    ${indented(c ?? null, '    ')}`;
      }
      yield '\n  ]';
    } else yield indented(value, '  ');
  }
  yield entries.length === 0 ? '}\n' : '\n}\n';
}

/** `JSON.stringify(value, null, 2)` for a value written at `indent`: newlines only ever separate tokens. */
function indented(value: unknown, indent: string): string {
  return JSON.stringify(value, null, 2).replace(/\n/g, `\n${indent}`);
}

/** `writeAtomic` for text that comes in pieces, written about a megabyte at a time. */
async function writeAtomicChunks(file: string, chunks: Iterable<string>): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  const handle = await open(tmp, 'w');
  try {
    let pending: string[] = [];
    let size = 0;
    for (const chunk of chunks) {
      pending.push(chunk);
      size += chunk.length;
      if (size >= 1 << 20) {
        await handle.write(pending.join(''));
        pending = [];
        size = 0;
      }
    }
    await handle.write(pending.join(''));
  } finally {
    await handle.close();
  }
  await rename(tmp, file);
}
