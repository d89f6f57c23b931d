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
 * over `limit`, sections are dropped at their boundaries until it fits, the
 * folded full table first, then the other optional sections from the bottom
 * up; the verdict, the gates and the failing cases are kept (their rows cut
 * last, only if nothing else is left). A trimmed body ends with a line saying
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
  const order = [...optional.filter((b) => b.folded), ...optional.filter((b) => !b.folded).reverse()];
  const dropped = new Set<Block>();
  const leftOut: string[] = [];
  const kept = (): string =>
    blocks
      .filter((b) => !dropped.has(b))
      .map((b) => b.text)
      .join('');
  for (const block of order) {
    dropped.add(block);
    leftOut.push(block.title);
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

/** The markdown cut into the text before the first `###`, each `###` section, and the `<details>` block. */
function splitBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  let current: Block = { title: 'the header', text: '', essential: true, folded: false };
  let inDetails = false;
  const start = (block: Block): void => {
    if (current.text !== '') blocks.push(current);
    current = block;
  };
  for (const line of markdown.split(/(?<=\n)/)) {
    if (!inDetails && /^<details[\s>]/i.test(line)) {
      inDetails = true;
      start({ title: 'the full case table', text: '', essential: false, folded: true });
    } else if (!inDetails && /^###\s/.test(line)) {
      const title = line.replace(/^###\s+/, '').trim();
      start({ title, text: '', essential: ESSENTIAL.test(line), folded: false });
    }
    current.text += line;
    if (inDetails && /^<\/details>/i.test(line)) {
      inDetails = false;
      start({ title: 'the text after the full case table', text: '', essential: false, folded: false });
    }
  }
  start(current);
  return blocks;
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
