import { z } from 'zod';
import type { Price, ProviderSettings } from '../../providers/types.js';
import { modelString } from './common.js';

const envName = (description: string) =>
  z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'must be an environment variable name, e.g. MY_GATEWAY_KEY' })
    .optional()
    .meta({ description });

/**
 * Settings of one provider under `providers:` (the `ProviderSettings` interface).
 *
 * @example
 * ProviderSettingsSchema.parse({ rpm: 50, timeout_s: 60, retry_budget_s: 240 })
 */
export const ProviderSettingsSchema = z.strictObject({
  rpm: z.number().gt(0).optional().meta({ description: 'Requests per minute; unlimited when absent.' }),
  max_in_flight: z.int().min(1).optional().meta({ description: 'Requests in flight at once.' }),
  shard_rpm: z.number().gt(0).optional().meta({
    description:
      'In a --shard run: requests per minute of each shard. Default: its share, floor(rpm / shards).',
  }),
  shard_max_in_flight: z.int().min(1).optional().meta({
    description:
      'In a --shard run: requests in flight of each shard. Default: its share, floor(max_in_flight / shards), at least 1.',
  }),
  timeout_s: z.number().gt(0).optional().meta({ description: 'Per-attempt timeout in seconds.' }),
  retry_budget_s: z.number().gt(0).optional().meta({
    description:
      'Seconds a call keeps retrying transient faults (429, 5xx, timeouts, resets), from its first attempt; default 240.',
  }),
  max_retries: z.int().min(0).optional().meta({
    description: 'At most this many retries per call, within retry_budget_s; no count cap when absent.',
  }),
  base_url: z
    .url({ protocol: /^https?$/, error: 'must be an http or https URL' })
    .optional()
    .meta({ description: 'Base URL; overrides the environment.' }),
  base_url_env: envName('Name of an environment variable holding the base URL.'),
  api_key_env: envName('Name of an environment variable holding the API key.'),
  api_version: z.string().min(1).optional().meta({ description: 'Azure: the API version.' }),
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, { error: 'must be an AWS region, e.g. us-east-1' })
    .optional()
    .meta({ description: 'Bedrock: the AWS region; else AWS_REGION, then AWS_DEFAULT_REGION.' }),
  project: z
    .string()
    .regex(/^([a-z0-9.-]+:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$/, {
      error: 'must be a Google Cloud project id, e.g. my-project-123',
    })
    .optional()
    .meta({ description: 'Vertex: the Google Cloud project id; GOOGLE_CLOUD_PROJECT when absent.' }),
  location: z
    .string()
    .regex(/^[a-z0-9-]+$/, { error: 'must be a Vertex location, e.g. global or us-east5' })
    .optional()
    .meta({
      description:
        'Vertex: the location, e.g. global or us-east5 (Claude needs a region); GOOGLE_CLOUD_LOCATION, else global, when absent.',
    }),
});

const settings = ProviderSettingsSchema.optional();

/**
 * `providers:` keyed by provider prefix; an unknown prefix is an error with a did-you-mean.
 *
 * @example
 * ProvidersSchema.parse({ anthropic: { rpm: 50 } })
 */
export const ProvidersSchema = z
  .strictObject({
    openai: settings,
    anthropic: settings,
    azure: settings,
    'openai-compatible': settings,
    bedrock: settings,
    vertex: settings,
  })
  .meta({
    description: 'Per provider: rate limits, timeout, retries, base URL and key environment variables.',
  });

/**
 * `prices:` keyed by `provider:model`, in US dollars per million tokens.
 *
 * @example
 * PricesSchema.parse({ 'openai:gpt-5': { input_per_mtok: 1.25, output_per_mtok: 10 } })
 */
export const PricesSchema = z
  .record(
    modelString('A provider:model string.'),
    z.strictObject({
      input_per_mtok: z.number().min(0).meta({ description: 'US dollars per million input tokens.' }),
      output_per_mtok: z.number().min(0).meta({ description: 'US dollars per million output tokens.' }),
    }),
  )
  .meta({ description: 'Model prices for the cost column, keyed by provider:model.' });

// The schemas must produce what the client layer's interfaces describe.
type Assignable<T, U extends T> = U;
type _SettingsMatch = Assignable<ProviderSettings, z.output<typeof ProviderSettingsSchema>>;
type _PriceMatch = Assignable<Price, z.output<typeof PricesSchema>[string]>;
