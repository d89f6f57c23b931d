/**
 * The vendor-neutral shapes of the model-client layer. The agent under test, the
 * judge and the embeddings all speak these; adapters translate them to the
 * official SDKs (`openai`, `@anthropic-ai/sdk`) and back.
 */

/** A JSON Schema object, as sent to a provider for tools and structured output. */
export type JsonSchema = Record<string, unknown>;

/** Provider prefixes of a `provider:model` string. */
export const PROVIDERS = ['openai', 'anthropic', 'azure', 'openai-compatible', 'bedrock', 'vertex'] as const;
export type ProviderName = (typeof PROVIDERS)[number];
/** The prefixes that have an adapter: all of them today (a new prefix may be listed here before its adapter exists). */
export const SUPPORTED_PROVIDERS = [
  'openai',
  'anthropic',
  'azure',
  'openai-compatible',
  'bedrock',
  'vertex',
] as const;
export type SupportedProvider = (typeof SUPPORTED_PROVIDERS)[number];

/** A parsed `provider:model` string. `id` is the original string. */
export interface ModelRef {
  id: string;
  provider: SupportedProvider;
  model: string;
}

export interface ToolSpec {
  name: string;
  description?: string | undefined;
  /** JSON Schema of the arguments object. */
  parameters: JsonSchema;
}

/** One tool call, in one shape whatever the provider. */
export interface ToolCall {
  id: string;
  name: string;
  /** The arguments parsed from JSON; `undefined` when they did not parse (see `rawArguments`). */
  arguments: unknown;
  rawArguments: string;
}

export type ChatMessage =
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string; toolCalls?: ToolCall[] | undefined }
  | { role: 'tool'; content: string; toolCallId: string };

export interface ChatRequest {
  /** `provider:model`, e.g. `anthropic:claude-sonnet-4-6`. */
  model: string;
  system?: string | undefined;
  messages: ChatMessage[];
  tools?: ToolSpec[] | undefined;
  /** `required` forces some tool; `{ name }` forces that tool. */
  toolChoice?: 'auto' | 'required' | 'none' | { name: string } | undefined;
  /**
   * Structured output: the reply must be a JSON object matching `schema`.
   * OpenAI: `response_format: json_schema`; Anthropic: a forced tool named `name`.
   */
  responseSchema?: { name: string; schema: JsonSchema; description?: string | undefined } | undefined;
  temperature?: number | undefined;
  maxTokens?: number | undefined;
  /** Number of samples. One request where the provider has `n` (OpenAI), parallel calls elsewhere. */
  n?: number | undefined;
  /** Ask for token log-probabilities (OpenAI, Gemini on Vertex; ignored elsewhere, see `ChatChoice.logprobs`). */
  logprobs?: { top: number } | undefined;
  /** Stream the reply; it is assembled before it is returned, with `timeToFirstTokenMs`. */
  stream?: boolean | undefined;
  /**
   * Which trial of a repeated case (`repeats: n`) this call belongs to. Part of the
   * cache key, never sent: trial 2's answer is not trial 1's replayed.
   */
  trial?: number | undefined;
  /** Not part of the cache key. */
  signal?: AbortSignal | undefined;
  /** Who is calling, for usage accounting. Not part of the cache key. */
  purpose?: CallPurpose | undefined;
}

export type CallPurpose = 'agent' | 'judge' | 'faithfulness' | 'answer_relevancy' | 'embeddings' | 'probe';

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'refusal' | 'other';

export interface TokenLogprob {
  token: string;
  logprob: number;
  top: { token: string; logprob: number }[];
}

export interface ChatChoice {
  /** The text of the reply (for structured output on Anthropic: the JSON of the forced tool's input). */
  text: string;
  toolCalls: ToolCall[];
  /** With `responseSchema`: the reply parsed as JSON, `undefined` if it did not parse. */
  parsed?: unknown;
  finishReason: FinishReason;
  /** Set when the model refused (OpenAI `refusal`, Anthropic `stop_reason: refusal`). */
  refusal?: string | undefined;
  logprobs?: TokenLogprob[] | undefined;
}

/** Usage and timing of one logical call (all its retries and parallel samples). */
export interface CallUsage {
  inputTokens: number;
  outputTokens: number;
  /** Of `outputTokens`, the reasoning tokens, where the provider reports them (OpenAI `completion_tokens_details`). */
  reasoningTokens?: number | undefined;
  /** Money spent by this call; 0 for a cache hit or a model with no price. */
  costUsd: number;
  /** A call sent to a model with no price: its `costUsd` of 0 is unknown, not free. */
  unpriced?: boolean | undefined;
  latencyMs: number;
  /** Only for streamed calls. */
  timeToFirstTokenMs?: number | undefined;
  /** Retries after faults (429, 5xx, timeouts, resets). */
  retries: number;
  /** Answered from the response cache (a cassette), no request sent. */
  cached: boolean;
  /** Answered from a cassette written by hand, not recorded from a provider. */
  handWritten?: boolean | undefined;
}

export interface ChatResponse {
  model: string;
  choices: ChatChoice[];
  usage: CallUsage;
  requestId?: string | undefined;
}

export interface EmbedRequest {
  /** `provider:model`, e.g. `openai:text-embedding-3-small`. */
  model: string;
  input: string[];
  signal?: AbortSignal | undefined;
  purpose?: CallPurpose | undefined;
}

export interface EmbedResponse {
  model: string;
  vectors: number[][];
  usage: CallUsage;
}

/** Settings of one provider, as written under `providers:` in rubric.yaml. */
export interface ProviderSettings {
  /** Requests per minute; unlimited when absent. */
  rpm?: number | undefined;
  /** Requests in flight at once. */
  max_in_flight?: number | undefined;
  /** In a `--shard` run: requests per minute of each shard, instead of its share `rpm / shards`. */
  shard_rpm?: number | undefined;
  /** In a `--shard` run: requests in flight of each shard, instead of its share `max_in_flight / shards`. */
  shard_max_in_flight?: number | undefined;
  /** Per-attempt timeout in seconds. */
  timeout_s?: number | undefined;
  /** Seconds a call keeps retrying transient faults (429, 5xx, timeouts, resets). */
  retry_budget_s?: number | undefined;
  /** At most this many retries per call, within `retry_budget_s`; no count cap when absent. */
  max_retries?: number | undefined;
  /** Base URL; overrides the environment. */
  base_url?: string | undefined;
  /** Name of an environment variable holding the base URL. */
  base_url_env?: string | undefined;
  /** Name of an environment variable holding the API key. */
  api_key_env?: string | undefined;
  /** Azure: API version. */
  api_version?: string | undefined;
  /** Bedrock: the AWS region (else `AWS_REGION`, then `AWS_DEFAULT_REGION`). */
  region?: string | undefined;
  /** Vertex: the Google Cloud project; `GOOGLE_CLOUD_PROJECT` when absent. */
  project?: string | undefined;
  /** Vertex: the location (`global`, `us-east5`, ...); `GOOGLE_CLOUD_LOCATION`, else `global`, when absent. */
  location?: string | undefined;
}

/** Price of a model in US dollars per million tokens. */
export interface Price {
  input_per_mtok: number;
  output_per_mtok: number;
}

export type CacheMode = 'auto' | 'record' | 'replay' | 'off';

/** Totals over every call a client made, for the scorecard's `usage`. */
export interface UsageTotals {
  calls: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  cached_calls: number;
  retries: number;
  by_purpose: Partial<Record<CallPurpose, { calls: number; input_tokens: number; output_tokens: number }>>;
}

/** The one client every model call goes through. */
export interface ModelClient {
  chat(request: ChatRequest): Promise<ChatResponse>;
  embed(request: EmbedRequest): Promise<EmbedResponse>;
  usage(): UsageTotals;
  /** Write pending cache entries. Safe to call more than once. */
  flush(): Promise<void>;
}
