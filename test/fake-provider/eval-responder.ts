/**
 * A scripted "world" for end-to-end runs and the benchmark: a candidate model
 * that answers from a table, and a judge, a faithfulness grader, a question
 * generator and embeddings that behave like the real ones would on those
 * answers. What the judge scores is written in the answer itself
 * (`[score=8]`), so a test reads like the scorecard it expects.
 */
import { createHash } from 'node:crypto';
import type { RecordedRequest, Reply, Responder } from './types.js';

export interface EvalScript {
  /** Answer text by the user's input; the default answers "Answer to <input> [score=9]". */
  answers?: Record<string, string> | undefined;
  /** Per model, answers that differ (a candidate that regresses on some inputs). */
  byModel?: Record<string, Record<string, string>> | undefined;
  /** Per judge model, added to every criterion score (kept in 0..10): a judge that scores the same answers lower. */
  judgeOffset?: Record<string, number> | undefined;
}

/** `[score=9]` scores every criterion 9; `[score=9,8]` scores them in order. */
const SCORE = /\[score=([\d,]+)\]/;

function lastUser(body: Record<string, unknown>): string {
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
  return choice?.name ?? choice?.function?.name;
}

/** The text between the fence tags labelled `label` in a judge prompt. */
function fenced(prompt: string, label: string): string {
  const match = new RegExp(`<(${label}_[0-9a-f]{16})>\\n([\\s\\S]*?)\\n</\\1>`).exec(prompt);
  return match?.[2] ?? '';
}

function criteriaIds(body: Record<string, unknown>): string[] {
  const schema = JSON.stringify(body['response_format'] ?? body['tools'] ?? {});
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
  /** The question each answer was given for: a generated question is the one that was asked. */
  const askedFor = new Map<string, string>();
  return (req: RecordedRequest): Reply => {
    const body = req.body as Record<string, unknown>;
    if (req.api === 'openai.embeddings') {
      return { embeddings: bagOfWords };
    }
    const name = schemaName(body);
    const prompt = lastUser(body);
    const n = typeof body['n'] === 'number' ? body['n'] : 1;
    if (name === 'criteria_scores') {
      const output = fenced(prompt, 'agent_output');
      const offset = script.judgeOffset?.[req.model] ?? 0;
      const scores = (SCORE.exec(output)?.[1] ?? '5')
        .split(',')
        .map((s) => Math.min(10, Math.max(0, Number(s) + offset)));
      const criteria = criteriaIds(body).map((id, i) => ({
        id,
        reason: 'scored from the answer',
        score: scores[Math.min(i, scores.length - 1)]!,
      }));
      const reply: Reply = { json: { criteria }, ...(body['logprobs'] ? { logprobs: 'auto' as const } : {}) };
      return n > 1 ? { choices: Array.from({ length: n }, () => reply) } : reply;
    }
    if (name === 'statements') {
      const answer = fenced(prompt, 'agent_output') || prompt;
      const statements = answer
        .replace(SCORE, '')
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
      const question = askedFor.get(answer) ?? answer.replace(SCORE, '').trim();
      const choice: Reply = { json: { question, noncommittal: 0 } };
      return n > 1 ? { choices: Array.from({ length: n }, () => choice) } : choice;
    }
    const model = req.model ?? '';
    const answer =
      script.byModel?.[model]?.[prompt] ?? script.answers?.[prompt] ?? `Answer to ${prompt} [score=9]`;
    askedFor.set(answer, prompt);
    return { text: answer };
  };
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
