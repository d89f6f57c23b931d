import { appendFile, mkdir, rename, writeFile } from 'node:fs/promises';
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
  await writeAtomic(to.json, `${JSON.stringify(card, null, 2)}\n`);
  await writeAtomic(to.markdown, markdown);
  const written = [to.json, to.markdown];
  if (to.stepSummary) {
    await appendFile(to.stepSummary, `${markdown}\n`);
    written.push(to.stepSummary);
  }
  return written;
}
