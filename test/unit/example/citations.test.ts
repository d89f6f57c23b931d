/**
 * Parsing bracketed citations out of a draft: forms, sentence attachment, and
 * what is not a citation.
 */
import { describe, expect, test } from 'vitest';
import { parseCitations, splitSentences, stripCitations } from '../../../agents/citations.js';

describe('parseCitations', () => {
  test('one citation per sentence, claim without the marker', () => {
    expect(
      parseCitations(
        'No: returns close after 30 days [returns-window]. Labels cost $6.95 [returns-shipping-cost].',
      ),
    ).toEqual([
      { id: 'returns-window', claim: 'No: returns close after 30 days.' },
      { id: 'returns-shipping-cost', claim: 'Labels cost $6.95.' },
    ]);
  });

  test('adjacent markers and comma lists cite the same claim', () => {
    expect(parseCitations('Gift refunds are store credit [returns-gifts][refunds-method].')).toEqual([
      { id: 'returns-gifts', claim: 'Gift refunds are store credit.' },
      { id: 'refunds-method', claim: 'Gift refunds are store credit.' },
    ]);
    expect(parseCitations('Both apply [a-one, b-two].')).toEqual([
      { id: 'a-one', claim: 'Both apply.' },
      { id: 'b-two', claim: 'Both apply.' },
    ]);
  });

  test('a marker after the full stop belongs to the sentence before it', () => {
    expect(parseCitations('Thirty days. [returns-window] Labels are free for exchanges.')).toEqual([
      { id: 'returns-window', claim: 'Thirty days.' },
    ]);
  });

  test('the same passage cited for two claims gives two citations; the same pair twice gives one', () => {
    const draft =
      'Unworn only [returns-condition]. Worn items go back [returns-condition]. Unworn only [returns-condition].';
    expect(parseCitations(draft)).toEqual([
      { id: 'returns-condition', claim: 'Unworn only.' },
      { id: 'returns-condition', claim: 'Worn items go back.' },
    ]);
  });

  test('links, numbers and capitalised words in brackets are not citations', () => {
    expect(parseCitations('See [the policy](https://example.test) or note [1] and [Note].')).toEqual([]);
  });

  test('a draft with no markers has no citations', () => {
    expect(parseCitations('Sure, we can do that right away.')).toEqual([]);
  });
});

describe('splitSentences', () => {
  test('splits after . ! ? and at line breaks', () => {
    expect(splitSentences('One. Two!\nThree? Four')).toEqual(['One.', 'Two!', 'Three?', 'Four']);
  });
});

describe('stripCitations', () => {
  test('removes markers and the space before punctuation', () => {
    expect(stripCitations('Returns close after 30 days [returns-window].')).toBe(
      'Returns close after 30 days.',
    );
  });
});
