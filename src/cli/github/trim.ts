/** GitHub's limit on an issue or PR comment body, in characters. */
export const COMMENT_LIMIT = 65_536;

/** What `fitComment` produced. */
export interface FittedComment {
  body: string;
  trimmed: boolean;
  /** The sections left out, by title, in the order they were dropped. */
  leftOut: string[];
}

interface Block {
  title: string;
  text: string;
  essential: boolean;
  folded: boolean;
}

const ESSENTIAL = /^###\s+(gates|failing|errored|regressed)/i;

/**
 * The comment body: the marker line, then the scorecard markdown. When that is
 * over `limit`, sections are dropped at their boundaries until it fits: the
 * folded blocks first (the full table, the drops within noise, the outputs
 * beside the baseline's, the flip table, where agents threw), then the other
 * optional sections from the bottom up; the verdict with how the gate decided,
 * the gates and the failing cases are kept (their rows cut last, only if nothing
 * else is left). A trimmed body ends with a line saying
 * what was left out and linking the full scorecard.
 *
 * @example
 * const { body, trimmed } = fitComment({ marker, markdown: renderMarkdown(card), link: runUrl })
 * body.length <= COMMENT_LIMIT // true
 */
export function fitComment(input: {
  marker: string;
  markdown: string;
  link: string | undefined;
  limit?: number;
}): FittedComment {
  const limit = input.limit ?? COMMENT_LIMIT;
  const head = `${input.marker}\n`;
  const whole = head + input.markdown;
  if (whole.length <= limit) return { body: whole, trimmed: false, leftOut: [] };

  const blocks = splitBlocks(input.markdown);
  const optional = blocks.filter((b) => !b.essential && b.text.trim() !== '');
  // Folded blocks first, in FOLDED's order (each kind from the bottom up), then the other optional
  // sections from the bottom up.
  const rank = (b: Block): number => {
    const known = FOLDED.findIndex(([, title]) => title === b.title);
    return known === -1 ? 0.5 : known;
  };
  const folded = optional.filter((b) => b.folded).reverse();
  const order = [...folded.sort((a, b) => rank(a) - rank(b)), ...optional.filter((b) => !b.folded).reverse()];
  const dropped = new Set<Block>();
  const leftOut: string[] = [];
  const kept = (): string =>
    blocks
      .filter((b) => !dropped.has(b))
      .map((b) => b.text)
      .join('');
  for (const block of order) {
    dropped.add(block);
    if (!leftOut.includes(block.title)) leftOut.push(block.title);
    const body = `${head}${kept().trimEnd()}\n${footer(leftOut, input.link, limit)}`;
    if (body.length <= limit) return { body, trimmed: true, leftOut };
  }

  // Only the essential sections are left and they are still too long: cut rows from the end.
  const text = kept().trimEnd();
  const end = footer([...leftOut, 'the last rows of the tables'], input.link, limit);
  const noteRoom = 80;
  const budget = Math.max(0, limit - head.length - end.length - noteRoom - 2);
  const { text: cut, lines } = cutAtLine(text, budget);
  const note = `\n\n… ${lines} more ${lines === 1 ? 'line' : 'lines'} left out here; they are in the full scorecard.`;
  const body = `${head}${cut}${note}\n${end}`;
  return { body: body.length <= limit ? body : safeSlice(body, limit), trimmed: true, leftOut };
}

/**
 * What a folded block is called in "left out:", by its `<summary>`, in the order such blocks are
 * dropped; another folded block is called by its summary and dropped right after the full table.
 */
const FOLDED: [RegExp, string][] = [
  [/^All (\d+ )?cases$/, 'the full case table'],
  [/^Drops within noise/, 'the drops within noise'],
  [/^Outputs of /, 'the outputs beside the baseline’s'],
  [/flips$/, 'the flip table'],
  [/^Where /, 'where the agents threw'],
];

/**
 * The markdown cut into the text before the first `###`, each `###` section, and each top-level
 * `<details>` block (with the `<details>` nested in it); the text after a `<details>` block goes on
 * with the section it is in.
 */
function splitBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  let section: Block = { title: 'the header', text: '', essential: true, folded: false };
  let current = section;
  let depth = 0;
  const start = (block: Block): void => {
    if (current.text !== '') blocks.push(current);
    current = block;
  };
  for (const line of markdown.split(/(?<=\n)/)) {
    const opens = /^<details[\s>]/i.test(line);
    if (depth === 0 && opens) {
      start({ title: foldedTitle(line), text: '', essential: false, folded: true });
    } else if (depth === 0 && /^###\s/.test(line)) {
      const title = line.replace(/^###\s+/, '').trim();
      section = { title, text: '', essential: ESSENTIAL.test(line), folded: false };
      start(section);
    }
    if (opens) depth += 1;
    current.text += line;
    if (depth > 0 && /^<\/details>/i.test(line)) {
      depth -= 1;
      if (depth === 0) start({ ...section, text: '' });
    }
  }
  start(current);
  return blocks;
}

function foldedTitle(line: string): string {
  const summary = (/<summary>(.*?)<\/summary>/i.exec(line)?.[1] ?? '').replace(/`/g, '').trim();
  return FOLDED.find(([pattern]) => pattern.test(summary))?.[1] ?? (summary || 'a folded section');
}

function footer(leftOut: readonly string[], link: string | undefined, limit: number): string {
  const where = link
    ? `[The full scorecard](<${link}>) has everything.`
    : 'The full scorecard is in the workflow run’s step summary and its scorecard artifact.';
  return `\n---\n\n✂️ Trimmed to fit GitHub’s ${limit.toLocaleString('en-US')}-character comment limit; left out: ${leftOut.join(', ')}. ${where}\n`;
}

/** The longest prefix of whole lines within `budget` characters, and how many lines were cut. */
function cutAtLine(text: string, budget: number): { text: string; lines: number } {
  const lines = text.split('\n');
  let length = 0;
  let keep = 0;
  while (keep < lines.length && length + lines[keep]!.length + (keep ? 1 : 0) <= budget) {
    length += lines[keep]!.length + (keep ? 1 : 0);
    keep += 1;
  }
  return { text: lines.slice(0, keep).join('\n'), lines: lines.length - keep };
}

/** A prefix of at most `limit` UTF-16 units that does not end inside a surrogate pair. */
function safeSlice(text: string, limit: number): string {
  const code = text.charCodeAt(limit - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? limit - 1 : limit);
}
