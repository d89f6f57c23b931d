import { markers } from '../playbook/blocks.js';
import { HISTORY_COLUMNS } from '../playbook/history-table.js';
import { renderModelsTable, type ModelsTable } from '../playbook/models-table.js';
import { renderHeader } from '../playbook/table.js';

/**
 * ops/failure_playbook.md as `qualify init` writes it: the machine-rewritable
 * models block (primary and fallback with their limits), what to do when the
 * primary fails, how a new model is qualified, and an empty history block.
 *
 * @example
 * playbookTemplate({ primary: rowFromSettings('primary', model, limits), fallback: undefined })
 */
export function playbookTemplate(models: ModelsTable): string {
  const m = markers('models');
  const h = markers('history');
  return `# Failure playbook

Which model the agent runs on, which one takes over when it fails, and how each was qualified.
The two blocks between \`qualify:\` markers are rewritten by \`npx qualify promote\` after a
passing qualification: edit the text around them freely, and keep the markers and the table shapes.

## Models

${m.start}
${renderModelsTable(models).join('\n')}
${m.end}

\`rpm\` is requests per minute, \`max_in_flight\` requests at once, \`timeout_s\` the timeout of one
attempt, \`max_retries\` a cap on the retries after a fault (unset: a call retries for \`retry_budget_s\`,
240 s by default); \`-\` means not set. A newly promoted primary
takes its limits from \`providers:\` in rubric.yaml; the previous primary keeps its own as the fallback.

## When the primary fails

1. **Outage** (5xx, timeouts, 429 beyond retries): route traffic to the fallback, with its limits
   above. Do not lower the limits of the fallback to absorb the load: raise them with the provider.
2. **Quality regression in production**: add the failing traffic as cases (\`npx qualify import\`),
   then qualify the fallback, or the previous primary, as a new primary in a \`model/\` PR.
3. **Deprecation notice**: qualify the replacement before the date, in a \`model/\` PR.

## Qualifying a new model

1. \`git switch -c model/<provider>-<model>\` and change \`model_primary\` in rubric.yaml: one line.
2. Push. CI runs \`npx qualify check-pr\` (the PR changes only the allowed files), the
   qualification (\`npm run eval\`, against the baseline of the base branch) and posts the scorecard.
3. A small regression you accept: \`npx qualify allow <case> --reason "..."\`; a second reviewer approves.
4. On a pass: \`npx qualify promote --scorecard eval/out/scorecard.json --url <scorecard URL>\`,
   and commit this playbook and eval/baseline.json in the same PR.

The first baseline: run \`npm run eval\` on the current primary, then \`npx qualify promote\`.

## Qualification history

${h.start}
${renderHeader(HISTORY_COLUMNS).join('\n')}
${h.end}
`;
}
