import { describe, expect, test } from 'vitest';
import {
  shardLimitLines,
  shardProviders,
  shardSettings,
  shareOf,
} from '../../../src/providers/shard-limits.js';

describe('shareOf', () => {
  test.each([
    [50, 4, 12],
    [500, 4, 125],
    [16, 4, 4],
    [17, 4, 4],
    [3, 4, 1],
    [0.5, 2, 1],
    [50, 1, 50],
    [7.5, 1, 7.5],
  ])('%s over %s shards is %s each', (limit, count, share) => {
    expect(shareOf(limit, count)).toBe(share);
  });

  test('an unset limit stays unlimited', () => {
    expect(shareOf(undefined, 4)).toBeUndefined();
  });
});

describe('shardSettings', () => {
  test('unsharded, the settings are as written, shard_* ignored', () => {
    const settings = { rpm: 500, max_in_flight: 16, shard_rpm: 200, timeout_s: 30 };
    expect(shardSettings(settings, undefined)).toBe(settings);
  });

  test('a shard takes floor(limit / count) of each limit and keeps the other settings', () => {
    expect(shardSettings({ rpm: 500, max_in_flight: 16, timeout_s: 30 }, { index: 3, count: 4 })).toEqual({
      rpm: 125,
      max_in_flight: 4,
      timeout_s: 30,
    });
  });

  test('shard_rpm and shard_max_in_flight replace the share, each on its own', () => {
    expect(shardSettings({ rpm: 500, max_in_flight: 16, shard_rpm: 300 }, { index: 1, count: 4 })).toEqual({
      rpm: 300,
      max_in_flight: 4,
      shard_rpm: 300,
    });
    expect(shardSettings({ shard_max_in_flight: 3 }, { index: 1, count: 2 })).toEqual({
      rpm: undefined,
      max_in_flight: 3,
      shard_max_in_flight: 3,
    });
  });

  test('shardProviders applies it per provider', () => {
    expect(
      shardProviders({ openai: { rpm: 100 }, anthropic: { max_in_flight: 8 } }, { index: 2, count: 2 }),
    ).toEqual({
      openai: { rpm: 50, max_in_flight: undefined },
      anthropic: { rpm: undefined, max_in_flight: 4 },
    });
  });
});

describe('shardLimitLines', () => {
  test('nothing unsharded', () => {
    expect(shardLimitLines({ openai: { rpm: 500 } }, undefined)).toEqual([]);
  });

  test('one line with each provider’s limits, sorted by provider, and how each was reached', () => {
    expect(
      shardLimitLines(
        {
          openai: { rpm: 500, max_in_flight: 16 },
          anthropic: { rpm: 50, shard_max_in_flight: 8 },
          azure: {},
        },
        { index: 2, count: 4 },
      ),
    ).toEqual([
      'shard 2/4 uses its share of the provider limits: anthropic rpm 12 (50 / 4), max_in_flight 8 (shard_max_in_flight); openai rpm 125 (500 / 4), max_in_flight 4 (16 / 4)',
    ]);
  });

  test('a limit below the shard count is a warning naming the key, what happens and the fix', () => {
    expect(shardLimitLines({ openai: { rpm: 60, max_in_flight: 2 } }, { index: 1, count: 4 })).toEqual([
      'shard 1/4 uses its share of the provider limits: openai rpm 15 (60 / 4), max_in_flight 1 (2 / 4)',
      'providers.openai.max_in_flight is 2, less than the 4 shards: each shard takes 1, so together they may use 4; run at most 2 shards, or set shard_max_in_flight to accept it',
    ]);
  });

  test('no limits at all is said too', () => {
    expect(shardLimitLines({ openai: { timeout_s: 30 } }, { index: 1, count: 2 })).toEqual([
      'shard 1/2: no provider sets rpm or max_in_flight, so there is no limit to share',
    ]);
  });
});
