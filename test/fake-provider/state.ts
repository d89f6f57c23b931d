/**
 * The state of one fake server, without I/O: rules, the fault plan and its PRNG,
 * latency, counters and recorded requests, and the choice of how to answer.
 * @internal
 */
import type { ModelList, ModelListRequest } from './models-list.js';
import { faultForDraw, faultKey, planApplies } from './fault-plan.js';
import { mulberry32 } from './prng.js';
import { noScriptResponder } from './responders.js';
import { RuleBook } from './rules.js';
import type { FakeProviderOptions, FakeProviderStats } from './provider.js';
import {
  APIS,
  type Api,
  type Fault,
  type FaultPlan,
  type RecordedRequest,
  type Reply,
  type Responder,
} from './types.js';

/** How a request will be answered, after how long, and by whom (faults from the fallback are not counted). */
export interface Decision {
  reply: Reply | Responder;
  latencyMs: number;
  source: 'plan' | 'rule' | 'fallback';
}

const RATES = ['rate429', 'rate503', 'rateHang', 'rateReset', 'rateMalformed'] as const;

/**
 * Throws a `RangeError` for a plan whose rates are not in [0, 1] or add up past 1.
 *
 * @example
 * validatePlan({ rate429: 0.7, rate503: 0.7 }); // throws
 */
export function validatePlan(plan: FaultPlan): void {
  let total = 0;
  for (const key of RATES) {
    const rate = plan[key] ?? 0;
    if (!(rate >= 0 && rate <= 1))
      throw new RangeError(`fake provider: ${key} must be in [0, 1], got ${rate}`);
    total += rate;
  }
  if (total > 1 + 1e-9)
    throw new RangeError(`fake provider: fault rates add up to ${total}; keep the sum <= 1`);
}

function validateLatency(ms: number): number {
  if (!(ms >= 0 && Number.isFinite(ms)))
    throw new RangeError(`fake provider: latency must be >= 0 ms, got ${ms}`);
  return ms;
}

function zeroByApi(): Record<Api, number> {
  return Object.fromEntries(APIS.map((api) => [api, 0])) as Record<Api, number>;
}

/**
 * @example
 * const state = new FakeState({ seed: 7 });
 * state.record(req);
 * state.decide(req); // { reply: noScriptResponder, latencyMs: 0, source: 'fallback' }
 */
export class FakeState {
  readonly rules = new RuleBook();
  readonly #options: FakeProviderOptions;
  readonly #fallback: Responder;
  #requests: RecordedRequest[] = [];
  #seq = 0;
  #next: () => number;
  #plan: FaultPlan | undefined;
  #latencyMs: number;
  #byApi = zeroByApi();
  #faults: Record<string, number> = {};
  #inFlight = 0;
  #peak = 0;
  /** What `GET /v1/models` lists (models-list.ts), and the list requests answered. */
  modelLists: Partial<Record<ModelListRequest['vendor'], ModelList>> = {};
  modelListRequests: ModelListRequest[] = [];

  constructor(options: FakeProviderOptions) {
    this.#options = options;
    this.#fallback = options.fallback ?? noScriptResponder;
    if (options.faults !== undefined) validatePlan(options.faults);
    this.#plan = options.faults;
    this.#latencyMs = validateLatency(options.latencyMs ?? 0);
    this.#next = mulberry32(options.seed ?? 1);
  }

  get requests(): readonly RecordedRequest[] {
    return this.#requests;
  }

  /** The next request sequence number (1, 2, ...), for request and response ids. */
  nextSeq(): number {
    this.#seq += 1;
    return this.#seq;
  }

  setFaults(plan: FaultPlan | undefined): void {
    if (plan !== undefined) validatePlan(plan);
    this.#plan = plan;
  }

  setLatency(ms: number): void {
    this.#latencyMs = validateLatency(ms);
  }

  record(req: RecordedRequest): void {
    this.#requests.push(req);
    this.#byApi[req.api] += 1;
  }

  enter(): void {
    this.#inFlight += 1;
    this.#peak = Math.max(this.#peak, this.#inFlight);
  }

  leave(): void {
    this.#inFlight -= 1;
  }

  countFault(fault: Fault): void {
    const key = faultKey(fault);
    this.#faults[key] = (this.#faults[key] ?? 0) + 1;
  }

  /** A random fault from the plan (one PRNG draw per eligible request), else the first matching rule, else the fallback. */
  decide(req: RecordedRequest): Decision {
    if (this.#plan !== undefined && planApplies(this.#plan, req)) {
      const fault = faultForDraw(this.#plan, this.#next());
      if (fault !== undefined) return { reply: { fault }, latencyMs: this.#latencyMs, source: 'plan' };
    }
    const hit = this.rules.take(req);
    if (hit !== undefined)
      return { reply: hit.reply, latencyMs: hit.latencyMs ?? this.#latencyMs, source: 'rule' };
    return { reply: this.#fallback, latencyMs: this.#latencyMs, source: 'fallback' };
  }

  stats(): FakeProviderStats {
    return {
      requests: this.#requests.length,
      byApi: { ...this.#byApi },
      inFlight: this.#inFlight,
      peakInFlight: this.#peak,
      faults: { ...this.#faults },
    };
  }

  /** Back to the start options: no rules, no requests, zero counters, the PRNG re-seeded. In-flight requests stay counted. */
  reset(): void {
    this.rules.clear();
    this.#requests = [];
    this.#seq = 0;
    this.#next = mulberry32(this.#options.seed ?? 1);
    this.#plan = this.#options.faults;
    this.#latencyMs = this.#options.latencyMs ?? 0;
    this.#byApi = zeroByApi();
    this.#faults = {};
    this.#peak = this.#inFlight;
    this.modelLists = {};
    this.modelListRequests = [];
  }
}
