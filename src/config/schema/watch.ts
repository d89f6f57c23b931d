import { createRequire } from 'node:module';
import type picomatchType from 'picomatch';
import { z } from 'zod';

/**
 * picomatch, loaded when a rubric has `watch:` globs to check: the schema is on Vitest's main-process
 * import graph, which reaches only the config loaders (test/unit/worker/start-up.test.ts).
 */
let picomatch: typeof picomatchType | undefined;
const loadPicomatch = () =>
  (picomatch ??= createRequire(import.meta.url)('picomatch') as typeof picomatchType);

/**
 * Glob patterns of model ids, one or a list: each must compile with picomatch.
 *
 * @example
 * patterns.parse('claude-*-opus-*') // ['claude-*-opus-*']
 */
const patterns = z
  .union([z.string().min(1), z.array(z.string().min(1)).min(1)], {
    error: 'must be a glob of model ids, or a list of them, e.g. "claude-*-opus-*"',
  })
  .transform((value) => (typeof value === 'string' ? [value] : value))
  .superRefine((globs, ctx) => {
    for (const glob of globs) {
      try {
        loadPicomatch().makeRe(glob, { strictBrackets: true });
      } catch (error) {
        ctx.addIssue({
          code: 'custom',
          message: `${JSON.stringify(glob)} is not a glob picomatch reads (${(error as Error).message})`,
        });
      }
    }
  })
  .optional()
  .meta({ description: 'Glob (or list of globs) of model ids to watch, e.g. "claude-*-opus-*".' });

/**
 * The `watch:` section of rubric.yaml: per provider, the model ids whose release
 * opens a qualification PR (`qualify watch`). Absent: nothing is watched.
 *
 * @example
 * WatchSchema.parse({ anthropic: 'claude-*-opus-*', openai: ['gpt-5*'] })
 * // { anthropic: ['claude-*-opus-*'], openai: ['gpt-5*'] }
 */
export const WatchSchema = z
  .strictObject({
    openai: patterns,
    anthropic: patterns,
    azure: patterns,
    'openai-compatible': patterns,
    bedrock: patterns,
    vertex: patterns,
  })
  .meta({
    description:
      '`qualify watch`: per provider, globs of model ids whose new release opens a qualification PR. Absent: off.',
  });
export type WatchSettings = z.output<typeof WatchSchema>;

/** The keys this section adds to rubric.yaml (spread into RUBRIC_SHAPE). */
export const WATCH_KEYS = { watch: WatchSchema.optional() };
