import { parseModelRef } from '../../../providers/model-ref.js';
import { rowFromSettings } from '../../playbook/models-table.js';
import { ALLOWLIST_TEMPLATE } from '../../templates/allowlist.js';
import { CASES_TEMPLATE } from '../../templates/cases.js';
import { SEED_LIMITS } from '../../templates/limits.js';
import { playbookTemplate } from '../../templates/playbook.js';
import { rubricTemplate, type SeedModels } from '../../templates/rubric.js';
import { seedProviders } from '../../templates/providers.js';
import { watchWorkflowTemplate, workflowTemplate } from '../../templates/workflow.js';

/** One file of the leave-behind: where it goes (relative to the repository root) and what it holds. */
export interface LeaveBehindFile {
  path: string;
  content: string;
}

/** The Vitest config `qualify init` writes when the repository has none. */
export const VITEST_CONFIG_FILE = 'vitest.config.ts';

/**
 * Config files Vitest would read: when one exists, init prints the eval project
 * to add instead of writing its own (a new vitest.config.ts would shadow a vite.config).
 */
export const VITEST_CONFIG_NAMES = ['vitest', 'vite'].flatMap((base) =>
  ['ts', 'mts', 'cts', 'js', 'mjs', 'cjs'].map((ext) => `${base}.config.${ext}`),
);

/**
 * The files `qualify init` adds (besides vitest.config.ts and package.json):
 * rubric, cases, allowlist, failure playbook and the CI workflows (eval, watch). Pure.
 *
 * @example
 * leaveBehind({ model: 'anthropic:claude-sonnet-4-6', judge: 'openai:gpt-5' }).map((f) => f.path)
 * // ['rubric.yaml', 'eval/cases.yaml', 'eval/allowlist.yaml', 'ops/failure_playbook.md', '.github/workflows/eval.yml', '.github/workflows/watch.yml']
 */
export function leaveBehind(models: SeedModels): LeaveBehindFile[] {
  const limitsOf = (model: string) => SEED_LIMITS[parseModelRef(model).provider];
  const playbook = playbookTemplate({
    primary: rowFromSettings('primary', models.model, limitsOf(models.model)),
    fallback:
      models.fallback === undefined
        ? undefined
        : rowFromSettings('fallback', models.fallback, limitsOf(models.fallback)),
  });
  return [
    { path: 'rubric.yaml', content: rubricTemplate(models) },
    { path: 'eval/cases.yaml', content: CASES_TEMPLATE },
    { path: 'eval/allowlist.yaml', content: ALLOWLIST_TEMPLATE },
    { path: 'ops/failure_playbook.md', content: playbook },
    { path: '.github/workflows/eval.yml', content: workflowTemplate(seedProviders(models)) },
    {
      path: '.github/workflows/watch.yml',
      content: watchWorkflowTemplate(
        seedProviders({ ...models, judge: models.model, embeddings: models.model }),
      ),
    },
  ];
}
