/**
 * Scripted rules: the first rule that matches a request answers it; a rule with
 * `times` is dropped once it has answered that many.
 * @internal
 */
import type { RuleOptions } from './provider.js';
import type { Match, RecordedRequest, Reply, Responder } from './types.js';

interface Rule {
  match: Match;
  reply: Reply | Responder;
  latencyMs: number | undefined;
  remaining: number;
}

/** What a matching rule gives: the reply (or responder) and its own latency, if set. */
export interface RuleHit {
  reply: Reply | Responder;
  latencyMs: number | undefined;
}

/**
 * Whether a model name matches a string or RegExp (a global RegExp's `lastIndex` is ignored).
 *
 * @example
 * modelMatches(/^gpt-/, 'gpt-5'); // true
 */
export function modelMatches(pattern: string | RegExp, model: string): boolean {
  if (typeof pattern === 'string') return pattern === model;
  pattern.lastIndex = 0;
  return pattern.test(model);
}

/**
 * Whether a request satisfies every field of a match.
 *
 * @example
 * matches({ api: 'openai.chat' }, req);
 */
export function matches(match: Match, req: RecordedRequest): boolean {
  if (match.api !== undefined && match.api !== req.api) return false;
  if (match.model !== undefined && !modelMatches(match.model, req.model)) return false;
  return match.where === undefined || match.where(req);
}

/**
 * The ordered rules of one fake server.
 *
 * @example
 * const book = new RuleBook();
 * book.add({ api: 'openai.chat' }, { text: 'hi' }, { times: 1 });
 * book.take(req); // { reply: { text: 'hi' }, latencyMs: undefined }, then undefined
 */
export class RuleBook {
  #rules: Rule[] = [];

  add(match: Match, reply: Reply | Responder, options: RuleOptions = {}): void {
    const times = options.times ?? Number.POSITIVE_INFINITY;
    if (!(times >= 1)) throw new RangeError(`fake provider: rule times must be at least 1, got ${times}`);
    this.#rules.push({ match, reply, latencyMs: options.latencyMs, remaining: times });
  }

  /** Finds the first matching rule, consumes one of its uses, and returns its reply. */
  take(req: RecordedRequest): RuleHit | undefined {
    const index = this.#rules.findIndex((rule) => matches(rule.match, req));
    const rule = this.#rules[index];
    if (rule === undefined) return undefined;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.#rules.splice(index, 1);
    return { reply: rule.reply, latencyMs: rule.latencyMs };
  }

  clear(): void {
    this.#rules = [];
  }
}
