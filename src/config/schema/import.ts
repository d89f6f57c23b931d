import { z } from 'zod';
import { criteriaList, type Criterion } from './criteria.js';

/** The criterion every imported case gets when rubric.yaml sets no `import.criteria`. */
export const DEFAULT_IMPORT_CRITERIA: Criterion[] = [
  { id: 'answers-request', text: 'Answers the user’s request correctly and helpfully', weight: 1 },
];

/**
 * The `import:` section of rubric.yaml: the template `qualify import` fills in
 * for every case it makes from production traces.
 *
 * @example
 * ImportTemplateSchema.parse({ tags: ['production'] })
 * // { criteria: DEFAULT_IMPORT_CRITERIA, tags: ['production'] }
 */
export const ImportTemplateSchema = z
  .strictObject({
    criteria: criteriaList('Criteria every imported case is scored on. Default: one, "answers-request".')
      .min(1)
      .default(DEFAULT_IMPORT_CRITERIA),
    tags: z
      .array(z.string().min(1))
      .default([])
      .meta({ description: 'Tags every imported case gets, besides the trace’s own.' }),
    subject: z
      .string()
      .min(1)
      .optional()
      .meta({ description: 'The subject of imported cases whose trace names none.' }),
  })
  .meta({ description: '`qualify import`: the template for cases made from production traces.' });
export type ImportTemplate = z.output<typeof ImportTemplateSchema>;

/** The keys this section adds to rubric.yaml (spread into RUBRIC_SHAPE). */
export const IMPORT_KEYS = { import: ImportTemplateSchema.optional() };
