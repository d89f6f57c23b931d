import { ConfigError } from '../../errors.js';

/** The machine-rewritable blocks of ops/failure_playbook.md. */
export const BLOCK_NAMES = ['models', 'history'] as const;
export type BlockName = (typeof BLOCK_NAMES)[number];

/**
 * The marker lines of a block.
 *
 * @example
 * markers('models').start // '<!-- qualify:models:start -->'
 */
export function markers(name: BlockName): { start: string; end: string } {
  return { start: `<!-- qualify:${name}:start -->`, end: `<!-- qualify:${name}:end -->` };
}

/** One block: the 0-based indexes of its marker lines and the lines between them (without `\r`). */
export interface Block {
  name: BlockName;
  start: number;
  end: number;
  inner: string[];
}

/** A playbook split into lines, with both blocks found. */
export interface PlaybookLines {
  label: string;
  /** The text split on `\n`: joining with `\n` gives the file back byte for byte. */
  lines: string[];
  /** `\r\n` when the file uses it, else `\n`. */
  eol: '\n' | '\r\n';
  blocks: Record<BlockName, Block>;
}

/**
 * Find both blocks of a playbook. Each marker must be on a line of its own,
 * once, the end after the start, and the blocks must not overlap; anything
 * else is a `ConfigError` naming the line and what is expected.
 *
 * @example
 * const { blocks } = findBlocks(text, 'ops/failure_playbook.md')
 * blocks.models.inner // ['| role | model | ...', ...]
 */
export function findBlocks(text: string, label: string): PlaybookLines {
  const lines = text.split('\n');
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const bare = lines.map((line) => line.replace(/\r$/, ''));
  const at = (index: number) => ({ file: label, line: index + 1 });
  const find = (marker: string): number => {
    const found: number[] = [];
    bare.forEach((line, i) => {
      if (!line.includes(marker)) return;
      if (line.trim() !== marker) throw new ConfigError(at(i), `${marker} must be on a line of its own`);
      found.push(i);
    });
    if (found.length === 0) {
      throw new ConfigError(
        { file: label },
        `no ${marker} line: restore the block (\`npx qualify init --force\` writes a fresh playbook to copy it from)`,
      );
    }
    if (found.length > 1) {
      throw new ConfigError(
        at(found[1]!),
        `a second ${marker} (the first is on line ${found[0]! + 1}): keep one`,
      );
    }
    return found[0]!;
  };
  const blocks = {} as Record<BlockName, Block>;
  for (const name of BLOCK_NAMES) {
    const { start: open, end: close } = markers(name);
    const start = find(open);
    const end = find(close);
    if (end < start) {
      throw new ConfigError(
        at(end),
        `${close} comes before ${open} (line ${start + 1}): put the end marker after the table`,
      );
    }
    blocks[name] = { name, start, end, inner: bare.slice(start + 1, end) };
  }
  const [a, b] = [blocks.models, blocks.history].sort((x, y) => x.start - y.start) as [Block, Block];
  if (b.start < a.end) {
    throw new ConfigError(
      at(b.start),
      `the ${b.name} block starts inside the ${a.name} block (lines ${a.start + 1}-${a.end + 1}): ` +
        `close the ${a.name} block with ${markers(a.name).end} first`,
    );
  }
  return { label, lines, eol, blocks };
}

/**
 * The playbook with the inner lines of some blocks replaced; every other byte,
 * marker lines included, is kept as it was.
 *
 * @example
 * replaceBlocks(found, { models: renderModelsTable(rows) })
 */
export function replaceBlocks(found: PlaybookLines, inner: Partial<Record<BlockName, string[]>>): string {
  const cr = found.eol === '\r\n' ? '\r' : '';
  const replaced = (Object.keys(inner) as BlockName[])
    .map((name) => ({ block: found.blocks[name], lines: inner[name]!.map((line) => line + cr) }))
    .sort((x, y) => y.block.start - x.block.start);
  const lines = [...found.lines];
  for (const { block, lines: next } of replaced)
    lines.splice(block.start + 1, block.end - block.start - 1, ...next);
  return lines.join('\n');
}
