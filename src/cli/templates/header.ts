import path from 'node:path';

/** The JSON Schemas vitest-qualify ships, by the file they describe. */
export type SchemaName = 'rubric' | 'cases' | 'allowlist';

/**
 * The `yaml-language-server` line that gives editors completion for a file,
 * with the schema path relative to that file (the repository root holds `node_modules`).
 *
 * @example
 * schemaHeader('eval/cases.yaml', 'cases')
 * // '# yaml-language-server: $schema=../node_modules/vitest-qualify/schemas/cases.schema.json'
 */
export function schemaHeader(file: string, schema: SchemaName): string {
  const target = `node_modules/vitest-qualify/schemas/${schema}.schema.json`;
  const relative = path.posix.relative(path.posix.dirname(file), target);
  return `# yaml-language-server: $schema=${relative.startsWith('.') ? relative : `./${relative}`}`;
}
