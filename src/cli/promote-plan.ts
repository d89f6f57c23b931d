import type { Rubric } from '../config/schema/rubric.js';
import { parseModelRef } from '../providers/model-ref.js';
import { findBlocks, replaceBlocks } from './playbook/blocks.js';
import { appendHistory, type HistoryEntry } from './playbook/history-table.js';
import {
  parseModelsTable,
  renderModelsTable,
  rowFromSettings,
  type ModelsTable,
} from './playbook/models-table.js';
import type { ScorecardFile } from './scorecard-file.js';

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
      /** True when the scorecard is of the current primary: only the baseline and history change. */
      refresh: boolean;
      history: HistoryEntry;
    }
  | { ok: false; refusal: PromoteRefusal; message: string };

/**
 * Plan a promotion (pure): check the scorecard against rubric.yaml and the
 * playbook, and return the new playbook text. The old primary (the scorecard's
 * `baseline_model`, which must be the playbook's primary) becomes the fallback
 * with its limits; the new primary takes its provider's limits from rubric.yaml.
 * A scorecard of the current primary (the first baseline) leaves the models as
 * they are. A broken playbook throws a `ConfigError` naming the line.
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
    ? current
    : {
        primary: rowFromSettings('primary', card.model, rubric.providers[parseModelRef(card.model).provider]),
        fallback: { ...current.primary, role: 'fallback' },
      };
  const dropped =
    !refresh && current.fallback && current.fallback.model !== card.model
      ? current.fallback.model
      : undefined;
  const inner = {
    history: appendHistory(found.blocks.history, history, input.playbookLabel),
    ...(refresh ? {} : { models: renderModelsTable(models) }),
  };
  return { ok: true, playbook: replaceBlocks(found, inner), models, dropped, refresh, history };
}
