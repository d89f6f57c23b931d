import { describe, expect, test } from 'vitest';
import {
  CHANGELOGS,
  commitMessage,
  findCandidates,
  pullRequestText,
  type Candidate,
} from '../../../../src/cli/commands/watch/plan.js';
import type { ListedModel } from '../../../../src/providers/adapter.js';
import { mulberry32 } from '../../../fake-provider/prng.js';

const LISTED: ListedModel[] = [
  { id: 'claude-opus-4-7', createdAt: '2026-09-01T00:00:00Z' },
  { id: 'claude-opus-5', createdAt: '2026-12-01T00:00:00Z' },
  { id: 'claude-opus-4-5', createdAt: '2026-03-01T00:00:00Z' },
  { id: 'claude-sonnet-5', createdAt: '2026-12-02T00:00:00Z' },
  { id: 'claude-opus-5-1' },
  { id: 'claude-opus-4-8', createdAt: '2026-10-15T00:00:00Z' },
];

const base = {
  provider: 'anthropic',
  listed: LISTED,
  patterns: ['claude-opus-*'],
  current: ['anthropic:claude-opus-4-7'],
  seen: new Set<string>(),
};

describe('findCandidates', () => {
  test('matching, not current, not older than the primary; newest first, undated last', () => {
    const found = findCandidates(base);
    expect(found.candidates.map((c) => [c.model, c.branch, c.createdAt])).toEqual([
      ['anthropic:claude-opus-5', 'model/anthropic-claude-opus-5', '2026-12-01T00:00:00Z'],
      ['anthropic:claude-opus-4-8', 'model/anthropic-claude-opus-4-8', '2026-10-15T00:00:00Z'],
      ['anthropic:claude-opus-5-1', 'model/anthropic-claude-opus-5-1', undefined],
    ]);
    expect(found.skipped).toEqual([
      { model: 'anthropic:claude-opus-4-7', reason: 'current' },
      { model: 'anthropic:claude-opus-4-5', reason: 'older-than-primary' },
    ]);
  });

  test('the state file and the fallback exclude; a list of globs matches any, whole ids only', () => {
    const found = findCandidates({
      ...base,
      patterns: ['claude-sonnet-*', 'claude-opus-5'],
      current: ['anthropic:claude-opus-4-7', 'anthropic:claude-sonnet-5'],
      seen: new Set(['anthropic:claude-opus-5']),
    });
    expect(found.candidates).toEqual([]);
    expect(found.skipped).toEqual([
      { model: 'anthropic:claude-opus-5', reason: 'seen' },
      { model: 'anthropic:claude-sonnet-5', reason: 'current' },
    ]);
  });

  test('a primary of another provider (or not listed) dates nothing: every match is new', () => {
    const found = findCandidates({ ...base, current: ['openai:gpt-5'] });
    expect(found.candidates.map((c) => c.model)).toEqual([
      'anthropic:claude-opus-5',
      'anthropic:claude-opus-4-8',
      'anthropic:claude-opus-4-7',
      'anthropic:claude-opus-4-5',
      'anthropic:claude-opus-5-1',
    ]);
  });

  test('the order the provider lists in never changes the answer (seeded shuffles, duplicates)', () => {
    const expected = findCandidates(base).candidates;
    for (let seed = 1; seed <= 50; seed++) {
      const random = mulberry32(seed);
      const shuffled = [...LISTED, ...LISTED.slice(0, 2)]
        .map((m) => ({ m, k: random() }))
        .sort((a, b) => a.k - b.k)
        .map(({ m }) => m);
      expect(findCandidates({ ...base, listed: shuffled }).candidates, `seed ${seed}`).toEqual(expected);
    }
  });
});

const candidate = (createdAt: string | undefined): Candidate => ({
  model: 'anthropic:claude-opus-5',
  provider: 'anthropic',
  createdAt,
  branch: 'model/anthropic-claude-opus-5',
  pattern: 'claude-opus-*',
});

describe('commitMessage', () => {
  test('names the release date from the list and the changelog', () => {
    expect(
      commitMessage({
        candidate: candidate('2026-12-01T18:30:00Z'),
        previous: 'anthropic:claude-opus-4-7',
        today: '2026-12-03',
      }),
    ).toBe(
      [
        'Qualify anthropic:claude-opus-5 (released 2026-12-01)',
        '',
        'model_primary: anthropic:claude-opus-4-7 -> anthropic:claude-opus-5',
        'Release date: 2026-12-01 (from the anthropic models list)',
        'Changelog: https://docs.anthropic.com/en/release-notes/api',
        'Matched watch pattern: claude-opus-*',
        '',
        'Opened by `qualify watch`.',
        '',
      ].join('\n'),
    );
  });

  test("an undated model: today's date, and says so", () => {
    const message = commitMessage({ candidate: candidate(undefined), previous: 'x:y', today: '2026-12-03' });
    expect(message.split('\n').slice(0, 4)).toEqual([
      'Qualify anthropic:claude-opus-5 (released 2026-12-03)',
      '',
      'model_primary: x:y -> anthropic:claude-opus-5',
      'Release date: 2026-12-03 (today: the anthropic models list gives no date)',
    ]);
    expect(
      pullRequestText({ candidate: candidate(undefined), previous: 'x:y', today: '2026-12-03' }).body,
    ).toContain('- Released: 2026-12-03 (today: the models list gives no date)');
  });

  test('a changelog for every provider watch: takes', () => {
    expect(Object.keys(CHANGELOGS).sort()).toEqual(['anthropic', 'bedrock', 'openai', 'vertex']);
    expect(CHANGELOGS['bedrock']).toBe(
      'https://docs.aws.amazon.com/bedrock/latest/userguide/doc-history.html',
    );
    expect(CHANGELOGS['vertex']).toBe('https://cloud.google.com/vertex-ai/generative-ai/docs/release-notes');
    expect(CHANGELOGS['openai']).toBe('https://platform.openai.com/docs/changelog');
  });
});
