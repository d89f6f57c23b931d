import { z } from 'zod';
import { AllowlistSchema } from './schema/allowlist.js';
import { CaseFileSchema } from './schema/cases.js';
import { RubricSchema } from './schema/rubric.js';

/**
 * The JSON Schemas the package ships under `schemas/`, by file name, with the zod schema each comes from.
 *
 * @example
 * SCHEMA_FILES['rubric.schema.json'].schema // RubricSchema
 */
export const SCHEMA_FILES = {
  'rubric.schema.json': { schema: RubricSchema, title: 'vitest-qualify rubric.yaml' },
  'cases.schema.json': { schema: CaseFileSchema, title: 'vitest-qualify case file (eval/cases.yaml)' },
  'allowlist.schema.json': { schema: AllowlistSchema, title: 'vitest-qualify eval/allowlist.yaml' },
} as const;

/** A file name under `schemas/`. */
export type SchemaFileName = keyof typeof SCHEMA_FILES;

/**
 * The JSON Schema of one shipped file: the *input* side of the zod schema (what
 * a user may write; keys with defaults are optional), draft-07 for editors.
 *
 * @example
 * jsonSchemaOf('rubric.schema.json').properties.model_primary
 */
export function jsonSchemaOf(name: SchemaFileName): Record<string, unknown> {
  const { schema, title } = SCHEMA_FILES[name];
  const json = z.toJSONSchema(schema, { io: 'input', target: 'draft-7', unrepresentable: 'throw' });
  return { ...json, title };
}

/**
 * The text of every shipped schema file, as `npm run schemas` writes it.
 *
 * @example
 * for (const [name, text] of Object.entries(renderSchemaFiles())) await writeFile(`schemas/${name}`, text)
 */
export function renderSchemaFiles(): Record<SchemaFileName, string> {
  const out = {} as Record<SchemaFileName, string>;
  for (const name of Object.keys(SCHEMA_FILES) as SchemaFileName[]) {
    out[name] = `${JSON.stringify(jsonSchemaOf(name), null, 2)}\n`;
  }
  return out;
}
