import { setMaxListeners } from 'node:events';
import type { ProjectCase } from '../config/project.js';
import { isQualifyError } from '../errors.js';
import { firstLine } from '../internal/text.js';
import { ProviderError } from '../providers/errors.js';
import { countCall, zeroCounts } from '../providers/usage.js';
import type { ChatResponse, EmbedResponse, ModelClient } from '../providers/types.js';
import { armStats } from '../scorecard/statistics.js';
import { toPoints } from '../scorecard/status.js';
import type {
  CaseError,
  CaseResult,
  CaseUsage,
  Confirmation,
  Rejudged,
  StoredOutput,
} from '../scorecard/types.js';
import { aggregateTrials } from '../scorers/aggregate.js';
import { JudgeReplyError } from '../scorers/errors.js';
import { rubricHash } from '../scorers/rubric-hash.js';
import type * as Scoring from '../scorers/score-trial.js';
import type { ImportModule } from '../scorers/checks/javascript.js';
import type { AgentOutput, TrialResult } from '../scorers/types.js';
import { bindClient, normaliseReturn, type Agent } from './agent.js';
import { foldAgentUsage, meterAgentCalls, type TrialAgentCalls } from './agent-usage.js';
import { confirmCase } from './confirm.js';
import { judgeBaselineAgain } from './rejudge.js';
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
  // Every trial's calls listen on the case's signal: the first pass and both confirmation arms at once
  // pass Node's default of 10 listeners, which is not a leak here.
  const gate = runner.ctx.gate;
  setMaxListeners(Math.max(10, 4 * (c.repeats + 2 * (gate?.max_rounds ?? 0)) + 10), signal);
  const secrets = runner.secrets ?? [];
  const { client, usage } = meteredClient(runner.client);
  const scoring = loadScorers();
  const base = unscoredResult(c, usage);
  try {
    const agent = await inAgentStage(() => runner.agentFor(c.subject));
    const deps = { agent, client, scoring, signal };
    const [runs, again] = await Promise.all([
      Promise.all(
        Array.from({ length: c.repeats }, (_, trial) => runTrial(runner, c, deps, runner.ctx.model, trial)),
      ),
      // The baseline's stored outputs, judged again where the plan says (run/rejudge.ts).
      judgeBaselineAgain(runner.ctx.rejudge, c.id, runner.ctx.baseline?.[c.id], (output, trial) =>
        scoreOutput(runner, c, deps, output, trial, true),
      ),
    ]);
    const trials = runs.map((run) => run.result);
    const folded = aggregateTrials(trials);
    const confirmation = await confirmDrop(runner, c, deps, trials, usage, again.rejudged);
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
      trials: Object.assign(folded.spread, { se: standardError(folded.spread.scores) }),
      error: null,
      latency_ms: Math.round(performance.now() - started),
      outputs: runs.map((run) => storedOutput(run.output, run.result, secrets)),
      confirmation,
      rubric_hash: rubricHash(c),
      rejudged: again.rejudged,
      probe: again.probe,
      // The first pass's agent calls only (not the judge's, not the confirmation's): the relative gates'.
      agent_usage: foldAgentUsage(runs.map((run) => run.agent)),
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

interface TrialDeps {
  agent: Agent;
  client: ModelClient;
  scoring: Promise<typeof Scoring>;
  signal: AbortSignal;
}

/**
 * The gate's first pass and confirmation (run/confirm.ts) for a case with a baseline score (its
 * re-judged one, when the baseline was judged again): `undefined` for a new case. Confirmation trials are numbered after the first pass's, the baseline
 * model's after the candidate's, and their judge calls carry the trial number too, so no cassette or
 * cache answers one trial with another's reply.
 */
async function confirmDrop(
  runner: CaseRunner,
  c: ProjectCase,
  deps: TrialDeps,
  trials: readonly TrialResult[],
  usage: CaseUsage,
  rejudged: Rejudged | undefined,
): Promise<Confirmation | undefined> {
  const { gate, baseline } = runner.ctx;
  const points = rejudged ? rejudged.mean : baseline?.[c.id];
  if (typeof points !== 'number' || !gate) return undefined;
  const before = usage.calls;
  const stored = rejudged
    ? { n: rejudged.scores.length, sd: rejudged.sd }
    : (gate.trials[c.id] ?? { n: 1, sd: 0 });
  // A first pass answered wholly from cassettes replayed recorded outputs: fresh trials would need live
  // calls the run was not set up for, and replays carry no new noise. The stored statistics decide.
  const replayed = usage.calls > 0 && usage.cached_calls === usage.calls;
  const trialPoints = async (model: string, trial: number): Promise<number> =>
    toPoints((await runTrial(runner, c, deps, model, trial, true)).result.score);
  const confirmation = await confirmCase({
    first: trials.map((t) => toPoints(t.score)),
    baseline: { points, n: stored.n, sd: stored.sd },
    gate: replayed ? Object.assign({}, gate, { fresh: false }) : gate,
    candidateModel: runner.ctx.model,
    candidateTrial: (round) => trialPoints(runner.ctx.model, c.repeats + round),
    // A provider error of the baseline model's agent call reaches confirmCase as it is, so it can tell a
    // model that is gone (404) from an outage.
    baselineTrial: (round) =>
      trialPoints(gate.baselineModel ?? runner.ctx.model, c.repeats + gate.max_rounds + round).catch(
        (error: unknown) => {
          throw error instanceof AgentStageError && error.cause instanceof ProviderError
            ? error.cause
            : error;
        },
      ),
  });
  confirmation.calls = usage.calls - before;
  return confirmation;
}

/** Longest output kept for judging again; a longer one is not stored (a cut answer would be judged differently). */
const MAX_STORED_OUTPUT = 8000;

function storedOutput(output: AgentOutput, result: TrialResult, secrets: readonly Secret[]): StoredOutput {
  const stored: StoredOutput = {
    output: output.output.length <= MAX_STORED_OUTPUT ? redact(output.output, secrets) : '',
    score: result.score,
  };
  if (output.context && output.context.length > 0)
    stored.context = output.context.map((x) => redact(x, secrets));
  if (result.judge_se !== undefined) stored.judge_se = result.judge_se;
  if (output.toolCalls && output.toolCalls.length > 0) {
    stored.tool_calls = output.toolCalls.map((call) => ({
      name: call.name,
      arguments: redact(call.rawArguments, secrets),
    }));
  }
  return stored;
}

/** Sample standard deviation / sqrt(n) of the trial scores; `null` for one trial. */
function standardError(scores: readonly number[]): number | null {
  const { n, sd } = armStats(scores);
  return n < 2 ? null : Math.round((sd / Math.sqrt(n)) * 1e9) / 1e9;
}

/** One trial of a case: the agent called once on the case's input (on `model`), its output scored. */
async function runTrial(
  runner: CaseRunner,
  c: ProjectCase,
  { agent, client, scoring, signal }: TrialDeps,
  model: string,
  trial: number,
  keyJudge = false,
): Promise<{
  result: TrialResult;
  output: AgentOutput;
  agent: { calls: TrialAgentCalls; latencyMs: number };
}> {
  const input = c.input ?? c.messages ?? '';
  const metered = meterAgentCalls(client);
  const started = performance.now();
  const output = await inAgentStage(async () =>
    normaliseReturn(
      await agent(input, {
        model,
        client: bindClient(metered.client, model, signal, trial),
        signal,
        case: { id: c.id, subject: c.subject, node: c.node, tags: c.tags ?? [], metadata: c.metadata },
        trial,
      }),
      agentLabel(c.subject),
    ),
  );
  const agentCalls = { calls: metered.calls, latencyMs: performance.now() - started };
  return {
    result: await scoreOutput(runner, c, { client, scoring, signal }, output, trial, keyJudge),
    output,
    agent: agentCalls,
  };
}

/** One output of a case scored (checks, judge, faithfulness, answer_relevancy), as trial `trial`. */
async function scoreOutput(
  runner: CaseRunner,
  c: ProjectCase,
  { client, scoring, signal }: Pick<TrialDeps, 'client' | 'scoring' | 'signal'>,
  output: AgentOutput,
  trial: number,
  keyJudge: boolean,
): Promise<TrialResult> {
  const { scoreTrial } = await scoring;
  return scoreTrial(
    {
      client: keyJudge ? trialKeyed(client, trial) : client,
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

/** A view of the client whose chat calls carry `trial` in their cache key (never sent). */
function trialKeyed(inner: ModelClient, trial: number): ModelClient {
  return {
    chat: (request) => inner.chat(Object.assign({}, request, { trial: request.trial ?? trial })),
    embed: (request) => inner.embed(request),
    usage: () => inner.usage(),
    flush: () => inner.flush(),
  };
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
