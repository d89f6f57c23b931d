import type { ProjectCase } from '../config/project.js';
import { isQualifyError } from '../errors.js';
import { firstLine } from '../internal/text.js';
import { ProviderError } from '../providers/errors.js';
import { countCall, zeroCounts } from '../providers/usage.js';
import type { ChatResponse, EmbedResponse, ModelClient } from '../providers/types.js';
import type { CaseError, CaseResult, CaseUsage } from '../scorecard/types.js';
import { aggregateTrials } from '../scorers/aggregate.js';
import { JudgeReplyError } from '../scorers/errors.js';
import type * as Scoring from '../scorers/score-trial.js';
import type { ImportModule } from '../scorers/checks/javascript.js';
import type { TrialResult } from '../scorers/types.js';
import { bindClient, normaliseReturn, type Agent } from './agent.js';
import { unscoredResult } from './case-result.js';
import type { RuntimeContext } from './context.js';
import { redact, type Secret } from './redact.js';
import { userFrames } from './stack.js';

/** What running one case needs; built once per worker. */
export interface CaseRunner {
  ctx: RuntimeContext;
  client: ModelClient;
  agentFor(subject: string): Promise<Agent>;
  /** Loads a `javascript` check module by absolute path; default Node's `import()`. */
  importModule?: ImportModule | undefined;
  /** Values never to write: case errors and check details are redacted (`secretsOf(process.env)`). */
  secrets?: readonly Secret[] | undefined;
}

let scorers: Promise<typeof Scoring> | undefined;

/**
 * The scorers (and zod, which they bring), loaded on the first case while its agent call
 * is in flight rather than before the worker's first request.
 */
function loadScorers(): Promise<typeof Scoring> {
  if (!scorers) {
    scorers = import('../scorers/score-trial.js');
    scorers.catch(() => undefined); // awaited by every case that gets to scoring
  }
  return scorers;
}

/**
 * Run one case: the agent `repeats` times, each trial scored (checks, judge,
 * faithfulness, answer relevancy), folded into one `CaseResult`. Never throws:
 * a provider outage, a judge that never answered well, or an agent that threw
 * becomes the result's `error`, so the reporter can tell it from a regression.
 *
 * @example
 * const result = await runCase(runner, projectCase, AbortSignal.timeout(60_000))
 */
export async function runCase(runner: CaseRunner, c: ProjectCase, signal: AbortSignal): Promise<CaseResult> {
  const started = performance.now();
  const secrets = runner.secrets ?? [];
  const { client, usage } = meteredClient(runner.client);
  const scoring = loadScorers();
  const base = unscoredResult(c, usage);
  try {
    const agent = await inAgentStage(() => runner.agentFor(c.subject));
    const trials = await Promise.all(
      Array.from({ length: c.repeats }, (_, trial) =>
        runTrial(runner, c, { agent, client, scoring, signal }, trial),
      ),
    );
    const folded = aggregateTrials(trials);
    // Object.assign onto `base`, not a spread with added properties: on Node 20 that costs about 20 us
    // per object (bench/FINDINGS.md). Same keys, same order.
    return Object.assign(base, {
      score: folded.score,
      faithfulness: folded.faithfulness,
      answer_relevancy: folded.answer_relevancy,
      nan_metrics: folded.nan_metrics,
      criteria: folded.criteria.map((k) => ({
        id: k.id,
        score: k.score,
        raw: k.raw,
        weighted: k.weighted,
        reason: k.reason,
      })),
      checks: folded.checks.map((k) => Object.assign({}, k, { detail: redact(k.detail, secrets) })),
      trials: folded.spread,
      error: null,
      latency_ms: Math.round(performance.now() - started),
    });
  } catch (error) {
    const inAgent = error instanceof AgentStageError;
    const cause = inAgent ? error.cause : error;
    const classified = classify(cause, inAgent ? 'agent' : 'scoring');
    // Where the user's code threw; not for what the runtime refused (a wrong return shape, no default export).
    const frames =
      classified.code === 'E_AGENT_THREW' && cause instanceof Error ? userFrames(cause, runner.ctx.root) : [];
    return Object.assign(base, {
      score: null,
      error: {
        ...classified,
        message: redact(classified.message, secrets),
        ...(frames.length > 0 ? { stack: frames.map((frame) => redact(frame, secrets)) } : {}),
      },
      latency_ms: Math.round(performance.now() - started),
    });
  }
}

/** One trial of a case: the agent called once on the case's input, its output scored. */
async function runTrial(
  runner: CaseRunner,
  c: ProjectCase,
  {
    agent,
    client,
    scoring,
    signal,
  }: { agent: Agent; client: ModelClient; scoring: Promise<typeof Scoring>; signal: AbortSignal },
  trial: number,
): Promise<TrialResult> {
  const input = c.input ?? c.messages ?? '';
  const output = await inAgentStage(async () =>
    normaliseReturn(
      await agent(input, {
        model: runner.ctx.model,
        client: bindClient(client, runner.ctx.model, signal, trial),
        signal,
        case: { id: c.id, subject: c.subject, node: c.node, tags: c.tags ?? [], metadata: c.metadata },
        trial,
      }),
      agentLabel(c.subject),
    ),
  );
  const { scoreTrial } = await scoring;
  return scoreTrial(
    {
      client,
      judge: runner.ctx.judge,
      embeddings: runner.ctx.embeddings,
      judgeSamples: runner.ctx.judgeSamples,
      judgeTemperature: runner.ctx.judgeTemperature,
      relevancy: runner.ctx.relevancy,
      checks: { root: runner.ctx.root, importModule: runner.importModule },
      signal,
    },
    c,
    output,
  );
}

/**
 * How messages name a subject's agent: `the drafter agent`; a subject whose name already says
 * agent (the one-subject `agent:` shorthand, `support-agent`) is not named twice.
 *
 * @example
 * agentLabel('agent') // 'the agent'
 * agentLabel('drafter') // 'the drafter agent'
 */
export function agentLabel(subject: string): string {
  return /(?:^|[-_ .])agent$/i.test(subject) ? `the ${subject}` : `the ${subject} agent`;
}

/** Tell an outage from a bad judge answer from an agent bug; one line each. */
export function classify(error: unknown, stage: 'agent' | 'scoring'): CaseError {
  const message = firstLine(error instanceof Error ? error.message : String(error));
  if (error instanceof JudgeReplyError) return { kind: 'judge', code: error.code, message };
  if (error instanceof ProviderError) {
    const who = stage === 'agent' ? 'the agent' : 'scoring';
    return { kind: 'provider', code: error.code, message: `${who}: ${message}` };
  }
  if (stage === 'agent') {
    return { kind: 'agent', code: isQualifyError(error) ? error.code : 'E_AGENT_THREW', message };
  }
  return { kind: 'judge', code: isQualifyError(error) ? error.code : 'E_SCORER', message };
}

/** Marks an error as thrown while the agent (not a scorer) was running. */
class AgentStageError extends Error {
  constructor(override readonly cause: unknown) {
    super('agent stage', { cause });
  }
}

async function inAgentStage<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw new AgentStageError(error);
  }
}

/** A view of the client that adds every call's usage to this case's totals. */
function meteredClient(inner: ModelClient): { client: ModelClient; usage: CaseUsage } {
  const usage: CaseUsage = zeroCounts();
  const count = <R extends ChatResponse | EmbedResponse>(model: string, response: R): R => {
    countCall(usage, response.usage);
    if (response.usage.handWritten) usage.hand_written_calls = (usage.hand_written_calls ?? 0) + 1;
    if (response.usage.unpriced && !usage.unpriced?.includes(model)) {
      usage.unpriced = [...(usage.unpriced ?? []), model].sort();
    }
    return response;
  };
  return {
    usage,
    client: {
      chat: async (request) => count(request.model, await inner.chat(request)),
      embed: async (request) => count(request.model, await inner.embed(request)),
      usage: () => inner.usage(),
      flush: () => inner.flush(),
    },
  };
}
