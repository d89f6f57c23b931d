/**
 * What the demo server answers: no model, only rules a reader can check. The agent answers each
 * case with its reference answer (else its context, else an echo of the question); the judge gives
 * every criterion 9 and says it is the demo; faithfulness checks each sentence against the context
 * by word overlap; answer relevancy gives back the question the answer was given for; embeddings
 * are hashed bags of words. Deterministic within a run, and pure apart from that one memory.
 */
import { createHash } from 'node:crypto';

/** One case as the demo agent knows it: what was asked, and what the case file says a good answer is. */
export interface DemoCase {
  /** The case input, or the last user message of its `messages`. */
  input: string;
  reference?: string | undefined;
  context?: readonly string[] | undefined;
}

/** A chat request, read from either wire: the last user message and the structured output asked for. */
export interface DemoChat {
  user: string;
  /** `response_format.json_schema.name` (OpenAI) or the forced tool (Anthropic). */
  schemaName?: string | undefined;
  schema?: Record<string, unknown> | undefined;
}

/** A reply: text for the agent, a JSON object for structured output. */
export type DemoReply = { text: string } | { json: Record<string, unknown> };

/** The judge's score for every criterion, on its 0..10 scale: `DEMO_SCORE / 10` is 0.9, above the seed 0.82. */
export const DEMO_SCORE = 9;

/** Dimensions of a demo embedding. */
const DIMENSIONS = 64;

/**
 * The demo "model" behind every route.
 *
 * @example
 * const demo = new DemoAnswers([{ input: 'Can I return shoes?', reference: 'Within 30 days, yes.' }])
 * demo.chat({ user: 'Can I return shoes?' }) // { text: 'Within 30 days, yes.' }
 */
export class DemoAnswers {
  /** The question each agent answer was given for: what the relevancy question generator gives back. */
  private readonly askedFor = new Map<string, string>();

  constructor(private readonly cases: readonly DemoCase[]) {}

  /**
   * The reply to one chat request: by the structured output it asks for, else the agent's answer.
   *
   * @example
   * demo.chat({ user: '...', schemaName: 'criteria_scores', schema }) // { json: { criteria: [...] } }
   */
  chat(request: DemoChat): DemoReply {
    switch (request.schemaName) {
      case 'criteria_scores':
        return { json: { criteria: this.judge(request) } };
      case 'statements':
        return { json: { statements: sentences(fenced(request.user, 'agent_output')) } };
      case 'verdicts':
        return { json: { statements: this.verdicts(request.user) } };
      case 'generated_question':
        return { json: this.question(fenced(request.user, 'agent_output')) };
      case undefined:
        return { text: this.answer(request.user) };
      default:
        // Someone else's structured output (the user's agent): an empty object of that name.
        return { json: {} };
    }
  }

  /**
   * A unit-length bag-of-words vector: texts that share words point the same way.
   *
   * @example
   * new DemoAnswers([]).embed('30 days').length // 64
   */
  embed(text: string): number[] {
    const vector = new Array<number>(DIMENSIONS).fill(0);
    for (const word of words(text)) {
      vector[createHash('sha256').update(word).digest().readUInt8(0) % DIMENSIONS]! += 1;
    }
    const norm = Math.hypot(...vector) || 1;
    return vector.map((v) => v / norm);
  }

  private answer(user: string): string {
    // The case whose input the request carries (an agent may wrap it in its own prompt); the longest wins.
    const found = [...this.cases]
      .filter((c) => c.input !== '' && user.includes(c.input))
      .sort((a, b) => b.input.length - a.input.length)[0];
    const answer =
      found?.reference ??
      found?.context?.join(' ') ??
      `Demo answer to "${found?.input ?? user}": the demo server repeats the question, it does not answer it.`;
    this.askedFor.set(answer, found?.input ?? user);
    return answer;
  }

  private judge(request: DemoChat): { id: string; reason: string; score: number }[] {
    return criteriaIds(request).map((id) => ({
      id,
      reason: `qualify demo: no model judged this answer; every criterion gets ${DEMO_SCORE}`,
      score: DEMO_SCORE,
    }));
  }

  private verdicts(prompt: string): { statement: string; reason: string; verdict: number }[] {
    const context = new Set(words(fenced(prompt, 'context')));
    const statements = JSON.parse(fenced(prompt, 'statements') || '[]') as string[];
    return statements.map((statement) => {
      const own = words(statement);
      const shared = own.filter((w) => context.has(w)).length;
      const supported = own.length > 0 && shared / own.length >= 0.5;
      return {
        statement,
        reason: `qualify demo: ${shared} of its ${own.length} words are in the context`,
        verdict: supported ? 1 : 0,
      };
    });
  }

  private question(answer: string): { question: string; noncommittal: number } {
    return {
      question: this.askedFor.get(answer) ?? `What can you tell me about this: ${answer}?`,
      noncommittal: answer.trim() === '' ? 1 : 0,
    };
  }
}

/** The text of the block fenced with `label` in a scorer prompt (src/scorers/fence.ts). */
function fenced(prompt: string, label: string): string {
  const match = new RegExp(`<(${label}_[0-9a-f]{16})>\\n([\\s\\S]*?)\\n</\\1>`).exec(prompt);
  return match?.[2] ?? '';
}

/** The judge's criteria ids: the enum of the schema sent, else the `- id "..."` lines of the prompt. */
function criteriaIds(request: DemoChat): string[] {
  const enumMatch = /"id":\{"type":"string","enum":(\[[^\]]*\])/.exec(JSON.stringify(request.schema ?? {}));
  if (enumMatch) return JSON.parse(enumMatch[1]!) as string[];
  return [...request.user.matchAll(/^- id ("(?:[^"\\]|\\.)*"):/gm)].map((m) => JSON.parse(m[1]!) as string);
}

function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function words(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
}
