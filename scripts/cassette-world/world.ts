/**
 * The scripted world the example's cassettes are written from: what each model
 * answers on each case, and what the judge, the faithfulness grader and the
 * question generator say about those answers. The data lives in
 * `drafter.yaml` and `verifier.yaml` next to this file, keyed by case id and by
 * model (short names below), so a reader sees each answer next to its scores.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/**
 * The models the world scripts, by the short name its files use: the current
 * primary and the candidate.
 *
 * @example
 * MODELS['opus-4-7'] // 'anthropic:claude-opus-4-7'
 */
export const MODELS = {
  'sonnet-4-6': 'anthropic:claude-sonnet-4-6',
  'opus-4-7': 'anthropic:claude-opus-4-7',
} as const;
/** A short model name, a key of `MODELS`. */
export type ModelName = keyof typeof MODELS;
/**
 * The short names, the current primary first (recorded first; its replay is the baseline).
 *
 * @example
 * MODEL_NAMES // ['sonnet-4-6', 'opus-4-7']
 */
export const MODEL_NAMES = Object.keys(MODELS) as ModelName[];

/** A criterion score: the integer, or the integer and the reason the judge gives. */
const Score = z.union([z.int().min(0).max(10), z.tuple([z.int().min(0).max(10), z.string().min(1)])]);
const Scores = z.record(z.string(), Score);

const Ticket = z.strictObject({
  category: z.enum(['returns', 'shipping', 'warranty', 'privacy', 'other']),
  summary: z.string().min(1),
  priority: z.enum(['normal', 'urgent']),
});

const DraftAnswer = z.strictObject({
  /** The reply; `{ticket}` stands for the id the ticket tool returned. */
  reply: z.string().min(1),
  /** The model first calls create_ticket with these arguments, then replies. */
  ticket: Ticket.optional(),
  scores: Scores,
  /** Phrases whose statements the faithfulness grader finds unsupported by the context. */
  unfaithful: z.array(z.string().min(1)).default([]),
  /** The question the relevancy generator reads back from the reply (default: the case's). */
  asked: z.string().min(1).optional(),
  /** The relevancy generator finds the reply noncommittal (evasive). */
  noncommittal: z.boolean().default(false),
});
export type DraftAnswer = z.infer<typeof DraftAnswer>;

const DraftEntry = z.strictObject({
  case: z.string().min(1),
  'sonnet-4-6': DraftAnswer,
  'opus-4-7': DraftAnswer,
});
export type DraftEntry = z.infer<typeof DraftEntry>;

const VerifyAnswer = z.strictObject({
  /** One `[supported, reason]` per citation the verifier asks about, in order. */
  checks: z.array(z.tuple([z.boolean(), z.string().min(1)])),
  scores: Scores,
});
export type VerifyAnswer = z.infer<typeof VerifyAnswer>;

const VerifyEntry = z.strictObject({
  case: z.string().min(1),
  'sonnet-4-6': VerifyAnswer,
  /** `same`: the newer model answers exactly as the current one. */
  'opus-4-7': z.union([VerifyAnswer, z.literal('same')]),
});
export type VerifyEntry = z.infer<typeof VerifyEntry>;

/** The world as loaded. */
export interface World {
  drafter: DraftEntry[];
  verifier: VerifyEntry[];
}

/**
 * The score and reason of one criterion (the reason defaults to a plain statement).
 *
 * @example
 * scoreOf([7, 'Skips the fee.'], 'States the fee') // { score: 7, reason: 'Skips the fee.' }
 */
export function scoreOf(value: z.infer<typeof Score>, criterion: string): { score: number; reason: string } {
  if (Array.isArray(value)) return { score: value[0], reason: value[1] };
  const verdict = value >= 9 ? 'Meets it' : value >= 6 ? 'Partly meets it' : 'Does not meet it';
  return { score: value, reason: `${verdict}: ${criterion.replace(/\.$/, '')}.` };
}

/**
 * The verifier answer of a model (`same` resolved to the current primary's).
 *
 * @example
 * verifyAnswer(entry, 'opus-4-7').checks
 */
export function verifyAnswer(entry: VerifyEntry, model: ModelName): VerifyAnswer {
  const answer = entry[model];
  return answer === 'same' ? entry['sonnet-4-6'] : answer;
}

const here = path.dirname(fileURLToPath(import.meta.url));

async function readList<S extends z.ZodType>(file: string, entry: S): Promise<z.output<S>[]> {
  const parsed = z.array(entry).safeParse(parseYaml(await readFile(file, 'utf8')));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new Error(`${file}: ${issue?.path.join('.')}: ${issue?.message}; fix the world file`);
}

/**
 * Read `drafter.yaml` and `verifier.yaml`.
 *
 * @example
 * const world = await loadWorld()
 * world.drafter.length // 35
 */
export async function loadWorld(dir: string = here): Promise<World> {
  return {
    drafter: await readList(path.join(dir, 'drafter.yaml'), DraftEntry),
    verifier: await readList(path.join(dir, 'verifier.yaml'), VerifyEntry),
  };
}
