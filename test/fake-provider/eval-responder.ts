/**
 * A scripted "world" for end-to-end runs and the benchmark: a candidate model
 * that answers from a table, and a judge, a faithfulness grader, a question
 * generator and embeddings that behave like the real ones would on those
 * answers. What the judge scores is written in the answer itself
 * (`[score=8]`), so a test reads like the scorecard it expects.
 */
import { createHash } from 'node:crypto';
import {
  type EvalNoise,
  SCORE_TAG,
  drawCriterion,
  drawsFor,
  isOneHot,
  moveScores,
  notch,
  occurrences,
  scoreLogprobs,
  validateNoise,
} from './noise.js';
import type { ChatReply, RecordedRequest, Reply, Responder } from './types.js';
import { geminiLastUserText } from './vertex.js';

export type { EvalNoise } from './noise.js';

export interface EvalScript {
  /** Answer text by the user's input; the default answers "Answer to <input> [score=9]". */
  answers?: Record<string, string> | undefined;
  /** Per model, answers that differ (a candidate that regresses on some inputs). */
  byModel?: Record<string, Record<string, string>> | undefined;
  /** Seeded noise in the agent's answers and the judge's scores (README.md, "The eval world and its noise"); none when absent. */
  noise?: EvalNoise | undefined;
  /** Models that are gone: every request for one gets the vendor's 404 (`model_not_found` / `not_found_error`). */
  gone?: string[] | undefined;
  /** Per judge model, added to every criterion score (kept in 0..10): a judge that scores the same answers lower. */
  judgeOffset?: Record<string, number> | undefined;
}

const REASON = 'scored from the answer';

/** Gemini's `generationConfig` (Vertex), `{}` on the other APIs. */
function geminiConfig(body: Record<string, unknown>): Record<string, unknown> {
  const config = body['generationConfig'];
  return typeof config === 'object' && config !== null ? (config as Record<string, unknown>) : {};
}

function lastUser(body: Record<string, unknown>): string {
  if (Array.isArray(body['contents'])) return geminiLastUserText(body);
  const messages = (body['messages'] ?? []) as { role: string; content: unknown }[];
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.role !== 'user') continue;
    if (typeof m.content === 'string') return m.content;
    if (Array.isArray(m.content)) {
      return m.content.map((p: { text?: string }) => p.text ?? '').join('');
    }
  }
  return '';
}

function schemaName(body: Record<string, unknown>): string | undefined {
  const format = body['response_format'] as { json_schema?: { name?: string } } | undefined;
  if (format?.json_schema?.name) return format.json_schema.name;
  const choice = body['tool_choice'] as { name?: string; function?: { name?: string } } | undefined;
  // Bedrock Converse: `toolConfig.toolChoice.tool.name`.
  const converse = body['toolConfig'] as { toolChoice?: { tool?: { name?: string } } } | undefined;
  // Gemini: the JSON schema is titled with its name (src/providers/vertex/gemini-wire.ts).
  const gemini = geminiConfig(body)['responseJsonSchema'] as { title?: string } | undefined;
  return choice?.name ?? choice?.function?.name ?? converse?.toolChoice?.tool?.name ?? gemini?.title;
}

/** The text between the fence tags labelled `label` in a judge prompt. */
function fenced(prompt: string, label: string): string {
  const match = new RegExp(`<(${label}_[0-9a-f]{16})>\\n([\\s\\S]*?)\\n</\\1>`).exec(prompt);
  return match?.[2] ?? '';
}

function criteriaIds(body: Record<string, unknown>): string[] {
  const schema = JSON.stringify(
    body['response_format'] ??
      geminiConfig(body)['responseJsonSchema'] ??
      body['tools'] ??
      body['toolConfig'] ??
      {},
  );
  const match = /"enum":\[([^\]]*)\]/.exec(schema);
  return match ? (JSON.parse(`[${match[1]}]`) as string[]) : [];
}

/**
 * A responder for `fake.on({}, evalResponder(script))` or the `fallback` option.
 *
 * @example
 * const fake = await startFakeProvider({ fallback: evalResponder({ answers: { Hello: 'Hi! [score=9]' } }) })
 */
export function evalResponder(script: EvalScript = {}): Responder {
  const { noise } = script;
  if (noise !== undefined) validateNoise(noise);
  const gone = new Set(script.gone ?? []);
  /** The question each answer was given for: a generated question is the one that was asked. */
  const askedFor = new Map<string, string>();
  const seen = occurrences();
  return (req: RecordedRequest): Reply => {
    const body = req.body as Record<string, unknown>;
    if (gone.has(req.model)) return modelGone(req);
    if (
      req.api === 'openai.embeddings' ||
      req.api === 'bedrock.embeddings' ||
      req.api === 'vertex.embeddings'
    ) {
      return { embeddings: bagOfWords };
    }
    const name = schemaName(body);
    const prompt = lastUser(body);
    const count = body['n'] ?? geminiConfig(body)['candidateCount'];
    const n = typeof count === 'number' ? count : 1;
    if (name === 'criteria_scores') {
      const qualities = qualitiesIn(fenced(prompt, 'agent_output'));
      const ids = criteriaIds(body);
      const offset = script.judgeOffset?.[req.model ?? ''] ?? 0;
      const perCriterion = ids.map((_, i) =>
        Math.min(10, Math.max(0, qualities[Math.min(i, qualities.length - 1)]! + offset)),
      );
      if (noise !== undefined || !perCriterion.every(Number.isInteger)) {
        const occurrence = seen(`judge\u0000${req.model}\u0000${prompt}`);
        return noisyJudge(req, { prompt, occurrence, n, ids, qualities: perCriterion }, noise ?? { seed: 0 });
      }
      const criteria = ids.map((id, i) => ({ id, reason: REASON, score: perCriterion[i]! }));
      const reply: Reply = {
        json: { criteria },
        ...(wantsLogprobs(body) ? { logprobs: 'auto' as const } : {}),
      };
      return n > 1 ? { choices: Array.from({ length: n }, () => reply) } : reply;
    }
    if (name === 'statements') {
      const answer = fenced(prompt, 'agent_output') || prompt;
      const statements = answer
        .replace(SCORE_TAG, '')
        .split(/(?<=[.!?])\s+/)
        .map((s) => s.trim())
        .filter(Boolean);
      return { json: { statements } };
    }
    if (name === 'verdicts') {
      const statements = JSON.parse(fenced(prompt, 'statements') || '[]') as string[];
      return {
        json: {
          statements: statements.map((statement) => ({
            statement,
            reason: 'checked against the context',
            verdict: statement.includes('[unfaithful]') ? 0 : 1,
          })),
        },
      };
    }
    if (name === 'generated_question') {
      const answer = fenced(prompt, 'agent_output');
      const question = askedFor.get(answer) ?? answer.replace(SCORE_TAG, '').trim();
      const choice: Reply = { json: { question, noncommittal: 0 } };
      return n > 1 ? { choices: Array.from({ length: n }, () => choice) } : choice;
    }
    const model = req.model;
    const written =
      script.byModel?.[model]?.[prompt] ?? script.answers?.[prompt] ?? `Answer to ${prompt} [score=9]`;
    let answer = written;
    if (noise?.agent !== undefined) {
      const occurrence = seen(`agent\u0000${model}\u0000${prompt}`);
      const u = drawsFor(noise.seed, ['agent', model, prompt, occurrence])();
      answer = moveScores(written, notch(u, noise.agent));
    }
    askedFor.set(answer, prompt);
    return { text: answer };
  };
}

/** The qualities a judged answer's `[score=...]` states (5 without one). */
function qualitiesIn(output: string): number[] {
  const tag = SCORE_TAG.exec(output);
  const qualities = (tag?.[1] ?? '5').split(',').map(Number);
  if (qualities.some((q) => Number.isNaN(q))) {
    throw new Error(`evalResponder: ${tag?.[0]} is not a list of numbers; write e.g. [score=8.8,9]`);
  }
  return qualities;
}

/** One judge request: what was judged, how many times the same request came before, the samples asked for. */
interface JudgeCall {
  prompt: string;
  occurrence: number;
  n: number;
  ids: string[];
  qualities: number[];
}

/** The judge's `n` samples with noise, dither and (when asked) token probabilities around the qualities. */
function noisyJudge(req: RecordedRequest, call: JudgeCall, noise: EvalNoise): Reply {
  const body = req.body;
  const topAsked = body['top_logprobs'] ?? geminiConfig(body)['logprobs'];
  const top = typeof topAsked === 'number' ? topAsked : 0;
  const choices = Array.from({ length: call.n }, (_, sample): ChatReply => {
    const draws = call.qualities.map((quality, criterion) =>
      drawCriterion(
        quality,
        noise,
        drawsFor(noise.seed, ['judge', req.model, call.prompt, call.occurrence, sample, criterion]),
      ),
    );
    const json = { criteria: call.ids.map((id, i) => ({ id, reason: REASON, score: draws[i]!.score })) };
    if (!wantsLogprobs(body)) return { json };
    // Logprobs belong to message content: a JSON reply sent as a forced function's arguments has none.
    const inContent =
      body['response_format'] !== undefined || geminiConfig(body)['responseJsonSchema'] !== undefined;
    if (!inContent || draws.every((draw) => isOneHot(draw.distribution))) {
      return { json, logprobs: 'auto' };
    }
    return { json, logprobs: scoreLogprobs(JSON.stringify(json), draws, top) };
  });
  return call.n > 1 ? { choices } : choices[0]!;
}

/** Whether a request asks for token log-probabilities (OpenAI `logprobs`, Gemini `responseLogprobs`). */
function wantsLogprobs(body: Record<string, unknown>): boolean {
  return Boolean(body['logprobs']) || geminiConfig(body)['responseLogprobs'] === true;
}

/** The vendor's answer for a model that does not exist (any more). */
function modelGone(req: RecordedRequest): Reply {
  if (req.api.startsWith('bedrock.')) {
    const message = 'The provided model identifier is invalid.';
    return { fault: { kind: 'status', status: 400, message, errorType: 'ValidationException' } };
  }
  const message =
    req.api === 'anthropic.messages'
      ? `model: ${req.model}`
      : `The model \`${req.model}\` does not exist or you do not have access to it.`;
  return { fault: { kind: 'status', status: 404, message } };
}

/**
 * A bag-of-words embedding (64 hashed word buckets, unit length), so cosine
 * similarity follows word overlap the way real embeddings roughly do.
 */
export function bagOfWords(text: string): number[] {
  const vector = new Array<number>(64).fill(0);
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    const bucket = createHash('md5').update(word).digest().readUInt8(0) % 64;
    vector[bucket]! += 1;
  }
  const norm = Math.hypot(...vector) || 1;
  return vector.map((v) => v / norm);
}
