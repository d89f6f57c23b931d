/**
 * Whether the baseline was judged the way this run judges (docs/scoring.md "When the judge
 * changes"): a pure decision, made once at start-up, of which cases' stored baseline outputs the
 * workers judge again (a changed judge, embeddings model, prompt or criterion), which few they
 * judge again as the drift probe (nothing changed), and when the run must refuse.
 */
import { createHash } from 'node:crypto';
import type { Baseline } from '../scorecard/baseline.js';
import type { ScoringChange, ScoringIdentity, StoredOutput } from '../scorecard/types.js';

/** What the workers judge again: stored baseline outputs by case id. */
export interface ScoringPlan {
  /** Cases compared with their re-judged baseline. */
  rejudge: Record<string, StoredOutput[]>;
  /** Cases of the drift probe. */
  probe: Record<string, StoredOutput[]>;
  /** What differs from the baseline, for the scorecard; absent when nothing does and it could tell. */
  change?: ScoringChange | undefined;
  /** The one line to refuse the run with: a change the baseline's stored outputs cannot answer. */
  refusal?: string | undefined;
}

export interface PlanInputs {
  baseline: Baseline | null;
  /** This run's scoring. */
  today: ScoringIdentity;
  /** The cases in scope, with the hash of what the judge reads of each today. */
  cases: readonly { id: string; rubric_hash: string }[];
  /** rubric.yaml `drift_probe`: cases whose stored outputs are judged again when nothing changed. */
  probe: number;
  /** `false` in a replayed run: recorded judge answers cannot show drift, so there is no probe. */
  fresh: boolean;
}

/** Said in the scorecard of a run against a baseline that records no `scoring` block. */
export const NO_SCORING_NOTE =
  'the baseline records no scoring block (it was made before vitest-qualify recorded one): only the judge and embeddings names were compared; a change of a prompt or a criterion text cannot be detected against it; re-make the baseline to record them';

/**
 * Which cases to judge again and why, or the refusal.
 *
 * - Against a baseline with a `scoring` block: a different judge, embeddings model or prompt hash
 *   re-judges every compared case; otherwise a case whose `rubric_hash` differs is re-judged.
 * - Against one without: the judge and embeddings names only, and the scorecard says so.
 * - A case to re-judge whose baseline entry kept no outputs refuses the run.
 * - With nothing changed, the first `probe` compared cases with stored outputs, ordered by the
 *   sha256 of their id (the same sample every run), are the drift probe.
 *
 * @example
 * planScoring({ baseline, today, cases, probe: 3, fresh: true }).rejudge // {} when nothing changed
 */
export function planScoring(inputs: PlanInputs): ScoringPlan {
  const { baseline, today } = inputs;
  const plan: ScoringPlan = { rejudge: {}, probe: {} };
  if (!baseline) return plan;
  const byId = new Map(baseline.cases.map((c) => [c.id, c as BaselineCase]));
  const compared = inputs.cases.filter((c) => typeof byId.get(c.id)?.points === 'number');
  const recorded = recordedScoring(baseline);
  const was = {
    judge: recorded?.judge ?? stringField(baseline, 'judge'),
    embeddings: recorded?.embeddings ?? stringField(baseline, 'embeddings'),
  };
  const changed: ScoringChange['changed'] = [];
  if (was.judge !== undefined && was.judge !== today.judge) changed.push('judge');
  if (was.embeddings !== undefined && was.embeddings !== today.embeddings) changed.push('embeddings');
  if (recorded && recorded.prompts !== today.prompts) changed.push('prompts');
  const runWide = changed.length > 0;
  const edited = recorded
    ? compared.filter((c) => {
        const hash = byId.get(c.id)?.rubric_hash;
        return typeof hash === 'string' && hash !== c.rubric_hash;
      })
    : [];
  if (edited.length > 0) changed.push('criteria');
  const again = runWide ? compared : edited;
  const missing: string[] = [];
  for (const c of again) {
    const outputs = storedOutputs(byId.get(c.id));
    if (outputs.length > 0) plan.rejudge[c.id] = outputs;
    else missing.push(c.id);
  }
  if (changed.length > 0 || !recorded) {
    plan.change = { changed, cases: again.map((c) => c.id) };
    if (!recorded) plan.change.note = NO_SCORING_NOTE;
  }
  if (missing.length > 0) {
    plan.refusal = `${whatChanged(changed, was, today, edited.length)} since the baseline was made, and the baseline keeps no outputs of ${count(missing)} to judge again with it: re-make the baseline on the base branch with the current judge and criteria (run the qualification there, then \`qualify promote\` its scorecard), or revert the change`;
  }
  if (changed.length === 0 && inputs.fresh && inputs.probe > 0) {
    const sample = compared
      .filter((c) => storedOutputs(byId.get(c.id)).length > 0)
      .map((c) => ({ id: c.id, key: createHash('sha256').update(c.id).digest('hex') }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .slice(0, inputs.probe);
    for (const { id } of sample) plan.probe[id] = storedOutputs(byId.get(id));
  }
  return plan;
}

interface BaselineCase {
  id: string;
  points: number | null;
  rubric_hash?: unknown;
  outputs?: unknown;
}

/** The baseline's `scoring` block, when it has a well-formed one. */
function recordedScoring(baseline: Baseline): ScoringIdentity | undefined {
  const scoring = (baseline as { scoring?: Partial<ScoringIdentity> }).scoring;
  if (typeof scoring?.judge !== 'string' || typeof scoring.prompts !== 'string') return undefined;
  return {
    judge: scoring.judge,
    embeddings: typeof scoring.embeddings === 'string' ? scoring.embeddings : '',
    judge_samples: typeof scoring.judge_samples === 'number' ? scoring.judge_samples : 1,
    prompts: scoring.prompts,
  };
}

function stringField(baseline: Baseline, key: 'judge' | 'embeddings'): string | undefined {
  const value = (baseline as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : undefined;
}

/** The outputs a baseline case kept that can be judged again: an output too long to keep is stored empty. */
function storedOutputs(c: BaselineCase | undefined): StoredOutput[] {
  if (!Array.isArray(c?.outputs)) return [];
  return (c.outputs as StoredOutput[]).filter(
    (o) => typeof o?.output === 'string' && o.output !== '' && typeof o.score === 'number',
  );
}

function whatChanged(
  changed: ScoringChange['changed'],
  was: { judge: string | undefined; embeddings: string | undefined },
  today: ScoringIdentity,
  edited: number,
): string {
  const parts = changed.map((what) => {
    switch (what) {
      case 'judge':
        return `the judge changed (${was.judge} -> ${today.judge})`;
      case 'embeddings':
        return `the embeddings model changed (${was.embeddings} -> ${today.embeddings})`;
      case 'prompts':
        return "the scorers' prompts changed (another vitest-qualify version)";
      case 'criteria':
        return `the criteria, reference or contexts of ${edited === 1 ? 'a case' : `${edited} cases`} changed`;
    }
  });
  return parts.join(' and ');
}

function count(ids: readonly string[]): string {
  const shown = ids.slice(0, 3).join(', ');
  const more = ids.length > 3 ? ` and ${ids.length - 3} more` : '';
  return `${ids.length === 1 ? 'case' : `${ids.length} cases`} (${shown}${more})`;
}
