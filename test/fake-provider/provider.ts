/**
 * The running fake provider as tests hold it: its options, rule options,
 * counters and methods.
 */
import type { FakeListedModel, ModelListOptions, ModelListRequest } from './models-list.js';
import type { Api, FaultPlan, Match, RecordedRequest, Reply, Responder } from './types.js';

/**
 * Options of `startFakeProvider`; `reset()` returns to them.
 *
 * @example
 * await startFakeProvider({ latencyMs: 20, seed: 7, faults: { rate429: 0.1 }, fallback: echoResponder });
 */
export interface FakeProviderOptions {
  /** Milliseconds every request waits before it is answered. Default 0. */
  latencyMs?: number;
  faults?: FaultPlan;
  /** Seed of the fault PRNG. Default 1. */
  seed?: number;
  /** Answers requests no rule matches. Default: a 400 naming the api and model. */
  fallback?: Responder;
}

/**
 * How long a rule lives and how slowly it answers.
 *
 * @example
 * fake.on({}, { fault: { kind: 'status', status: 503 } }, { times: 2, latencyMs: 50 });
 */
export interface RuleOptions {
  /** The rule answers this many requests, then is dropped. Default: unlimited. */
  times?: number;
  /** Replaces the server latency for requests this rule answers. */
  latencyMs?: number;
}

/**
 * Counters since start or the last `reset()`. `faults` is keyed by status code
 * (`'429'`) or fault kind (`'hang'`), counting every fault the plan or a rule
 * served (not the fallback's, such as the default "no scripted reply" 400).
 *
 * @example
 * expect(fake.stats.faults).toEqual({ '429': 2, hang: 1 });
 */
export interface FakeProviderStats {
  requests: number;
  byApi: Record<Api, number>;
  inFlight: number;
  peakInFlight: number;
  faults: Record<string, number>;
}

/**
 * A running fake provider. Point the official SDKs at it by base URL.
 *
 * @example
 * const fake = await startFakeProvider();
 * fake.on({ api: 'openai.chat' }, { text: 'hello' });
 * const openai = new OpenAI({ baseURL: fake.openaiBaseURL, apiKey: 'sk-test', maxRetries: 0 });
 * await fake.close();
 */
export interface FakeProvider {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** `url + '/v1'`, for `OPENAI_BASE_URL`. */
  readonly openaiBaseURL: string;
  /** `url`, for `ANTHROPIC_BASE_URL`. */
  readonly anthropicBaseURL: string;
  /** `url`, for `AZURE_OPENAI_ENDPOINT`. */
  readonly azureEndpoint: string;
  /** `url`, for `AWS_ENDPOINT_URL_BEDROCK_RUNTIME` and `AWS_ENDPOINT_URL_BEDROCK` (or `providers.bedrock.base_url`). */
  readonly bedrockEndpoint: string;
  /** `url`, for `providers.vertex.base_url` (with credentials from `externalAccountCredentials`). */
  readonly vertexBaseURL: string;
  /** Adds a rule. Rules are tried in the order added; the first that matches answers. */
  on(match: Match, reply: Reply | Responder, options?: RuleOptions): this;
  setFaults(plan: FaultPlan | undefined): void;
  setLatency(ms: number): void;
  /**
   * What `GET /v1/models` lists to `vendor` (both when absent), in its shape: a request with an
   * `anthropic-version` header is Anthropic's. `pageSize` caps an Anthropic page. Empty until set;
   * `reset()` empties both.
   */
  setModels(models: FakeListedModel[], options?: ModelListOptions): void;
  /** Every `GET /v1/models` answered, in order. */
  readonly modelListRequests: readonly ModelListRequest[];
  /** Drops rules, counters and recorded requests; latency, faults and the PRNG go back to the start options. */
  reset(): void;
  readonly requests: readonly RecordedRequest[];
  /** A snapshot of the counters. */
  readonly stats: FakeProviderStats;
  /** Stops listening and destroys open sockets, hanging requests included. */
  close(): Promise<void>;
}
