import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { RECORDED_HEADER, entryLines, makeEntry } from '../../../src/providers/cache/cassette.js';
import { keyedRequest } from '../../../src/providers/cache/key.js';
import { cassetteCompactor } from '../../../src/vitest/compact-cassettes.js';
import type { CacheMode } from '../../../src/providers/types.js';

const MODEL = 'openai:gpt-5';

function entry(question: string) {
  const request = keyedRequest({ model: MODEL, messages: [{ role: 'user', content: question }] });
  const stored = {
    choices: [{ finishReason: 'stop' as const, text: question.toUpperCase(), toolCalls: [] }],
    model: 'gpt-5',
    usage: { inputTokens: 1, outputTokens: 1 },
  };
  return makeEntry('chat', MODEL, request, stored, new Date('2026-12-01T00:00:00Z'));
}

let dir: string;
let file: string;
let unsorted: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'qualify-compactor-'));
  file = join(dir, 'openai', 'gpt-5.jsonl');
  const [low, high] = [entry('a?'), entry('b?')].sort((x, y) => (x.key < y.key ? -1 : 1));
  unsorted = `${JSON.stringify(RECORDED_HEADER)}\n${entryLines([high!])}${entryLines([low!])}`;
  await mkdir(join(dir, 'openai'), { recursive: true });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function endRun(mode: CacheMode, warnings: string[] = []): Promise<string> {
  const reporter = cassetteCompactor(dir, mode, (m) => warnings.push(m));
  await reporter.onTestRunStart?.([]);
  await writeFile(file, unsorted);
  await reporter.onTestRunEnd?.([], [], 'passed');
  return readFile(file, 'utf8');
}

describe('cassetteCompactor', () => {
  test.each(['auto', 'record'] as const)(
    'a run in %s mode compacts what it wrote when it ends',
    async (mode) => {
      const text = await endRun(mode);
      expect(text).not.toBe(unsorted);
      const keys = text
        .split('\n')
        .slice(1, -1)
        .map((line) => (JSON.parse(line) as { key: string }).key);
      expect(keys).toEqual([entry('a?').key, entry('b?').key].sort());
    },
  );

  test.each(['replay', 'off'] as const)(
    'a run in %s mode writes nothing, so it compacts nothing',
    async (mode) => {
      expect(await endRun(mode)).toBe(unsorted);
    },
  );

  test('a cassette that does not parse is a warning, not a failed run, and is left as it is', async () => {
    const warnings: string[] = [];
    unsorted = `${JSON.stringify(RECORDED_HEADER)}\nnot json\n`;
    expect(await endRun('auto', warnings)).toBe(unsorted);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^could not compact the cassettes under .*qualify-compactor-.* \(.*gpt-5\.jsonl:2: not valid JSON; delete the line or re-record with QUALIFY_CACHE=record\); they stay as appended, which reads the same$/,
    );
  });
});
