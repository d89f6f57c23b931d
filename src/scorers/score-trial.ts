/**
 * One trial of one case, scored: checks, then the judge, faithfulness and
 * answer_relevancy concurrently.
 */
import { answerRelevancy } from './answer-relevancy.js';
import { userInput } from './case-input.js';
import { runChecks } from './checks.js';
import { faithfulness } from './faithfulness.js';
import { judgeCase, type JudgeResult } from './judge.js';
import type { AgentOutput, ScoringCase, ScoringConfig, TrialResult } from './types.js';

/**
 * The contexts a trial is judged against: the agent's returned `context` (what it actually
 * retrieved) when it reports some, else the case's. `undefined` when neither has any.
 *
 * @example
 * trialContexts({ id: 'a', context: ['case'] }, { output: 'x', context: ['retrieved'] }) // ['retrieved']
 */
export function trialContexts(
  c: Pick<ScoringCase, 'context'>,
  agent: AgentOutput,
): readonly string[] | undefined {
  if (agent.context && agent.context.length > 0) return agent.context;
  if (c.context && c.context.length > 0) return c.context;
  return undefined;
}

/**
 * Scores one trial. Checks run first; then the judge (when there are criteria, the case's
 * plus the rubric-wide ones) and, where contexts exist, faithfulness and answer_relevancy,
 * all three at once. Any failed check makes `score` 0 and is named in `failed_checks`; with
 * no criteria the score is 1 when the checks pass. Model-graded scorers still run after a
 * failed check, so the reviewer sees them. Errors (`ProviderError`, `JudgeReplyError`)
 * propagate once every scorer has settled, the judge's first.
 *
 * @example
 * const trial = await scoreTrial(
 *   { client, judge: 'openai:gpt-5', embeddings: 'openai:text-embedding-3-small' },
 *   { id: 'refund', input: 'Return after 40 days?', context: ['Returns within 30 days.'],
 *     criteria: [{ id: 'window', text: 'States the 30-day window', weight: 1 }],
 *     checks: [{ kind: 'max_chars', value: 1200, name: 'max_chars 1200' }] },
 *   { output: 'No: the window is 30 days.' })
 * trial.score // e.g. 0.9
 */
export async function scoreTrial(
  config: ScoringConfig,
  c: ScoringCase,
  agent: AgentOutput,
): Promise<TrialResult> {
  const checks = await runChecks(c.checks ?? [], agent, c, config.checks);
  const failed = checks.filter((check) => !check.pass).map((check) => check.name);
  const criteria = [...(c.criteria ?? []), ...(config.criteria ?? [])];
  const contexts = trialContexts(c, agent);
  const question = userInput(c);

  const settled = await Promise.allSettled([
    criteria.length > 0
      ? judgeCase(
          {
            client: config.client,
            model: config.judge,
            samples: config.judgeSamples,
            temperature: config.judgeTemperature,
            signal: config.signal,
          },
          { ...c, criteria },
          agent,
          contexts,
        )
      : Promise.resolve(null),
    contexts
      ? faithfulness(
          { client: config.client, model: config.judge, signal: config.signal },
          { question, answer: agent.output, contexts },
        )
      : Promise.resolve(null),
    contexts
      ? answerRelevancy(
          {
            client: config.client,
            model: config.judge,
            embeddings: config.embeddings,
            strictness: config.relevancy?.strictness,
            noncommittalGate: config.relevancy?.noncommittal_gate,
            signal: config.signal,
          },
          { question, answer: agent.output },
        )
      : Promise.resolve(null),
  ] as const);
  const rejected = settled.find((outcome) => outcome.status === 'rejected');
  if (rejected) throw rejected.reason;
  const [judged, faithful, relevant] = settled.map((outcome) =>
    outcome.status === 'fulfilled' ? outcome.value : null,
  ) as [JudgeResult | null, { score: number } | null, { score: number } | null];

  const rubric = judged ? judged.rubric : null;
  const trial: TrialResult = {
    score: failed.length > 0 ? 0 : (rubric ?? 1),
    checks,
    failed_checks: failed,
    rubric,
    criteria: judged ? judged.criteria : [],
    faithfulness: faithful ? faithful.score : null,
    answer_relevancy: relevant ? relevant.score : null,
    judge: judged ? judged.judge : null,
  };
  if (judged?.se !== undefined && failed.length === 0) trial.judge_se = judged.se;
  return trial;
}
