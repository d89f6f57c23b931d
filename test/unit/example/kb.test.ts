/**
 * The knowledge base: the passage file format, its errors, and the shipped passages.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { SupportAgentError } from '../../../agents/errors.js';
import { formatPassage, loadKnowledgeBase, parsePassage, PASSAGE_ID } from '../../../agents/kb.js';

const file = (front: string, body = 'Text of the policy.') => `---\n${front}\n---\n${body}\n`;

describe('parsePassage', () => {
  test('reads the front matter and joins the text into one line', () => {
    expect(
      parsePassage(file('id: a-b\ntitle: A B\ntopic: returns', 'Line one.\nLine two.'), 'a-b.md'),
    ).toEqual({
      id: 'a-b',
      title: 'A B',
      topic: 'returns',
      text: 'Line one. Line two.',
    });
  });

  test.each([
    [
      'no front matter',
      'Just text.',
      'a.md',
      'a.md: no front matter; start the file with ---, id, title, topic, ---',
    ],
    [
      'an unknown topic',
      file('id: a\ntitle: A\ntopic: billing'),
      'a.md',
      'a.md: front matter topic: Invalid option: expected one of "returns"|"shipping"|"warranty"|"privacy"|"support"; it needs id, title and topic',
    ],
    [
      'an id that is not the file name',
      file('id: b\ntitle: B\ntopic: returns'),
      'a.md',
      'a.md: id b differs from the file name; rename the file or the id to a',
    ],
    [
      'no text',
      file('id: a\ntitle: A\ntopic: returns', ''),
      'a.md',
      'a.md: the passage has no text; write the policy under the front matter',
    ],
  ])('refuses %s', (_what, source, name, message) => {
    expect(() => parsePassage(source, name)).toThrow(new SupportAgentError('E_KB_PASSAGE', message));
  });
});

describe('loadKnowledgeBase', () => {
  test('the shipped knowledge base: 27 passages over five topics, ids valid and unique', async () => {
    const kb = await loadKnowledgeBase();
    const ids = kb.passages.map((p) => p.id);
    expect(ids).toHaveLength(27);
    expect(new Set(ids).size).toBe(27);
    expect(ids.every((id) => PASSAGE_ID.test(id))).toBe(true);
    expect(new Set(kb.passages.map((p) => p.topic))).toEqual(
      new Set(['returns', 'shipping', 'warranty', 'privacy', 'support']),
    );
    expect(kb.get('returns-window')?.text).toMatch(/^Most items can be returned within 30 days of delivery/);
  });

  test('an empty folder is an error that says what to add', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'kb-'));
    try {
      await writeFile(path.join(dir, 'notes.txt'), 'not a passage');
      await expect(loadKnowledgeBase(dir)).rejects.toThrow(
        new SupportAgentError('E_KB_EMPTY', `${dir} has no passages: add one markdown file per policy`),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

test('formatPassage puts id, title and text on one line', () => {
  expect(formatPassage({ id: 'a', title: 'A', topic: 'returns', text: 'Text.' })).toBe('[a] A: Text.');
});
