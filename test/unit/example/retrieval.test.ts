/**
 * Lexical retrieval over the shipped knowledge base: the stemmer, the query
 * expansions, and which passage ranks first for real questions.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { knowledgeBase, loadKnowledgeBase, type KnowledgeBase, type Passage } from '../../../agents/kb.js';
import { expandQuery, Retriever, stem, terms } from '../../../agents/retrieval.js';

describe('stem', () => {
  test.each([
    ['returned', 'return'],
    ['returns', 'return'],
    ['returning', 'return'],
    ['shipping', 'ship'],
    ['shipped', 'ship'],
    ['exchanges', 'exchang'],
    ['exchange', 'exchang'],
    ['policies', 'policy'],
    ['boxes', 'box'],
    ['address', 'address'],
    ['days', 'day'],
    ['shoe', 'shoe'],
    ["customer's", 'customer'],
    ['Refunds', 'refund'],
  ])('%s -> %s', (word, expected) => {
    expect(stem(word)).toBe(expected);
  });
});

describe('terms', () => {
  test('lower-cases, drops stop words and stems', () => {
    expect(terms('Can I return the shoes after 40 days?')).toEqual(['return', 'shoe', '40', 'day']);
  });

  test('keeps prices as one term', () => {
    expect(terms('Is shipping free on a $42 order?')).toEqual(['ship', 'free', '$42', 'order']);
  });
});

describe('expandQuery', () => {
  test('appends the policy words of every matching row', () => {
    expect(expandQuery("It doesn't fit, can I send it back?")).toBe(
      "It doesn't fit, can I send it back? return refund exchange size",
    );
  });

  test('leaves a query that matches no row as it is', () => {
    expect(expandQuery('Where is my tracking number?')).toBe('Where is my tracking number?');
  });
});

describe('Retriever on agents/kb', () => {
  let kb: KnowledgeBase;
  let retriever: Retriever;
  beforeAll(async () => {
    kb = await loadKnowledgeBase();
    retriever = new Retriever(kb);
  });

  test.each([
    ['Can I return shoes after 40 days?', 'returns-window'],
    ['I wore the hiking boots on one trail, can I still return them?', 'returns-condition'],
    ['Is the clearance sweater I bought returnable?', 'returns-final-sale'],
    ['Can I get my refund as store credit instead of back to my card?', 'refunds-method'],
    ['Can I exchange these boots for a bigger size?', 'exchanges'],
    ['Do I have to pay for return shipping?', 'returns-shipping-cost'],
    ['How long does standard shipping take?', 'shipping-standard'],
    ['Do you ship to Canada, and who pays customs?', 'shipping-international'],
    ['Tracking says my parcel was delivered yesterday but it is not here.', 'shipping-lost-damaged'],
    ['I typed the wrong street number on my order. Can you fix it?', 'shipping-address-change'],
    ['My backpack zipper broke after 8 months, is that covered?', 'warranty-coverage'],
    ['Does the warranty cover a tent my dog chewed through?', 'warranty-exclusions'],
    ['Please delete my account and all my data.', 'privacy-deletion'],
    ['How do I stop the marketing emails?', 'privacy-marketing'],
    ['What address did my neighbour’s order ship to?', 'privacy-account-access'],
  ])('%s -> %s first', (question, id) => {
    expect(retriever.search(question)[0]?.passage.id).toBe(id);
  });

  test('keeps at most topK passages, best first', () => {
    const hits = retriever.search('How long until I get my refund after you receive my return?', { topK: 2 });
    expect(hits).toHaveLength(2);
    expect(hits[0]!.score).toBeGreaterThanOrEqual(hits[1]!.score);
  });

  test('drops passages far below the best one', () => {
    const all = retriever.search('Can I exchange these boots for a bigger size?', { minRelativeScore: 0 });
    const kept = retriever.search('Can I exchange these boots for a bigger size?');
    expect(all.length).toBeGreaterThan(kept.length);
    expect(kept.map((h) => h.passage.id)).toEqual(['exchanges']);
  });

  test('finds nothing for a question with no known word', () => {
    expect(retriever.search('xylophone quizzical')).toEqual([]);
  });

  test('ranks the same way on every search', () => {
    const question = 'Is shipping free on a $42 order?';
    const first = retriever.search(question).map((h) => h.passage.id);
    expect(retriever.search(question).map((h) => h.passage.id)).toEqual(first);
  });
});

describe('Retriever ties', () => {
  test('break by passage id', () => {
    const passage = (id: string): Passage => ({
      id,
      title: 'Gift cards',
      topic: 'returns',
      text: 'Gift cards.',
    });
    const retriever = new Retriever(knowledgeBase([passage('b-cards'), passage('a-cards')]));
    expect(retriever.search('gift cards').map((h) => h.passage.id)).toEqual(['a-cards', 'b-cards']);
  });
});
