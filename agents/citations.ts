/**
 * Bracketed citations in a draft reply: `[returns-window]`, `[a][b]` or `[a, b]`,
 * each attached to the sentence it closes. A markdown link `[text](url)` is not a
 * citation; neither is anything that is not a lower-case passage id.
 */

/** One citation: the passage id and the sentence (claim) it backs, markers removed. */
export interface Citation {
  id: string;
  claim: string;
}

const ID = '[a-z][a-z0-9]*(?:-[a-z0-9]+)*';
const MARKER = new RegExp(`\\[(${ID}(?:\\s*,\\s*${ID})*)\\](?!\\()`, 'g');
const LEADING_MARKERS = new RegExp(`^(?:\\s*\\[${ID}(?:\\s*,\\s*${ID})*\\](?!\\())+`);

/**
 * The text without citation markers, spaces tidied.
 *
 * @example
 * stripCitations('Returns close after 30 days [returns-window].') // 'Returns close after 30 days.'
 */
export function stripCitations(text: string): string {
  return text
    .replace(MARKER, '')
    .replace(/[ \t]+([.,;:!?])/g, '$1')
    .replace(/[ \t]{2,}/g, ' ')
    .trim();
}

/**
 * Sentences of a text, split after `.`, `!` or `?` and at line breaks. Markers that
 * open a sentence belong to the one before (`30 days. [returns-window] Next...`).
 *
 * @example
 * splitSentences('Thirty days. [returns-window] Labels are free.')
 * // ['Thirty days. [returns-window]', 'Labels are free.']
 */
export function splitSentences(text: string): string[] {
  const pieces = text
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.trim())
    .filter(Boolean);
  const sentences: string[] = [];
  for (const piece of pieces) {
    const leading = LEADING_MARKERS.exec(piece)?.[0];
    if (leading && sentences.length > 0) {
      sentences[sentences.length - 1] += ` ${leading.trim()}`;
      const rest = piece.slice(leading.length).trim();
      if (rest) sentences.push(rest);
    } else sentences.push(piece);
  }
  return sentences;
}

/**
 * Every citation in a draft, in order of appearance, each (id, claim) pair once.
 *
 * @example
 * parseCitations('No: returns close after 30 days [returns-window]. Labels cost $6.95 [returns-shipping-cost].')
 * // [{ id: 'returns-window', claim: 'No: returns close after 30 days.' },
 * //  { id: 'returns-shipping-cost', claim: 'Labels cost $6.95.' }]
 */
export function parseCitations(text: string): Citation[] {
  const citations: Citation[] = [];
  const seen = new Set<string>();
  for (const sentence of splitSentences(text)) {
    const claim = stripCitations(sentence);
    for (const match of sentence.matchAll(MARKER)) {
      for (const id of match[1]!.split(',').map((part) => part.trim())) {
        const key = `${id}\u0000${claim}`;
        if (seen.has(key)) continue;
        seen.add(key);
        citations.push({ id, claim });
      }
    }
  }
  return citations;
}
