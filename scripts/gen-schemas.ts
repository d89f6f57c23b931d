/**
 * Write the JSON Schemas of rubric.yaml, case files and the allowlist to
 * `schemas/`, from the zod schemas in `src/config/schema/`. Run with
 * `npm run schemas` after changing a schema; a unit test fails when they drift.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { renderSchemaFiles } from '../src/config/schema-files.js';

const dir = fileURLToPath(new URL('../schemas/', import.meta.url));
await mkdir(dir, { recursive: true });
for (const [name, text] of Object.entries(renderSchemaFiles())) {
  await writeFile(`${dir}${name}`, text);
  console.log(`wrote schemas/${name}`);
}
