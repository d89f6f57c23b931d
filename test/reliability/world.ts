/**
 * The fixture world of the reliability suite: a generated case set (every
 * fourth case with a context, so faithfulness, answer relevancy and embeddings
 * are exercised too), the rubric that qualifies it, and the scripted answers.
 */
import type { EvalScript } from '../fake-provider/eval-responder.js';
import type { Scorecard } from '../../src/scorecard/types.js';
import { stable } from '../e2e/harness.js';

/**
 * Requests a cold run of `n` generated cases makes: an agent and a judge call
 * each, and 4 more for every case with a context.
 *
 * @example
 * expect(fake.stats.requests).toBe(coldRequests(80)) // 240
 */
export function coldRequests(n: number, options: { context?: boolean } = {}): number {
  const withContext = options.context === false ? 0 : Math.ceil(n / 4);
  return n * 2 + withContext * 4;
}

/** Case ids of a generated set: `case-00`, `case-01`, ... */
export function caseIds(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `case-${String(i).padStart(2, '0')}`);
}

/** The input of generated case `i`. */
export const question = (i: number): string => `Question number ${i}`;

/**
 * A case file of `n` cases. Every fourth case has a context (faithfulness and
 * answer relevancy are scored: 4 more model calls) unless `context` is false;
 * tags alternate.
 *
 * @example
 * await project.write('eval/cases.yaml', manyCases(80))
 */
export function manyCases(n: number, options: { context?: boolean } = {}): string {
  const lines = ['cases:'];
  caseIds(n).forEach((id, i) => {
    lines.push(`  - id: ${id}`, `    tags: [${i % 2 === 0 ? 'even' : 'odd'}]`, `    input: "${question(i)}"`);
    if (options.context !== false && i % 4 === 0)
      lines.push(`    context: ["Fact ${i}: returns are accepted within ${i} days."]`);
    lines.push('    criteria: [{ id: correct, text: "Correct" }, { id: brief, text: "Brief" }]');
  });
  return `${lines.join('\n')}\n`;
}

/**
 * Answers of model A for `n` generated cases: scores 5..9 by case, so cases differ.
 *
 * @example
 * startFakeProvider({ fallback: evalResponder(worldScript(80)) })
 */
export function worldScript(n: number): EvalScript {
  const answers: Record<string, string> = {};
  for (let i = 0; i < n; i++) {
    answers[question(i)] = `Returns are accepted within ${i} days. [score=${5 + (i % 5)},9]`;
  }
  return { answers };
}

/** Provider settings for rubric.yaml; the shipped defaults where absent. */
export interface ProviderLimits {
  max_retries?: number;
  timeout_s?: number;
  max_in_flight?: number;
}

/**
 * A rubric for the generated world: one judge sample, every threshold low
 * enough that a fault-free run passes. With no limits, no `providers:` key: the
 * shipped provider defaults.
 *
 * @example
 * rubric({ max_retries: 1, timeout_s: 5 })
 * rubric({}) // the defaults
 */
export function rubric(limits: ProviderLimits, extra = ''): string {
  const settings = Object.entries(limits).map(([key, value]) => `${key}: ${String(value)}`);
  const providers = settings.length === 0 ? '' : `providers: { openai: { ${settings.join(', ')} } }\n`;
  return `model_primary: openai:model-a
judge: openai:judge-1
embeddings: openai:embed-1
system_prompt: Answer briefly.
judge_samples: 1
thresholds: { rubric_min_score: 0.5, ragas: 0.5, max_per_case_regression: 3 }
${providers}${extra}`;
}

/**
 * A scorecard without what legitimately differs between two runs of the same
 * cases: what `stable()` removes (dates, durations, latencies), the retry
 * counts (a fault-free run has none) and what a second pass adds: its record
 * and the usage of the first pass, in the cases that ran twice and in the totals.
 *
 * @example
 * expect(comparable(faulty)).toEqual(comparable(clean, faulty.second_pass?.cases))
 */
export function comparable(
  card: Scorecard,
  ranTwice: readonly string[] = card.second_pass?.cases ?? [],
): unknown {
  const twice = new Set(ranTwice);
  const { retries: _retries, ...usage } = card.usage;
  const { second_pass: _again, ...rest } = card;
  return stable({
    ...rest,
    usage: twice.size > 0 ? '<both passes>' : usage,
    cases: card.cases.map((c) => {
      const { retries: _caseRetries, ...caseUsage } = c.usage;
      const { second_pass: _twice, ...result } = c;
      return { ...result, usage: twice.has(c.id) ? '<both passes>' : caseUsage };
    }),
  } as Scorecard);
}

/**
 * A provider error's message with the time its retries took (`over 0.3 s;`) replaced by `over <s>;`:
 * the backoff is jittered, so the seconds differ from run to run.
 *
 * @example
 * withoutSeconds('gave up after 2 attempts over 0.3 s; retry') // 'gave up after 2 attempts over <s>; retry'
 */
export function withoutSeconds(text: string): string {
  return text.replace(/ over \d+(\.\d)? s;/g, ' over <s>;');
}

/** What the message of a provider error that spent `providers.<provider>.max_retries` ends with. */
export const capped = (provider: string, maxRetries: number): string =>
  `; providers.${provider}.max_retries is ${maxRetries}: gave up after ${maxRetries + 1} attempts over <s>; ` +
  'retry when the provider has recovered, or remove max_retries to retry for the whole retry_budget_s';
