import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { parseJsonDocument } from '../internal/json-error.js';
import { SCORECARD_SCHEMA, type BaselineSource } from './types.js';

/** The part of a baseline scorecard the verdict reads. Other fields pass through untouched. */
const baselineSchema = z.looseObject({
  schema: z.string(),
  model: z.string(),
  cases: z.array(z.looseObject({ id: z.string(), points: z.number().nullable() })),
});
export type Baseline = z.infer<typeof baselineSchema>;

export interface LoadedBaseline {
  baseline: Baseline | null;
  source: BaselineSource;
}

/**
 * The baseline as it was read: its text (`null` when there is none) and where it
 * came from; `label` names it in errors (`main:eval/baseline.json`). Reading it
 * (the working tree or `git show`) is the caller's; see `vitest/baseline-source.ts`.
 */
export interface BaselineText {
  text: string | null;
  source: BaselineSource;
  label: string;
}

/**
 * Parse and check the baseline that was read; no text is no baseline (every case is `new`).
 *
 * @example
 * fromBaselineText({ text, source: { kind: 'file', path: 'eval/baseline.json' }, label: 'eval/baseline.json' })
 */
export function fromBaselineText(read: BaselineText): LoadedBaseline {
  return { baseline: read.text === null ? null : parseBaseline(read.text, read.label), source: read.source };
}

/** Parse and check a baseline scorecard's text; `label` names it in errors. */
export function parseBaseline(text: string, label: string): Baseline {
  const data = parseJsonDocument(
    text,
    label,
    'the baseline',
    'restore it from git or re-create it with `qualify promote`',
  );
  const schema = (data as { schema?: unknown } | null)?.schema;
  if (schema !== SCORECARD_SCHEMA) {
    throw new ConfigError(
      { file: label },
      `the baseline has schema ${JSON.stringify(schema ?? null)}, this version reads ${SCORECARD_SCHEMA}: re-run the qualification of the current primary to regenerate it`,
    );
  }
  const parsed = baselineSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(
      { file: label, key: issue?.path.join('.') },
      `the baseline is not a scorecard: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`,
    );
  }
  return parsed.data;
}
