import { ProvidersSchema } from '../../../config/schema/providers.js';
import type { Rubric } from '../../../config/schema/rubric.js';
import { findBlocks, replaceBlocks } from '../../playbook/blocks.js';
import { appendHistory, type HistoryEntry } from '../../playbook/history-table.js';
import {
  MODEL_COLUMNS,
  parseModelsTable,
  renderModelsTable,
  rowFromSettings,
  type LimitColumn,
  type ModelRow,
  type ModelsTable,
} from '../../playbook/models-table.js';
import type { ScorecardFile } from '../../files/scorecard-file.js';

/** Why a promotion was refused; stable for `--json`. */
export type PromoteRefusal = 'verdict' | 'demo' | 'model-mismatch' | 'baseline-mismatch';

/** The new playbook and what changed in it, or why the promotion is refused. */
export type PromotePlan =
  | {
      ok: true;
      /** The new playbook text. */
      playbook: string;
      models: ModelsTable;
      /** The fallback that left the playbook, if any. */
      dropped: string | undefined;
      /** True when the scorecard is of the current primary: the models stay, their limits are refreshed. */
      refresh: boolean;
      /** One line per model whose limits in the playbook changed: `model: rpm 50 -> 40, ...`. */
      limitChanges: string[];
      history: HistoryEntry;
    }
  | { ok: false; refusal: PromoteRefusal; message: string };

const LIMITS = MODEL_COLUMNS.slice(2) as readonly LimitColumn[];
const PROVIDERS = Object.keys(ProvidersSchema.shape);

/**
 * A playbook row with the current limits of its provider under `providers:` in
 * rubric.yaml (`-` where unset). A model whose provider rubric.yaml cannot
 * name (a hand-written row) keeps the limits written.
 */
function withRubricLimits(row: ModelRow, rubric: Rubric): ModelRow {
  const provider = row.model.slice(0, row.model.indexOf(':')) as keyof Rubric['providers'];
  if (!PROVIDERS.includes(provider)) return row;
  return rowFromSettings(row.role, row.model, rubric.providers[provider]);
}

/** `model: rpm 50 -> 40, timeout_s 60 -> 90` for each row whose limits differ from that model's row before. */
function describeLimitChanges(before: ModelsTable, after: ModelsTable): string[] {
  const old = [before.primary, before.fallback].filter((r): r is ModelRow => r !== undefined);
  const out: string[] = [];
  for (const row of [after.primary, after.fallback]) {
    const was = row && old.find((r) => r.model === row.model);
    if (!row || !was) continue;
    const moved = LIMITS.filter((c) => was.limits[c] !== row.limits[c]);
    if (moved.length > 0)
      out.push(`${row.model}: ${moved.map((c) => `${c} ${was.limits[c]} -> ${row.limits[c]}`).join(', ')}`);
  }
  return out;
}

/**
 * Plan a promotion (pure): check the scorecard against rubric.yaml and the
 * playbook, and return the new playbook text. The old primary (the scorecard's
 * `baseline_model`, which must be the playbook's primary) becomes the fallback;
 * both rows take the current limits of their provider under `providers:` in
 * rubric.yaml, so a limit edited there since `init` reaches the playbook. A
 * scorecard of the current primary (the first baseline) keeps the models and
 * refreshes their limits; the models block is rewritten only when a cell
 * changes. A broken playbook throws a `ConfigError` naming the line.
 *
 * @example
 * const plan = planPromotion({ playbook, playbookLabel, card, rubric, today: '2026-11-27', url })
 * if (plan.ok) await writeAtomic(file, plan.playbook)
 */
export function planPromotion(input: {
  playbook: string;
  playbookLabel: string;
  card: ScorecardFile;
  rubric: Rubric;
  today: string;
  url: string | undefined;
}): PromotePlan {
  const { card, rubric } = input;
  if (card.source?.mode === 'demo') {
    return {
      ok: false,
      refusal: 'demo',
      message:
        'the scorecard is from `qualify demo`, whose answers come from no model: run the qualification ' +
        'with your provider keys (npm run eval) and promote that scorecard',
    };
  }
  if (card.verdict !== 'pass' && card.verdict !== 'review') {
    return {
      ok: false,
      refusal: 'verdict',
      message:
        `the scorecard verdict is ${card.verdict}: only a pass or review scorecard is promoted; ` +
        'fix what failed and run the qualification again',
    };
  }
  if (card.model !== rubric.model_primary) {
    return {
      ok: false,
      refusal: 'model-mismatch',
      message:
        `the scorecard is for ${card.model} but rubric.yaml's model_primary is ${rubric.model_primary}: ` +
        'promote a scorecard of model_primary (run npm run eval again)',
    };
  }
  const found = findBlocks(input.playbook, input.playbookLabel);
  const current = parseModelsTable(found.blocks.models, input.playbookLabel);
  const refresh = card.model === current.primary.model;
  if (!refresh && card.baseline_model !== current.primary.model) {
    const against = card.baseline_model === null ? 'no baseline' : `baseline ${card.baseline_model}`;
    return {
      ok: false,
      refusal: 'baseline-mismatch',
      message:
        `the scorecard was compared with ${against}, but the primary in ${input.playbookLabel} is ` +
        `${current.primary.model}: run the qualification against the baseline of the current primary`,
    };
  }
  const history: HistoryEntry = {
    date: input.today,
    primary: card.model,
    previous: refresh ? (card.baseline_model ?? '-') : current.primary.model,
    verdict: card.verdict,
    cases: card.cases.length,
    url: input.url,
  };
  const models: ModelsTable = refresh
    ? {
        primary: withRubricLimits(current.primary, rubric),
        fallback: current.fallback && withRubricLimits(current.fallback, rubric),
      }
    : {
        primary: withRubricLimits({ ...current.primary, role: 'primary', model: card.model }, rubric),
        fallback: withRubricLimits({ ...current.primary, role: 'fallback' }, rubric),
      };
  const dropped =
    !refresh && current.fallback && current.fallback.model !== card.model
      ? current.fallback.model
      : undefined;
  const table = renderModelsTable(models);
  const unchanged = table.slice(2).join('\n') === renderModelsTable(current).slice(2).join('\n');
  const inner = {
    history: appendHistory(found.blocks.history, history, input.playbookLabel),
    ...(unchanged ? {} : { models: table }),
  };
  return {
    ok: true,
    playbook: replaceBlocks(found, inner),
    models,
    dropped,
    refresh,
    limitChanges: describeLimitChanges(current, models),
    history,
  };
}
