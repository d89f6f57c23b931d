/**
 * The provider limits of one shard. A run with `vitest --shard=i/n` is n
 * processes calling the same providers, each with its own limiter: so each
 * takes its share of `rpm` and `max_in_flight` (floor of limit / n, at least
 * 1), and the shards together stay within the limits rubric.yaml gives, unless
 * `shard_rpm` / `shard_max_in_flight` say what each shard may use. Pure: the
 * plugin logs the lines, the worker builds its limiters from the settings.
 */
import type { ProviderSettings } from './types.js';

/** Vitest's `config.shard`: this process is shard `index` (1-based) of `count`. */
export interface Shard {
  index: number;
  count: number;
}

/**
 * A shard's share of a limit: `floor(limit / count)`, at least 1; the limit
 * itself when unsharded, `undefined` (unlimited) when unset.
 *
 * @example
 * shareOf(50, 4) // 12
 * shareOf(2, 4) // 1: the four shards together may have 4 requests in flight
 */
export function shareOf(limit: number | undefined, count: number): number | undefined {
  if (limit === undefined) return undefined;
  if (count <= 1) return limit;
  return Math.max(1, Math.floor(limit / count));
}

/**
 * The settings one shard's limiters are built from: `rpm` and `max_in_flight`
 * replaced by the shard's own (`shard_rpm` / `shard_max_in_flight` when set,
 * else its share). Unsharded, the settings as they are.
 *
 * @example
 * shardSettings({ rpm: 500, max_in_flight: 16 }, { index: 1, count: 4 }) // { rpm: 125, max_in_flight: 4 }
 */
export function shardSettings(settings: ProviderSettings, shard: Shard | undefined): ProviderSettings {
  if (!shard) return settings;
  return {
    ...settings,
    rpm: settings.shard_rpm ?? shareOf(settings.rpm, shard.count),
    max_in_flight: settings.shard_max_in_flight ?? shareOf(settings.max_in_flight, shard.count),
  };
}

/**
 * `shardSettings` for every provider of `providers:`.
 *
 * @example
 * shardProviders({ openai: { rpm: 500 } }, { index: 2, count: 4 }) // { openai: { rpm: 125, max_in_flight: undefined } }
 */
export function shardProviders(
  providers: Record<string, ProviderSettings>,
  shard: Shard | undefined,
): Record<string, ProviderSettings> {
  if (!shard) return providers;
  return Object.fromEntries(Object.entries(providers).map(([name, s]) => [name, shardSettings(s, shard)]));
}

/**
 * What a shard says at start: one line with the limits it uses per provider,
 * plus one line per limit smaller than the shard count (each shard still takes
 * 1, so together they exceed it). No lines unsharded.
 *
 * @example
 * shardLimitLines({ openai: { rpm: 500, max_in_flight: 16 } }, { index: 2, count: 4 })
 * // ['shard 2/4 uses its share of the provider limits: openai rpm 125 (500 / 4), max_in_flight 4 (16 / 4)']
 */
export function shardLimitLines(
  providers: Record<string, ProviderSettings>,
  shard: Shard | undefined,
): string[] {
  if (!shard) return [];
  const parts: string[] = [];
  const warnings: string[] = [];
  for (const [name, settings] of Object.entries(providers).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const limits: string[] = [];
    for (const [key, own] of [
      ['rpm', 'shard_rpm'],
      ['max_in_flight', 'shard_max_in_flight'],
    ] as const) {
      const whole = settings[key];
      const set = settings[own];
      if (set !== undefined) limits.push(`${key} ${set} (${own})`);
      else if (whole !== undefined) {
        limits.push(`${key} ${shareOf(whole, shard.count)} (${whole} / ${shard.count})`);
        if (whole < shard.count) {
          warnings.push(
            `providers.${name}.${key} is ${whole}, less than the ${shard.count} shards: each shard takes 1, so together ` +
              `they may use ${shard.count}; run at most ${Math.max(1, Math.floor(whole))} shards, or set ${own} to accept it`,
          );
        }
      }
    }
    if (limits.length > 0) parts.push(`${name} ${limits.join(', ')}`);
  }
  const head = `shard ${shard.index}/${shard.count}`;
  const line =
    parts.length > 0
      ? `${head} uses its share of the provider limits: ${parts.join('; ')}`
      : `${head}: no provider sets rpm or max_in_flight, so there is no limit to share`;
  return [line, ...warnings];
}
