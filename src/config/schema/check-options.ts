import { z } from 'zod';

const ignoreCase = z.boolean().optional().meta({ description: 'Compare ignoring case. Default false.' });
const flags = z
  .string()
  .regex(/^[imsu]*$/, { error: 'must use only the flags i, m, s, u' })
  .optional()
  .meta({ description: 'RegExp flags, e.g. "i". Only i, m, s and u.' });
const name = z.string().min(1).optional().meta({ description: 'A label for the scorecard.' });
const texts = (description: string) =>
  z
    .union([z.string().min(1), z.array(z.string().min(1)).min(1)], {
      error: 'must be a string or a list of strings',
    })
    .meta({ description });
const pattern = (description: string) =>
  z.string().meta({ description: `${description} A JavaScript regular expression.` });
const charCount = (description: string) => z.int().min(0).meta({ description });

/** An expected tool call: its name, or `{ name, arguments }` (the arguments it must include). */
const toolCall = z.union(
  [
    z.string().min(1),
    z.strictObject({
      name: z.string().min(1).meta({ description: 'The tool name.' }),
      arguments: z
        .record(z.string(), z.unknown())
        .optional()
        .meta({ description: 'Arguments the call must include (these keys, these values).' }),
    }),
  ],
  { error: 'must be a tool name or a map { name, arguments }' },
);

/** The JavaScript check: a module path, relative to the repository root, and its export. */
const javascriptPath = z
  .string()
  .regex(/\.[cm]?[jt]s$/, { error: 'must be a path to a .ts or .js module' })
  .meta({ description: 'Path of a .ts/.js module, relative to the repository root.' });

/**
 * One schema per check kind: the check key, the modifiers that belong to it, and `name`.
 * The keys of this table are the check keys a case may use; add a check here
 * (and its normalised shape in `check-normalize.ts`).
 *
 * @example
 * Object.keys(CHECK_OPTIONS.regex.shape) // ['regex', 'flags', 'name']
 */
export const CHECK_OPTIONS = {
  contains: z.strictObject({
    contains: texts('The output must contain this text (each of these texts).'),
    ignore_case: ignoreCase,
    name,
  }),
  not_contains: z.strictObject({
    not_contains: texts('The output must contain none of these texts.'),
    ignore_case: ignoreCase,
    name,
  }),
  regex: z.strictObject({ regex: pattern('The output must match.'), flags, name }),
  not_regex: z.strictObject({ not_regex: pattern('The output must not match.'), flags, name }),
  equals: z.strictObject({
    equals: z.string().meta({ description: 'The output must equal this text.' }),
    ignore_case: ignoreCase,
    trim: z.boolean().optional().meta({ description: 'Trim whitespace before comparing. Default true.' }),
    name,
  }),
  starts_with: z.strictObject({
    starts_with: z.string().min(1).meta({ description: 'The output must start with this text.' }),
    ignore_case: ignoreCase,
    name,
  }),
  max_chars: z.strictObject({ max_chars: charCount('The output has at most this many characters.'), name }),
  min_chars: z.strictObject({ min_chars: charCount('The output has at least this many characters.'), name }),
  json: z.strictObject({
    json: z.literal(true).meta({ description: 'The output parses as JSON.' }),
    name,
  }),
  json_schema: z.strictObject({
    json_schema: z
      .record(z.string(), z.unknown())
      .meta({ description: 'The output parses as JSON and matches this JSON Schema.' }),
    name,
  }),
  tool_called: z.strictObject({
    tool_called: toolCall.meta({ description: 'The agent called this tool.' }),
    name,
  }),
  tool_trajectory: z.strictObject({
    tool_trajectory: z
      .strictObject({
        calls: z
          .array(toolCall, { error: 'must be a list of tool names or maps { name, arguments }' })
          .meta({ description: 'The expected calls, in order.' }),
        mode: z
          .enum(['exact', 'in_order', 'subset'], { error: 'must be exact, in_order or subset' })
          .default('exact')
          .meta({
            description:
              'exact (default): these calls and no others, in this order; in_order: these in this order, others between allowed; subset: these in any order.',
          }),
      })
      .meta({
        description:
          'The agent called these tools (arguments matched as a subset after normalisation: keys sorted, strings trimmed).',
      }),
    name,
  }),
  javascript: z.strictObject({
    javascript: javascriptPath,
    export: z.string().min(1).optional().meta({ description: 'The export to call. Default "default".' }),
    name,
  }),
};

/** One check key: `contains`, `regex`, ... */
export type CheckKind = keyof typeof CHECK_OPTIONS;
/**
 * The check keys, in table order.
 *
 * @example
 * CHECK_KINDS.includes('regex') // true
 */
export const CHECK_KINDS = Object.keys(CHECK_OPTIONS) as CheckKind[];

/** A check entry as written, one of the `CHECK_OPTIONS` shapes. */
export type CheckInput = z.output<(typeof CHECK_OPTIONS)[CheckKind]>;
