/**
 * The rubric judge: one call per case scores all its criteria, G-Eval weighted where
 * the provider returns logprobs, else the raw integer or the mean over samples.
 */
import { modelCapabilities } from '../providers/capabilities.js';
import { parseModelRef } from '../providers/model-ref.js';
import { QualifyError } from '../errors.js';
import type { ModelClient, TokenLogprob } from '../providers/types.js';
import { weightedScores } from './g-eval.js';
import {
  JUDGE_MAX_SCORE,
  JudgeReplySchema,
  buildJudgeRequest,
  criteriaProblem,
  type JudgeReply,
} from './judge-prompt.js';
import { mean, weightedMean } from './math.js';
import { callStructured, validateWith } from './structured-call.js';
import type { AgentOutput, Criterion, CriterionResult, JudgeInfo, ScoringCase } from './types.js';

/**
 * The judge model and how many samples it gives per case.
 *
 * @example
 * const options: JudgeOptions = { client, model: 'anthropic:claude-sonnet-4-6', samples: 3 }
 */
export interface JudgeOptions {
  client: ModelClient;
  /** `provider:model` of the judge. */
  model: string;
  /** Samples per case (`n`); default 1. */
  samples?: number | undefined;
  /**
   * Sampling temperature; default 0 for one sample, 1 for several. The wire
   * leaves it out for a model that takes none (`modelCapabilities`).
   */
  temperature?: number | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * The case's rubric score, its criteria, and how the judge was asked.
 *
 * @example
 * result.criteria // [{ id: 'states-window', score: 0.85, raw: 8, weighted: 8.5, reason: '...' }]
 */
export interface JudgeResult {
  /** The weighted mean of the criterion scores, in [0, 1]. */
  rubric: number;
  criteria: CriterionResult[];
  judge: JudgeInfo;
  /** Standard error of `rubric` over the samples (`judgeSpread`); absent with one sample. */
  se?: number | undefined;
}

/**
 * Scores every criterion of a case in one judge call (one request with `n` samples).
 * A bad reply is retried, then a `JudgeReplyError`; a `ProviderError` propagates.
 *
 * @example
 * const { rubric, criteria } = await judgeCase({ client, model: 'openai:gpt-5' },
 *   { id: 'refund', input: 'Return after 40 days?', criteria: [{ id: 'window', text: 'States 30 days', weight: 1 }] },
 *   { output: 'No, returns close after 30 days.' })
 */
export async function judgeCase(
  options: JudgeOptions,
  c: Pick<ScoringCase, 'id' | 'input' | 'messages' | 'reference' | 'criteria'>,
  output: AgentOutput,
  contexts?: readonly string[],
): Promise<JudgeResult> {
  const criteria = c.criteria ?? [];
  assertCriteria(c.id, criteria);
  const samples = Math.max(1, Math.floor(options.samples ?? 1));
  const ids = criteria.map((criterion) => criterion.id);
  const request = buildJudgeRequest({
    model: options.model,
    case: c,
    output,
    criteria,
    contexts,
    samples,
    temperature: options.temperature,
    logprobs: modelCapabilities(parseModelRef(options.model)).logprobs,
  });
  const reply = await callStructured({
    client: options.client,
    scorer: 'judge',
    signal: options.signal,
    request,
    validate: validateWith(JudgeReplySchema, (value) => criteriaProblem(value, ids)),
  });
  const results = combineJudgeSamples(
    criteria,
    reply.values,
    reply.choices.map((choice) => choice.logprobs),
  );
  const logprobs = reply.choices.map((choice) => choice.logprobs);
  const judged: JudgeResult = {
    rubric: weightedMean(
      results.map((result, i) => ({ value: result.score, weight: (criteria[i] as Criterion).weight })),
    ),
    criteria: results,
    judge: {
      model: options.model,
      samples,
      used_logprobs: results.some((result) => result.weighted !== undefined),
    },
  };
  const se = judgeSpread(criteria, reply.values, logprobs);
  if (se !== undefined) judged.se = se;
  return judged;
}

/**
 * The standard error of a case's rubric score over the judge's samples: the sample standard
 * deviation of each sample's rubric score (its criteria weighted as the case weights them, each
 * scored as `combineJudgeSamples` scores it: G-Eval weighted where every sample gave one, else the
 * integer) over sqrt(samples), in [0, 1]. `undefined` with fewer than two samples.
 *
 * @example
 * judgeSpread([{ id: 'a', text: 'A', weight: 1 }],
 *   [{ criteria: [{ id: 'a', reason: 'ok', score: 8 }] }, { criteria: [{ id: 'a', reason: 'meh', score: 6 }] }],
 *   [undefined, undefined]) // 0.1
 */
export function judgeSpread(
  criteria: readonly Criterion[],
  replies: readonly JudgeReply[],
  logprobs: readonly (readonly TokenLogprob[] | undefined)[],
): number | undefined {
  const n = replies.length;
  if (n < 2) return undefined;
  const weightedById = replies.map((reply, k) => weightsById(reply, logprobs[k]));
  const useWeighted = new Set(
    criteria.filter(({ id }) => weightedById.every((byId) => byId.has(id))).map(({ id }) => id),
  );
  const rubrics = replies.map((reply, k) =>
    weightedMean(
      criteria.map(({ id, weight }) => {
        const raw = reply.criteria.find((entry) => entry.id === id)?.score ?? Number.NaN;
        const value = useWeighted.has(id) ? (weightedById[k]?.get(id) ?? raw) : raw;
        return { value: value / JUDGE_MAX_SCORE, weight };
      }),
    ),
  );
  const m = mean(rubrics);
  const variance = rubrics.reduce((a, b) => a + (b - m) ** 2, 0) / (n - 1);
  return Math.round((Math.sqrt(variance) / Math.sqrt(n)) * 1e9) / 1e9;
}

/**
 * Per criterion (in the case's order): the mean raw integer over samples, the mean
 * G-Eval weighted score where every sample's logprobs gave one, and the score in [0, 1]
 * from the weighted score if any, else the raw one. The reason is the first sample's.
 *
 * @example
 * combineJudgeSamples([{ id: 'a', text: 'A', weight: 1 }],
 *   [{ criteria: [{ id: 'a', reason: 'ok', score: 8 }] }, { criteria: [{ id: 'a', reason: 'meh', score: 6 }] }],
 *   [undefined, undefined]) // [{ id: 'a', score: 0.7, raw: 7, reason: 'ok' }]
 */
export function combineJudgeSamples(
  criteria: readonly Criterion[],
  replies: readonly JudgeReply[],
  logprobs: readonly (readonly TokenLogprob[] | undefined)[],
): CriterionResult[] {
  const weightedById = replies.map((reply, k) => weightsById(reply, logprobs[k]));
  return criteria.map(({ id }) => {
    const entries = replies.map((reply) => reply.criteria.find((entry) => entry.id === id));
    const raws = entries.map((entry) => entry?.score ?? Number.NaN);
    const raw = mean(raws);
    const weights = weightedById.map((byId) => byId.get(id));
    const weighted = weights.every((w): w is number => w !== undefined) ? mean(weights) : undefined;
    const result: CriterionResult = {
      id,
      score: (weighted ?? raw) / JUDGE_MAX_SCORE,
      raw,
      reason: entries[0]?.reason ?? '',
    };
    if (weighted !== undefined) result.weighted = weighted;
    return result;
  });
}

/** G-Eval scores of one reply by criterion id; empty when the scores cannot be lined up with the tokens. */
function weightsById(reply: JudgeReply, tokens: readonly TokenLogprob[] | undefined): Map<string, number> {
  const byId = new Map<string, number>();
  if (!tokens || tokens.length === 0) return byId;
  const weights = weightedScores(tokens);
  if (weights.length !== reply.criteria.length) return byId;
  reply.criteria.forEach((entry, i) => {
    const found = weights[i];
    if (found?.weighted !== undefined && found.value === entry.score) byId.set(entry.id, found.weighted);
  });
  return byId;
}

function assertCriteria(caseId: string, criteria: readonly Criterion[]): void {
  if (criteria.length === 0) {
    throw new QualifyError(
      'E_NO_CRITERIA',
      `case "${caseId}" has no criteria to judge; add criteria or skip the judge`,
    );
  }
  const seen = new Set<string>();
  for (const { id } of criteria) {
    if (seen.has(id)) {
      throw new QualifyError(
        'E_DUPLICATE_CRITERION',
        `case "${caseId}": criterion id "${id}" is used twice (the case's and the rubric-wide criteria share ids); rename one`,
      );
    }
    seen.add(id);
  }
}
