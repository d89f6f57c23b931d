import { DEFAULT_ENV } from '../../providers/adapters.js';
import type { ProviderSettings } from '../../providers/types.js';
import { yamlScalar } from '../files/yaml-scalar.js';
import { schemaHeader } from './header.js';
import { SEED_LIMITS } from './limits.js';
import { SEED_EMBEDDINGS, seedProviders } from './providers.js';

/** The models `qualify init` writes into rubric.yaml; each a valid `provider:model`. */
export interface SeedModels {
  model: string;
  judge: string;
  fallback?: string | undefined;
  /** Default `SEED_EMBEDDINGS`. */
  embeddings?: string | undefined;
}

/** An OpenAI-compatible server has no default address: the block names the variables that hold it. */
const COMPATIBLE_ENV: ProviderSettings = {
  base_url_env: DEFAULT_ENV['openai-compatible'].baseURL,
  api_key_env: DEFAULT_ENV['openai-compatible'].key,
};

/**
 * rubric.yaml as `qualify init` writes it: the seed thresholds of docs/architecture.md 2.2
 * (0.82, ragas 0.78, 3 points), prompt mode until an agent module is named, and
 * provider limits for exactly the providers the models name (an `openai-compatible` block also
 * names the variables holding its base URL and key).
 *
 * @example
 * rubricTemplate({ model: 'anthropic:claude-sonnet-4-6', judge: 'openai:gpt-5' })
 */
export function rubricTemplate(models: SeedModels): string {
  const providers = seedProviders(models).map((provider) => {
    const settings = {
      ...SEED_LIMITS[provider],
      ...(provider === 'openai-compatible' ? COMPATIBLE_ENV : {}),
    };
    const fields = Object.entries(settings).map(([key, value]) => `${key}: ${String(value)}`);
    return `  ${provider}: { ${fields.join(', ')} }`;
  });
  const fallback = models.fallback === undefined ? [] : [`model_fallback: ${yamlScalar(models.fallback)}`];
  return [
    schemaHeader('rubric.yaml', 'rubric'),
    '#',
    '# The qualification contract (vitest-qualify). A qualification PR, on a branch named',
    '# model/<provider>-<model>, changes one line here: model_primary. `npx qualify check-pr`',
    '# refuses any other change (thresholds, judge, embeddings, cases) in such a PR.',
    '',
    `model_primary: ${yamlScalar(models.model)}`,
    ...fallback,
    `judge: ${yamlScalar(models.judge)}  # pinned; never changed by a qualification PR`,
    `embeddings: ${yamlScalar(models.embeddings ?? SEED_EMBEDDINGS)}  # pinned: a ragas threshold means something only for one embedding model`,
    '',
    'thresholds:',
    "  rubric_min_score: 0.82  # each case's rubric score must reach it (a case may set its own min_score)",
    '  ragas: 0.78  # mean faithfulness and mean answer_relevancy',
    '  max_per_case_regression: 3  # points on the 0-100 scale versus the baseline',
    "# Agent trials per case; the case score is their mean. Three let the gate measure each case's",
    '# noise, so a drop the noise explains does not fail the run (docs/scoring.md, "How the gate decides").',
    'repeats: 3',
    '',
    '# The agent under test: a module whose default export is defineAgent(...) from vitest-qualify.',
    '# Until one is named, each case input goes straight to model_primary with system_prompt.',
    '# agent: agents/agent.ts',
    'system_prompt: You are a precise, helpful support agent. Answer only from the context you are given.',
    'cases: eval/cases.yaml',
    '',
    '# Per provider: requests per minute, requests in flight, timeout per attempt, retries.',
    '# Set them to your account limits; `npx qualify promote` copies them into the playbook.',
    'providers:',
    ...providers,
    '',
    'baseline: eval/baseline.json  # the scorecard of model_primary; `npx qualify promote` replaces it',
    'allowlist: eval/allowlist.yaml  # documented small regressions; `npx qualify allow` adds one',
    '',
  ].join('\n');
}
