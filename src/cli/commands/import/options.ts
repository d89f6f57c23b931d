import { UsageError } from '../../../errors.js';
import type { ParsedOptions } from '../../command.js';

/** `qualify import`'s arguments, checked. */
export interface ImportOptions {
  traces: string;
  /** Keep traces at most this old (milliseconds), when set. */
  sinceMs: number | undefined;
  sinceText: string | undefined;
  sample: number | undefined;
  seed: number;
  out: string;
  redact: boolean;
  maxPerFile: number;
  tags: string[];
  strict: boolean;
  rubric: string;
  json: boolean;
}

export const IMPORT_DEFAULTS = {
  out: 'eval/cases/imported',
  maxPerFile: 500,
  seed: 1,
  rubric: 'rubric.yaml',
};

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * A look-back window: a number and a unit, `s` `m` `h` `d` or `w`.
 *
 * @example
 * parseDuration('24h') // 86400000
 * parseDuration('90m') // 5400000
 */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([smhdw])$/i.exec(text.trim());
  const amount = match ? Number(match[1]) : Number.NaN;
  if (!match || !(amount > 0)) {
    throw new UsageError(
      `--since ${JSON.stringify(text)} is not a duration; write a number and s, m, h, d or w (24h, 7d, 90m)`,
    );
  }
  return amount * UNIT_MS[match[2]!.toLowerCase()]!;
}

/**
 * Check the positionals and options of `qualify import`; a `UsageError` names
 * the one that is wrong.
 *
 * @example
 * importOptions(['traces.jsonl'], { since: '24h', sample: '200' }).sinceMs // 86400000
 */
export function importOptions(positionals: readonly string[], options: ParsedOptions): ImportOptions {
  const traces = positionals[0];
  if (traces === undefined || traces === '') {
    throw new UsageError('name the traces file: qualify import <traces.jsonl> [--since 24h]');
  }
  if (positionals.length > 1) {
    throw new UsageError(
      `qualify import takes one traces file, got ${positionals.length}: ${positionals.join(' ')}`,
    );
  }
  const since = text(options, 'since');
  const sample = text(options, 'sample');
  const maxPerFile = text(options, 'max-per-file');
  const seed = text(options, 'seed');
  const tags = text(options, 'tags');
  return {
    traces,
    sinceMs: since === undefined ? undefined : parseDuration(since),
    sinceText: since,
    sample: sample === undefined ? undefined : integer('sample', sample, 1),
    seed: seed === undefined ? IMPORT_DEFAULTS.seed : integer('seed', seed, 0),
    out: text(options, 'out') ?? IMPORT_DEFAULTS.out,
    redact: options['redact'] === true,
    maxPerFile:
      maxPerFile === undefined ? IMPORT_DEFAULTS.maxPerFile : integer('max-per-file', maxPerFile, 1),
    tags:
      tags === undefined
        ? []
        : tags
            .split(',')
            .map((t) => t.trim())
            .filter((t) => t !== ''),
    strict: options['strict'] === true,
    rubric: text(options, 'rubric') ?? IMPORT_DEFAULTS.rubric,
    json: options['json'] === true,
  };
}

function text(options: ParsedOptions, name: string): string | undefined {
  const value = options[name];
  if (value === undefined || value === false) return undefined;
  if (Array.isArray(value)) return text({ [name]: value.at(-1) }, name);
  if (value === true) throw new UsageError(`--${name} needs a value`);
  return value;
}

function integer(name: string, value: string, min: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min) {
    throw new UsageError(`--${name} ${JSON.stringify(value)} must be a whole number of at least ${min}`);
  }
  return n;
}
