/**
 * Random faults from a `FaultPlan`: pure, given the PRNG draw.
 * @internal
 */
import { mulberry32 } from './prng.js';
import { modelMatches } from './rules.js';
import type { Fault, FaultPlan, RecordedRequest } from './types.js';

/**
 * Whether a plan applies to a request (its `apis` and `models` filters).
 *
 * @example
 * planApplies({ apis: ['openai.chat'] }, req);
 */
export function planApplies(plan: FaultPlan, req: RecordedRequest): boolean {
  if (plan.apis !== undefined && !plan.apis.includes(req.api)) return false;
  if (plan.models === undefined) return true;
  return plan.models.some((pattern) => modelMatches(pattern, req.model));
}

/**
 * The fault a draw in [0, 1) picks: the rates are laid end to end in the order
 * 429, 503, hang, reset, malformed; a draw past them all picks none.
 *
 * @example
 * faultForDraw({ rate429: 0.5 }, 0.25); // { kind: 'status', status: 429 }
 * faultForDraw({ rate429: 0.5 }, 0.75); // undefined
 */
export function faultForDraw(plan: FaultPlan, draw: number): Fault | undefined {
  const retryAfter = plan.retryAfterS === undefined ? {} : { retryAfterS: plan.retryAfterS };
  const table: [number | undefined, Fault][] = [
    [plan.rate429, { kind: 'status', status: 429, ...retryAfter }],
    [plan.rate503, { kind: 'status', status: 503 }],
    [plan.rateHang, { kind: 'hang' }],
    [plan.rateReset, { kind: 'reset' }],
    [plan.rateMalformed, { kind: 'malformed' }],
  ];
  let edge = 0;
  for (const [rate, fault] of table) {
    edge += rate ?? 0;
    if (draw < edge) return fault;
  }
  return undefined;
}

/**
 * The key a fault is counted under in `stats.faults`: the status code, or the kind.
 *
 * @example
 * faultKey({ kind: 'status', status: 429 }); // '429'
 */
export function faultKey(fault: Fault): string {
  return fault.kind === 'status' ? String(fault.status) : fault.kind;
}

/**
 * The faults a plan seeded with `seed` injects before `answers` requests get
 * through, when every faulted request is retried until it is answered: the fake
 * draws once per request in arrival order, so which request gets which draw
 * depends on timing, but how many draws a run takes, and how many of each fault,
 * does not.
 *
 * @example
 * faultsBeforeAnswers({ rate429: 0.3, rate503: 0.1 }, 14, 2000); // { '429': ..., '503': ... }
 */
export function faultsBeforeAnswers(plan: FaultPlan, seed: number, answers: number): Record<string, number> {
  const next = mulberry32(seed);
  const faults: Record<string, number> = {};
  for (let answered = 0; answered < answers;) {
    const fault = faultForDraw(plan, next());
    if (fault === undefined) answered += 1;
    else faults[faultKey(fault)] = (faults[faultKey(fault)] ?? 0) + 1;
  }
  return faults;
}
