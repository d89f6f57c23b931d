import type { ProviderSettings, SupportedProvider } from '../../providers/types.js';

/**
 * The provider limits `qualify init` writes into rubric.yaml (and the playbook):
 * conservative starting points, to be set to the account's real limits. No
 * `max_retries`: a call retries transient faults for `retry_budget_s` (240 s by
 * default), and a count written here would cap that.
 *
 * @example
 * SEED_LIMITS.anthropic.rpm // 50
 */
export const SEED_LIMITS: Readonly<Record<SupportedProvider, ProviderSettings>> = {
  anthropic: { rpm: 50, max_in_flight: 8, timeout_s: 60 },
  openai: { rpm: 500, max_in_flight: 16, timeout_s: 60 },
  azure: { rpm: 300, max_in_flight: 16, timeout_s: 60 },
  'openai-compatible': { rpm: 60, max_in_flight: 4, timeout_s: 120 },
  bedrock: { rpm: 50, max_in_flight: 8, timeout_s: 60 },
  vertex: { rpm: 60, max_in_flight: 8, timeout_s: 60 },
};
