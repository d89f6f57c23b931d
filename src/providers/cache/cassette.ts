import { z } from 'zod';
import { ConfigError } from '../../errors.js';
import { cacheKey } from './key.js';
import type { KeyedRequest } from './key.js';
import type { ChatChoice } from '../types.js';

/**
 * The cassette file format: JSON Lines a human can read and diff. Line 1 is a
 * header; every further line is one recorded request and its answer. A run
 * appends what it records, batch by batch, and compacts the file when it ends:
 * then every key appears once and the lines are sorted by key. When a key
 * appears twice (appended, not compacted yet), the later line wins. This
 * module is pure: text in, text out.
 */

export const CASSETTE_FORMAT = 'vitest-qualify/cassette@1';

// Kept here for the modules that import the format's helpers from this file.
export { cassettePath, makeEntry } from './entry.js';

const headerSchema = z.object({
  cassette: z.literal(CASSETTE_FORMAT),
  source: z.enum(['recorded', 'hand-written']),
  note: z.string().optional(),
});
export type CassetteHeader = z.infer<typeof headerSchema>;

const tokensSchema = z.object({
  inputTokens: z.number().int().min(0),
  outputTokens: z.number().int().min(0),
  /** Kept when above 0 (so a cassette of a model that does not reason reads as before). */
  reasoningTokens: z.number().int().min(0).optional(),
});
const toolCallSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  arguments: z.unknown(),
  rawArguments: z.string(),
});
const choiceSchema = z.looseObject({
  text: z.string(),
  toolCalls: z.array(toolCallSchema).default([]),
  finishReason: z
    .enum(['stop', 'length', 'tool_calls', 'content_filter', 'refusal', 'other'])
    .default('stop'),
  parsed: z.unknown().optional(),
  refusal: z.string().optional(),
});
const chatResponseSchema = z.object({
  model: z.string(),
  choices: z.array(choiceSchema).min(1),
  usage: tokensSchema.default({ inputTokens: 0, outputTokens: 0 }),
  requestId: z.string().optional(),
});
const embedResponseSchema = z.object({
  model: z.string(),
  vectors: z.array(z.array(z.number())),
  usage: tokensSchema.default({ inputTokens: 0, outputTokens: 0 }),
});
const entrySchema = z.discriminatedUnion('kind', [
  z.object({
    key: z.string(),
    kind: z.literal('chat'),
    model: z.string(),
    request: z.record(z.string(), z.unknown()),
    response: chatResponseSchema,
    recorded_at: z.string(),
  }),
  z.object({
    key: z.string(),
    kind: z.literal('embed'),
    model: z.string(),
    request: z.record(z.string(), z.unknown()),
    response: embedResponseSchema,
    recorded_at: z.string(),
  }),
]);

/** A chat answer as stored: the neutral response without cost, latency or retries. */
export type StoredChatResponse = Omit<z.infer<typeof chatResponseSchema>, 'choices'> & {
  choices: ChatChoice[];
};
export type StoredEmbedResponse = z.infer<typeof embedResponseSchema>;
export type CassetteEntry =
  | {
      key: string;
      kind: 'chat';
      model: string;
      request: KeyedRequest;
      response: StoredChatResponse;
      recorded_at: string;
    }
  | {
      key: string;
      kind: 'embed';
      model: string;
      request: KeyedRequest;
      response: StoredEmbedResponse;
      recorded_at: string;
    };

/** A cassette in memory. `header` is undefined for a file that does not exist yet. */
export interface Cassette {
  header: CassetteHeader | undefined;
  entries: Map<string, CassetteEntry>;
}

/** The header the cache writes on a cassette it creates. */
export const RECORDED_HEADER: CassetteHeader = {
  cassette: CASSETTE_FORMAT,
  source: 'recorded',
  note: 'Recorded from the provider by vitest-qualify. Re-record with QUALIFY_CACHE=record.',
};

/**
 * Parse a cassette's text. Entries are indexed by the key of their request (a
 * hand-edited request need not carry a fresh key). A bad line is a
 * `ConfigError` naming `file:line`; a last line without its newline that does
 * not parse (a write cut short) is skipped with a warning.
 *
 * @example
 * const { header, entries } = parseCassette(text, 'eval/cassettes/openai/gpt-5.jsonl', console.warn);
 */
export function parseCassette(text: string, file: string, warn: (message: string) => void): Cassette {
  const lines = text.split('\n');
  const endsCleanly = text.endsWith('\n');
  const entries = new Map<string, CassetteEntry>();
  let header: CassetteHeader | undefined;

  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index] as string;
    if (line.trim() === '') continue;
    const lineNumber = index + 1;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      if (index === lines.length - 1 && !endsCleanly) {
        warn(`${file}:${lineNumber}: ignoring an unfinished last line (a write was cut short)`);
        continue;
      }
      throw lineError(file, lineNumber, 'not valid JSON');
    }
    if (header === undefined) {
      const parsed = headerSchema.safeParse(json);
      if (!parsed.success) {
        throw new ConfigError(
          { file, line: lineNumber },
          `the first line must be the header {"cassette":"${CASSETTE_FORMAT}","source":"recorded"|"hand-written","note":"..."}; fix it or delete the file and re-record`,
          { code: 'E_CASSETTE' },
        );
      }
      header = parsed.data;
      continue;
    }
    const parsed = entrySchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
      throw lineError(file, lineNumber, `not a cassette entry (${where}${issue?.message ?? 'invalid'})`);
    }
    const entry = parsed.data as CassetteEntry;
    const key = cacheKey(entry.kind, entry.model, entry.request);
    entries.set(key, { ...entry, key });
  }
  return { header, entries };
}

function lineError(file: string, line: number, problem: string): ConfigError {
  return new ConfigError(
    { file, line },
    `${problem}; delete the line or re-record with QUALIFY_CACHE=record`,
    {
      code: 'E_CASSETTE',
    },
  );
}

/**
 * The text of a cassette: the header, then one line per entry sorted by key,
 * members in a fixed order, each line ending with a newline.
 *
 * @example
 * await writeFile(file, serializeCassette(RECORDED_HEADER, entries.values()));
 */
export function serializeCassette(header: CassetteHeader, entries: Iterable<CassetteEntry>): string {
  return `${JSON.stringify(header)}\n${entryLines(entries)}`;
}

/**
 * The lines of some entries as a cassette holds them, sorted by key, each
 * ending with a newline: what a write appends to a cassette.
 *
 * @example
 * await appendFile(file, entryLines(batch.values()));
 */
export function entryLines(entries: Iterable<CassetteEntry>): string {
  const sorted = [...entries].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  let text = '';
  for (const entry of sorted) {
    text += `${JSON.stringify({
      key: entry.key,
      kind: entry.kind,
      model: entry.model,
      request: entry.request,
      response: entry.response,
      recorded_at: entry.recorded_at,
    })}\n`;
  }
  return text;
}
