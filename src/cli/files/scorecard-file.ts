import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { formatPath } from '../../internal/data-path.js';
import { ConfigError } from '../../errors.js';
import { parseJsonDocument } from '../../internal/json-error.js';
import { SCORECARD_SCHEMA } from '../../scorecard/types.js';

const nullableNumber = z.number().nullable();

/** The part of a scorecard the CLI reads (docs/architecture.md 2.7); other fields pass through. */
const ScorecardFileSchema = z.looseObject({
  schema: z.literal(SCORECARD_SCHEMA),
  verdict: z.enum(['pass', 'review', 'fail', 'error']),
  model: z.string().min(1),
  baseline_model: z.string().nullable(),
  source: z.looseObject({ mode: z.string() }).optional(),
  cases: z.array(
    z.looseObject({
      id: z.string(),
      subject: z.string(),
      status: z.string(),
      points: nullableNumber,
      baseline_points: nullableNumber,
      delta: nullableNumber,
      min_score: z.number(),
    }),
  ),
});
/** A scorecard as the CLI reads it: the fields it needs, checked, the rest passed through. */
export type ScorecardFile = z.output<typeof ScorecardFileSchema>;

/**
 * Read a scorecard JSON written by a qualification run. Its text is returned as
 * read (promote copies it to the baseline byte for byte). A missing file, bad
 * JSON (with line:col) or a file that is not a scorecard is a `ConfigError`.
 *
 * @example
 * const { card } = await readScorecardFile(io.cwd, 'eval/out/scorecard.json')
 * card.verdict // 'pass'
 */
export async function readScorecardFile(
  cwd: string,
  file: string,
): Promise<{ card: ScorecardFile; text: string }> {
  let text: string;
  try {
    text = await readFile(path.resolve(cwd, file), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(
      { file },
      code === 'ENOENT'
        ? 'scorecard not found: run the qualification first (`npm run eval`) or pass --scorecard <file>'
        : `cannot read the scorecard (${code ?? (error as Error).message}); check the path`,
    );
  }
  return { card: parseScorecardText(text, file), text };
}

/**
 * Parse and check a scorecard's text; `label` names it in errors.
 *
 * @example
 * parseScorecardText(text, 'eval/out/scorecard.json').model // 'anthropic:claude-opus-4-7'
 */
export function parseScorecardText(text: string, label: string): ScorecardFile {
  const data = parseJsonDocument(text, label, 'the scorecard', 're-run the qualification to write it again');
  const schema = (data as { schema?: unknown } | null)?.schema;
  if (schema !== SCORECARD_SCHEMA) {
    throw new ConfigError(
      { file: label },
      `is not a scorecard this version reads (schema ${JSON.stringify(schema ?? null)}, expected ${SCORECARD_SCHEMA}): ` +
        're-run the qualification with this version',
    );
  }
  const parsed = ScorecardFileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(
      { file: label, key: formatPath(issue.path) },
      `is not a complete scorecard: ${formatPath(issue.path)}: ${issue.message}; re-run the qualification to write it again`,
    );
  }
  return parsed.data;
}
