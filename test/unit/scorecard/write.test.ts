import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import type { Scorecard } from '../../../src/scorecard/types.js';
import { scorecardJsonChunks, writeScorecard } from '../../../src/scorecard/write.js';
import { gateCard, oldCard } from './gate-card.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

const pretty = (card: unknown) => `${JSON.stringify(card, null, 2)}\n`;

test('the streamed JSON is exactly JSON.stringify(card, null, 2), newlines in strings and absent fields included', () => {
  const card = gateCard();
  // A message with a newline and quotes, an undefined field, and nested empty arrays and objects.
  card.cases[0]!.message = 'line one\nline "two"\t\u2028end';
  (card as unknown as Record<string, unknown>)['absent'] = undefined;
  (card.cases[1] as unknown as Record<string, unknown>)['nothing'] = undefined;
  (card.cases[1] as unknown as Record<string, unknown>)['empty'] = { list: [], map: {} };
  expect([...scorecardJsonChunks(card)].join('')).toBe(pretty(card));
  expect([...scorecardJsonChunks(oldCard())].join('')).toBe(pretty(oldCard()));
});

test('a scorecard with no cases, or only cases, streams the same text too', () => {
  const card = { ...gateCard(), cases: [] };
  expect([...scorecardJsonChunks(card)].join('')).toBe(pretty(card));
  const only = { cases: gateCard().cases } as unknown as Scorecard;
  expect([...scorecardJsonChunks(only)].join('')).toBe(pretty(only));
  expect([...scorecardJsonChunks({} as Scorecard)].join('')).toBe(pretty({}));
});

test('writeScorecard writes the JSON in pieces larger than a megabyte and leaves no temporary file', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'qualify-write-'));
  dirs.push(dir);
  const card = gateCard();
  const one = card.cases[0]!;
  // About 3 MB of JSON: more than one write.
  card.cases = Array.from({ length: 3_000 }, (_, i) => ({
    ...one,
    id: `case-${i}`,
    message: 'x'.repeat(800),
  }));
  const json = path.join(dir, 'out/scorecard.json');
  await writeScorecard(card, { json, markdown: path.join(dir, 'out/scorecard.md') });
  expect(await readFile(json, 'utf8')).toBe(pretty(card));
  expect((await readdir(path.join(dir, 'out'))).sort()).toEqual(['scorecard.json', 'scorecard.md']);
});
