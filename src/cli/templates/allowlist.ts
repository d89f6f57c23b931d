import { schemaHeader } from './header.js';

/**
 * The first lines of an allowlist file: the schema header and what the file is for.
 *
 * @example
 * allowlistHeader('eval/allowlist.yaml')
 */
export function allowlistHeader(file: string): string {
  return `${schemaHeader(file, 'allowlist')}
#
# Documented, tolerated small regressions of a candidate model, one entry per case and model.
# Add one with \`npx qualify allow <case> --reason "..."\`; a second reviewer approves it.
# No entry can cover a drop above max_per_case_regression (rubric.yaml).
`;
}

/**
 * eval/allowlist.yaml as `qualify init` writes it: the header and an empty list.
 *
 * @example
 * await writeFile('eval/allowlist.yaml', ALLOWLIST_TEMPLATE)
 */
export const ALLOWLIST_TEMPLATE = `${allowlistHeader('eval/allowlist.yaml')}[]
`;
