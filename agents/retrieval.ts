/**
 * Lexical retrieval over the knowledge base: BM25+ ranking from MiniSearch,
 * with a light English stemmer and stop words, so "returned", "returns" and
 * "returning" meet "return".
 */
import MiniSearch from 'minisearch';
import type { KnowledgeBase, Passage } from './kb.js';

/** A passage and its BM25+ score for one query. */
export interface Retrieved {
  passage: Passage;
  score: number;
}

/** How many passages a search keeps. */
export interface SearchOptions {
  /** At most this many passages. Default 4. */
  topK?: number | undefined;
  /** Drop passages scoring below this fraction of the best one. Default 0.3. */
  minRelativeScore?: number | undefined;
}

const STOP_WORDS = new Set(
  (
    'a about after all also am an and any are as at be been before but by can could did do does for from ' +
    'get got had has have how i if in into is it its just me my of on or our so than that the their them ' +
    'then there they this to too us was we were what when where which who why will with would you your'
  ).split(' '),
);

/**
 * Query expansions: how customers say it, and the words the policies use. Applied
 * to the query only. Add a row when a real question misses its passage.
 *
 * @example
 * expandQuery('It does not fit, can I send it back?') // 'It does not fit, can I send it back? return refund exchange size'
 */
export const EXPANSIONS: readonly (readonly [RegExp, string])[] = [
  [/\bsend (?:it |them )?back\b|\bmoney back\b/i, 'return refund'],
  [/\b(?:doesn'?t|does not|didn'?t|did not) fit\b/i, 'exchange size'],
  [/\b(?:wore|worn|wearing|used)\b/i, 'worn wear'],
  [/\b(?:broke|broken|ripped|torn|faulty|fell apart)\b/i, 'defect'],
  [/\bcovered\b/i, 'warranty coverage'],
  [/\b(?:christmas|holiday)\b/i, 'holidays'],
  [/\bcustoms\b/i, 'duties taxes'],
  [/\bpackage\b/i, 'parcel'],
  [/\b(?:present|birthday|gifted)\b/i, 'gift'],
  [/\b\d+ days? (?:ago|later|since|after)\b|\bbeen \d+ (?:days|weeks)\b/i, 'return window'],
  [/\b(?:street|postcode|zip code|apartment)\b|\bwrong address\b/i, 'shipping address change'],
  [
    /\b(?:neighbou?r|friend|colleague|someone else|another customer|hers|his)\b/i,
    "another customer's order account",
  ],
  [/\b(?:unsubscribe|newsletter|promo(?:tional)? emails?)\b/i, 'marketing'],
];

/**
 * The query with the expansions of every matching row appended.
 *
 * @example
 * expandQuery('Will it arrive before Christmas?') // 'Will it arrive before Christmas? holidays'
 */
export function expandQuery(query: string): string {
  const extra = EXPANSIONS.filter(([pattern]) => pattern.test(query)).map(([, words]) => words);
  return [query, ...extra].join(' ');
}

/**
 * A light stemmer: strips plural and -ing/-ed endings, a doubled final consonant
 * and a final e, on words of four letters or more. Crude, but the same on the
 * index and the query side, which is all BM25 needs.
 *
 * @example
 * stem('returned') // 'return'
 * stem('shipping') // 'ship'
 * stem('exchanges') // 'exchang'
 */
export function stem(word: string): string {
  let w = word.toLowerCase().replace(/['’]s$/, '');
  if (w.length <= 3) return w;
  if (w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
  else if (/(ss|us)$/.test(w)) return w;
  else if (/(sses|xes|ches|shes)$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith('s')) w = w.slice(0, -1);
  if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith('ed')) w = w.slice(0, -2);
  if (/([bdfgkmnprt])\1$/.test(w)) w = w.slice(0, -1);
  if (w.length > 4 && w.endsWith('e')) w = w.slice(0, -1);
  return w;
}

/**
 * The search terms of a text: lower-cased words and numbers, stop words dropped, stemmed.
 *
 * @example
 * terms('Can I return the shoes?') // ['return', 'shoe']
 */
export function terms(text: string): string[] {
  return (text.toLowerCase().match(/[a-z0-9$]+(?:['’][a-z]+)?/g) ?? [])
    .filter((word) => !STOP_WORDS.has(word))
    .map(stem);
}

/**
 * BM25+ search over the passages: the title counts twice as much as the text;
 * ties break by passage id, so a query always ranks the same way.
 *
 * @example
 * const retriever = new Retriever(kb)
 * retriever.search('Can I return shoes after 40 days?')[0]?.passage.id // 'returns-window'
 */
export class Retriever {
  readonly #index: MiniSearch<Passage>;
  readonly #kb: KnowledgeBase;

  constructor(kb: KnowledgeBase) {
    this.#kb = kb;
    this.#index = new MiniSearch<Passage>({
      fields: ['title', 'text'],
      idField: 'id',
      tokenize: (text) => [text],
      processTerm: (text) => terms(text),
    });
    this.#index.addAll([...kb.passages]);
  }

  /** The best passages for a query, best first; empty when no term matches. */
  search(query: string, options: SearchOptions = {}): Retrieved[] {
    const topK = options.topK ?? 4;
    const minRelative = options.minRelativeScore ?? 0.3;
    const hits = this.#index
      .search(expandQuery(query), { boost: { title: 2 }, combineWith: 'OR', prefix: false, fuzzy: false })
      .map((hit) => ({ passage: this.#kb.get(String(hit.id)), score: hit.score }))
      .filter((hit): hit is Retrieved => hit.passage !== undefined)
      .sort((a, b) => b.score - a.score || (a.passage.id < b.passage.id ? -1 : 1));
    const best = hits[0]?.score ?? 0;
    return hits.filter((hit) => hit.score >= best * minRelative).slice(0, topK);
  }
}
