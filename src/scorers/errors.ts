import { QualifyError } from '../errors.js';

/** Which model-graded scorer asked. */
export type ScorerName = 'judge' | 'faithfulness' | 'answer_relevancy';

/** How much of a bad reply an error quotes. */
export const REPLY_QUOTE_CHARS = 300;

/**
 * A judge model answered, but never with a usable reply (not JSON, wrong shape, a
 * criterion missing or repeated, a score out of range, cut off by the token limit),
 * even after the retries. The case is reported as `error`, never scored: a bad
 * answer from the judge says nothing about the model under test.
 *
 * @example
 * try { await judgeCase(deps, c, out) } catch (e) {
 *   if (e instanceof JudgeReplyError) console.error(e.reply) // the judge's words, truncated
 * }
 */
export class JudgeReplyError extends QualifyError {
  readonly scorer: ScorerName;
  readonly model: string;
  /** What was wrong with the last reply. */
  readonly problem: string;
  /** The last reply, truncated to about 300 characters. */
  readonly reply: string;
  /** Requests made, first try included. */
  readonly attempts: number;

  constructor(details: {
    scorer: ScorerName;
    model: string;
    problem: string;
    reply: string;
    attempts: number;
  }) {
    const reply = quoteReply(details.reply);
    super(
      'E_JUDGE_REPLY',
      `${details.scorer} reply from ${details.model} unusable after ${details.attempts} attempts: ` +
        `${details.problem}; reply: ${JSON.stringify(reply)}. ` +
        'Pin a judge model that supports structured output in rubric.yaml, or re-run if it is intermittent.',
    );
    this.scorer = details.scorer;
    this.model = details.model;
    this.problem = details.problem;
    this.reply = reply;
    this.attempts = details.attempts;
  }
}

/**
 * A reply shortened for quoting: at most `REPLY_QUOTE_CHARS` characters, with `…` when cut.
 *
 * @example
 * quoteReply('x'.repeat(400)).length // 301
 */
export function quoteReply(text: string): string {
  return text.length > REPLY_QUOTE_CHARS ? `${text.slice(0, REPLY_QUOTE_CHARS)}…` : text;
}
