import { UsageError } from '../../errors.js';
import type { CacheMode } from '../types.js';

/** The values `QUALIFY_CACHE` accepts. */
export const CACHE_MODES: readonly CacheMode[] = ['auto', 'record', 'replay', 'off'];

/**
 * The cache mode from `QUALIFY_CACHE`: `auto` when unset or empty.
 *
 * @example
 * cacheModeFromEnv(process.env) // 'auto'
 * cacheModeFromEnv({ QUALIFY_CACHE: 'replay' }) // 'replay'
 */
export function cacheModeFromEnv(env: Record<string, string | undefined>): CacheMode {
  const value = env['QUALIFY_CACHE']?.trim() ?? '';
  if (value === '') return 'auto';
  if ((CACHE_MODES as readonly string[]).includes(value)) return value as CacheMode;
  throw new UsageError(`QUALIFY_CACHE=${value} is not a cache mode; use one of ${CACHE_MODES.join(', ')}`);
}
