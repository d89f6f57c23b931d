import type { Git } from '../../../internal/git.js';
import type { ModelCommit } from './release-note.js';

const MODEL_LINE = /^([+-])model_primary\s*:(.*)$/;

/** A `model_primary:` value as written, without quotes and a trailing comment. */
function valueOf(rest: string): string {
  return rest
    .replace(/\s+#.*$/, '')
    .trim()
    .replace(/^(["'])(.*)\1$/, '$2');
}

/**
 * Whether a zero-context diff of rubric.yaml changes the value of the top-level
 * `model_primary` line (a comment or quoting edit on that line does not count).
 *
 * @example
 * changesModelLine('-model_primary: a:x\n+model_primary: a:y\n') // true
 */
export function changesModelLine(diff: string): boolean {
  const removed: string[] = [];
  const added: string[] = [];
  for (const line of diff.split('\n')) {
    const match = MODEL_LINE.exec(line);
    if (match) (match[1] === '-' ? removed : added).push(valueOf(match[2] ?? ''));
  }
  return removed.join('\n') !== added.join('\n');
}

/**
 * The commits of `base..HEAD` (merges left out) whose diff of `rubricFile`
 * (repository-relative) changes the `model_primary` line, newest first.
 *
 * @example
 * await modelCommits(git, 'origin/main', 'rubric.yaml') // [{ short: '1a2b3c4', subject: 'Qualify opus 4.7', ... }]
 */
export async function modelCommits(git: Git, base: string, rubricFile: string): Promise<ModelCommit[]> {
  const top = `:(top)${rubricFile}`;
  const head = (await git(['rev-parse', 'HEAD'])).trim();
  const log = await git(['log', '--no-merges', '-z', '--format=%H%x00%h%x00%B', `${base}..HEAD`, '--', top]);
  const fields = log.split('\0');
  const out: ModelCommit[] = [];
  for (let i = 0; i + 2 < fields.length; i += 3) {
    const sha = (fields[i] ?? '').trim();
    const short = fields[i + 1] ?? '';
    const message = (fields[i + 2] ?? '').trim();
    const diff = await git(['show', '--no-color', '--format=', '-U0', '--no-ext-diff', sha, '--', top]);
    if (!changesModelLine(diff)) continue;
    out.push({ sha, short, subject: message.split('\n')[0] ?? '', message, head: sha === head });
  }
  return out;
}
