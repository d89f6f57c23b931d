/**
 * The policy knowledge base the drafter answers from: one short markdown file
 * per passage under `agents/kb/`, with a front matter naming its id, title and
 * topic. The id is what a reply cites, `[returns-window]`.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { SupportAgentError } from './errors.js';

/** One passage of the knowledge base. */
export interface Passage {
  /** Lower-case, dash-separated; the file name without `.md`. What a citation names. */
  id: string;
  title: string;
  topic: 'returns' | 'shipping' | 'warranty' | 'privacy' | 'support';
  /** The policy text, one paragraph. */
  text: string;
}

/** The passages, by id. */
export interface KnowledgeBase {
  passages: readonly Passage[];
  get(id: string): Passage | undefined;
}

/**
 * The folder the example's knowledge base ships in.
 *
 * @example
 * const kb = await loadKnowledgeBase(KB_DIR)
 */
export const KB_DIR = fileURLToPath(new URL('./kb/', import.meta.url));

/**
 * A passage id: lower-case letters and digits in dash-separated words, starting with a letter.
 *
 * @example
 * PASSAGE_ID.test('returns-window') // true
 */
export const PASSAGE_ID = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

const FrontMatter = z.strictObject({
  id: z.string().regex(PASSAGE_ID),
  title: z.string().min(1),
  topic: z.enum(['returns', 'shipping', 'warranty', 'privacy', 'support']),
});

const FRONT_MATTER = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/;

/**
 * Parse one passage file. The front matter's `id` must equal the file name.
 *
 * @example
 * parsePassage('---\nid: a\ntitle: A\ntopic: returns\n---\nText.\n', 'a.md')
 * // { id: 'a', title: 'A', topic: 'returns', text: 'Text.' }
 */
export function parsePassage(source: string, file: string): Passage {
  const match = FRONT_MATTER.exec(source.replace(/\r\n/g, '\n'));
  if (!match) {
    throw new SupportAgentError(
      'E_KB_PASSAGE',
      `${file}: no front matter; start the file with ---, id, title, topic, ---`,
    );
  }
  const meta = FrontMatter.safeParse(parseYaml(match[1]!));
  if (!meta.success) {
    const issue = meta.error.issues[0];
    const key = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw new SupportAgentError(
      'E_KB_PASSAGE',
      `${file}: front matter ${key}${issue?.message ?? 'is invalid'}; it needs id, title and topic`,
    );
  }
  const expected = path.basename(file, '.md');
  if (meta.data.id !== expected) {
    throw new SupportAgentError(
      'E_KB_PASSAGE',
      `${file}: id ${meta.data.id} differs from the file name; rename the file or the id to ${expected}`,
    );
  }
  const text = match[2]!.trim().replace(/\s+/g, ' ');
  if (text === '') {
    throw new SupportAgentError(
      'E_KB_PASSAGE',
      `${file}: the passage has no text; write the policy under the front matter`,
    );
  }
  return { ...meta.data, text };
}

/**
 * A knowledge base over passages, sorted by id.
 *
 * @example
 * knowledgeBase([passage]).get('returns-window')?.title // 'Return window'
 */
export function knowledgeBase(passages: readonly Passage[]): KnowledgeBase {
  const sorted = [...passages].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const byId = new Map(sorted.map((p) => [p.id, p]));
  return { passages: sorted, get: (id) => byId.get(id) };
}

/**
 * Read every `*.md` passage in a folder.
 *
 * @example
 * const kb = await loadKnowledgeBase('agents/kb')
 * kb.passages.length // 27
 */
export async function loadKnowledgeBase(dir: string = KB_DIR): Promise<KnowledgeBase> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.md')).sort();
  if (names.length === 0) {
    throw new SupportAgentError('E_KB_EMPTY', `${dir} has no passages: add one markdown file per policy`);
  }
  const passages = await Promise.all(
    names.map(async (name) => parsePassage(await readFile(path.join(dir, name), 'utf8'), name)),
  );
  return knowledgeBase(passages);
}

/**
 * The passage as the model and the judges read it: id, title and text on one line.
 *
 * @example
 * formatPassage({ id: 'a', title: 'A', topic: 'returns', text: 'Text.' }) // '[a] A: Text.'
 */
export function formatPassage(passage: Passage): string {
  return `[${passage.id}] ${passage.title}: ${passage.text}`;
}
