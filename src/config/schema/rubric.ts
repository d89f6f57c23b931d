import { z } from 'zod';
import { GATE_DEFAULTS } from '../../scorecard/verdict.js';
import { modelString, positiveInt, stringList } from './common.js';
import { criteriaList } from './criteria.js';
import { IMPORT_KEYS } from './import.js';
import { INTERFACE_KEYS } from './interfaces.js';
import { PricesSchema, ProvidersSchema } from './providers.js';
import { mergeRelativeGates, RelativeGatesSchema, type RelativeGateSettings } from './relative-gates.js';
import { SubjectsSchema } from './subjects.js';
import { WATCH_KEYS } from './watch.js';
import { DEFAULT_THRESHOLDS, mergeThresholds, ThresholdsSchema, type Thresholds } from './thresholds.js';

const path = (description: string, fallback: string) =>
  z
    .string()
    .min(1)
    .default(fallback)
    .meta({ description: `${description} Default ${fallback}.` });

/** The models: the only keys a qualification PR changes are model_primary and model_fallback. */
const MODEL_KEYS = {
  model_primary: modelString(
    'The model the agent runs on, provider:model, e.g. anthropic:claude-sonnet-4-6.',
  ),
  model_fallback: modelString('The fallback model, provider:model.').optional(),
  judge: modelString('The judge model; pinned, never changed by a qualification PR.'),
  embeddings: modelString(
    'Embedding model for answer_relevancy; pinned. Default openai:text-embedding-3-small.',
  ).default('openai:text-embedding-3-small'),
};

export { GATE_DEFAULTS };

/** How cases are scored and gated. */
const SCORING_KEYS = {
  judge_samples: positiveInt('Judge samples per case; the criterion score is their mean. Default 3.').default(
    3,
  ),
  judge_temperature: z
    .number()
    .min(0)
    .max(2)
    .optional()
    .meta({
      description:
        "Temperature of the rubric judge's requests, 0-2. Default: 0 for one sample, 1 for several. " +
        'Not sent to a judge that takes none (Anthropic, OpenAI reasoning models).',
    }),
  drift_probe: z.int().min(0).default(3).meta({
    description:
      'Baseline cases whose stored outputs are judged again every run, to catch a judge that drifted (docs/scoring.md "When the judge changes"); 0 turns it off. Default 3.',
  }),
  system_prompt: z
    .string()
    .optional()
    .meta({ description: 'Prompt mode: each case input goes to model_primary with this system prompt.' }),
  criteria: criteriaList('Criteria the judge scores on every case, besides the case criteria.').default([]),
  thresholds: ThresholdsSchema.meta({ description: 'The gates.' }),
  relative_gates: RelativeGatesSchema.optional(),
  tool_changes: z
    .strictObject({
      on_change: z.enum(['review', 'ignore'], { error: 'must be review or ignore' }).default('review').meta({
        description:
          "review (default): a case whose tool calls changed from the baseline's makes a passing run review; ignore: recorded in the scorecard JSON only.",
      }),
    })
    .prefault({})
    .meta({
      description:
        'Tool-use changes against the baseline (docs/scoring.md "Tool-use changes"): calls missing, extra, with other arguments, in another order.',
    }),
  repeats: positiveInt('Agent trials per case; the case score is their mean. Default 1.').default(1),
  relevancy: z
    .strictObject({
      strictness: z
        .int()
        .min(1)
        .max(10)
        .default(3)
        .meta({ description: 'Questions generated per answer. Default 3.' }),
      noncommittal_gate: z
        .enum(['all', 'any'])
        .default('all')
        .meta({ description: 'Score 0 when all (default) or any generated questions are noncommittal.' }),
    })
    .prefault({})
    .meta({ description: 'answer_relevancy settings (ragas).' }),
  gate: z
    .strictObject({
      level: z
        .number()
        .gt(0)
        .lt(0.5)
        .default(GATE_DEFAULTS.level)
        .meta({
          description: `Family-wise level of the drop test across the run's cases (Holm). Default ${GATE_DEFAULTS.level}.`,
        }),
      screening_level: z
        .number()
        .gt(0)
        .lt(1)
        .default(GATE_DEFAULTS.screening_level)
        .meta({
          description: `One-sided level at which a first-pass drop is screened in for confirmation. Default ${GATE_DEFAULTS.screening_level}.`,
        }),
      rounds: positiveInt(
        `Confirmation rounds (a candidate and a baseline-model trial each) before the early look. Default ${GATE_DEFAULTS.rounds}.`,
      ).default(GATE_DEFAULTS.rounds),
      max_rounds: positiveInt(
        `Confirmation rounds at most, when the early look does not clear the drop. Default ${GATE_DEFAULTS.max_rounds}.`,
      ).default(GATE_DEFAULTS.max_rounds),
    })
    .prefault({})
    .meta({
      description:
        'How a drop is confirmed before it fails the run (docs/scoring.md "How the gate decides").',
    }),
};

/** What is under test. `agent` and `cases` describe the one default subject when `subjects` is absent. */
const SUBJECT_KEYS = {
  agent: z
    .string()
    .min(1)
    .optional()
    .meta({ description: 'Path of the agent module (one subject, "agent").' }),
  cases: stringList('Case files of the one subject, paths or globs. Default eval/cases.yaml.').optional(),
  subjects: SubjectsSchema.optional(),
};

/** The model-client layer. */
const CLIENT_KEYS = {
  providers: ProvidersSchema.prefault({}),
  prices: PricesSchema.prefault({}),
  cache: z
    .strictObject({ dir: path('Folder of recorded responses (cassettes).', 'eval/cassettes') })
    .prefault({})
    .meta({ description: 'The response cache.' }),
  case_timeout_s: z
    .number()
    .gt(0)
    .default(300)
    .meta({ description: 'Timeout of one case, in seconds. Default 300.' }),
  max_concurrency: positiveInt('Cases run at once. Default 32.').default(32),
  second_pass: z
    .strictObject({
      enabled: z
        .boolean()
        .default(true)
        .meta({ description: 'Run a case that errored transiently once more. Default true.' }),
      cool_down_s: z
        .number()
        .min(0)
        .default(30)
        .meta({ description: 'Seconds to wait before the second pass. Default 30.' }),
    })
    .prefault({})
    .meta({
      description:
        'A case that errored on a provider fault, a judge reply or its timeout runs once more, after the rest of its group and a cool-down (docs/guarantees.md).',
    }),
};

/** Files read and written. */
const FILE_KEYS = {
  baseline: path('The baseline scorecard.', 'eval/baseline.json'),
  allowlist: path('The allowlist of tolerated regressions.', 'eval/allowlist.yaml'),
  scorecard: z
    .strictObject({
      json: path('The scorecard JSON.', 'eval/out/scorecard.json'),
      markdown: path('The scorecard markdown.', 'eval/out/scorecard.md'),
    })
    .prefault({})
    .meta({ description: 'Where the scorecard is written.' }),
};

/**
 * Every top-level key of rubric.yaml. To add a section (`interfaces:`, `import:`),
 * add its keys here; `resolveRubric` passes keys it does not resolve through.
 *
 * @example
 * Object.keys(RUBRIC_SHAPE).includes('thresholds') // true
 */
export const RUBRIC_SHAPE = {
  ...MODEL_KEYS,
  ...SCORING_KEYS,
  ...SUBJECT_KEYS,
  ...CLIENT_KEYS,
  ...FILE_KEYS,
  ...IMPORT_KEYS,
  ...INTERFACE_KEYS,
  ...WATCH_KEYS,
};

const RubricFields = z.strictObject(RUBRIC_SHAPE).superRefine((rubric, ctx) => {
  if (rubric.subjects === undefined) return;
  for (const key of ['agent', 'cases'] as const) {
    if (rubric[key] !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [key],
        params: { at: 'key' },
        message: 'applies only when subjects is absent; move it under subjects.<name>',
      });
    }
  }
});

/**
 * A subject after defaults: the rubric's thresholds and repeats merged in.
 *
 * @example
 * rubric.subjects.verifier.thresholds.rubric_min_score // 0.9
 */
export interface RubricSubject {
  entry?: string | undefined;
  cases: string[];
  thresholds: Thresholds;
  repeats: number;
  /** The rubric's `relative_gates` with the subject's own merged in; absent when neither sets any. */
  relative_gates?: RelativeGateSettings | undefined;
}

/**
 * rubric.yaml after defaults: thresholds resolved, `subjects` always present.
 *
 * @example
 * for (const [name, subject] of Object.entries(rubric.subjects)) console.log(name, subject.cases)
 */
export type Rubric = Omit<z.output<typeof RubricFields>, 'agent' | 'cases' | 'subjects' | 'thresholds'> & {
  thresholds: Thresholds;
  subjects: Record<string, RubricSubject>;
};

/**
 * The subject name used when rubric.yaml has no `subjects:`.
 *
 * @example
 * rubric.subjects[DEFAULT_SUBJECT]
 */
export const DEFAULT_SUBJECT = 'agent';

function resolveRubric(fields: z.output<typeof RubricFields>): Rubric {
  const { agent, cases, subjects, thresholds: written, ...rest } = fields;
  const thresholds = mergeThresholds(DEFAULT_THRESHOLDS, written);
  const resolved: Record<string, RubricSubject> = {};
  if (subjects === undefined) {
    resolved[DEFAULT_SUBJECT] = {
      entry: agent,
      cases: cases ?? ['eval/cases.yaml'],
      thresholds,
      repeats: rest.repeats,
      ...(rest.relative_gates ? { relative_gates: rest.relative_gates } : {}),
    };
  } else {
    for (const [name, subject] of Object.entries(subjects)) {
      resolved[name] = {
        entry: subject.entry,
        cases: subject.cases,
        thresholds: mergeThresholds(thresholds, subject.thresholds),
        repeats: subject.repeats ?? rest.repeats,
      };
      const relative = mergeRelativeGates(rest.relative_gates, subject.relative_gates);
      if (relative) resolved[name].relative_gates = relative;
    }
  }
  return { ...rest, thresholds, subjects: resolved };
}

/**
 * rubric.yaml (docs/architecture.md 2.2), parsed to a `Rubric` with every default applied.
 *
 * @example
 * const rubric = parseWithSchema(RubricSchema, yaml.data, yaml)
 * rubric.thresholds.rubric_min_score // 0.82 unless set
 */
export const RubricSchema = RubricFields.transform(resolveRubric);
