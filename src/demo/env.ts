/**
 * The environment that points every provider client at the demo server: a base URL and a dummy key
 * for each provider, under the variable names rubric.yaml gives them (`base_url_env`, `api_key_env`)
 * or the defaults the adapters read (src/providers/adapters.ts). Pure.
 */
import type { Rubric } from '../config/schema/rubric.js';
import { DEFAULT_ENV } from '../providers/adapters.js';
import { parseModelRef } from '../providers/model-ref.js';
import { SUPPORTED_PROVIDERS, type ProviderSettings } from '../providers/types.js';

/** The key every provider gets in a demo run: not a secret, and only ever sent to loopback. */
export const DEMO_KEY = 'qualify-demo';
/** The Azure API version the demo sets when none is set. */
const AZURE_API_VERSION = '2024-10-21';

/** The demo's variables, and the rubric settings it cannot redirect (a `base_url` written in the file). */
export interface DemoEnv {
  env: Record<string, string>;
  /** One line per provider the rubric names whose `base_url` would send its calls elsewhere. */
  problems: string[];
}

/**
 * The variables for a run against the demo server at `url`.
 *
 * @example
 * demoEnv({ providers: {}, model_primary: 'openai:gpt-5', ... }, 'http://127.0.0.1:4000').env.OPENAI_BASE_URL
 * // 'http://127.0.0.1:4000/v1'
 */
export function demoEnv(
  rubric: Pick<Rubric, 'providers' | 'model_primary' | 'model_fallback' | 'judge' | 'embeddings'>,
  url: string,
): DemoEnv {
  const env: Record<string, string> = {};
  for (const provider of SUPPORTED_PROVIDERS) {
    const settings: ProviderSettings = rubric.providers[provider] ?? {};
    if (provider === 'azure') {
      env[settings.api_key_env ?? DEFAULT_ENV.azure.key] = DEMO_KEY;
      env[settings.base_url_env ?? DEFAULT_ENV.azure.endpoint] = url;
      if (settings.api_version === undefined) env[DEFAULT_ENV.azure.apiVersion] = AZURE_API_VERSION;
      continue;
    }
    // The demo server speaks the OpenAI and Anthropic wire formats, not Bedrock's or Vertex's (see `problems`).
    if (provider === 'bedrock' || provider === 'vertex') continue;
    const defaults = DEFAULT_ENV[provider];
    env[settings.api_key_env ?? defaults.key] = DEMO_KEY;
    env[settings.base_url_env ?? defaults.baseURL] = provider === 'anthropic' ? url : `${url}/v1`;
  }
  const named = [rubric.model_primary, rubric.model_fallback, rubric.judge, rubric.embeddings];
  const used = new Set(named.filter((m) => m !== undefined).map((m) => parseModelRef(m).provider));
  const problems = [...used].flatMap((provider) => {
    if (provider === 'bedrock') {
      return [
        'rubric.yaml: bedrock models are named, and the demo server does not speak Bedrock: ' +
          'run the demo with openai, anthropic, azure or openai-compatible models',
      ];
    }
    if (provider === 'vertex') {
      return [
        'rubric.yaml names a vertex: model, which the demo server does not speak (it needs Google credentials): ' +
          'run the demo with openai or anthropic models, e.g. qualify init --model openai:gpt-5 in a scratch repository',
      ];
    }
    const fixed = rubric.providers[provider]?.base_url;
    return fixed === undefined
      ? []
      : [
          `rubric.yaml: providers.${provider}.base_url is ${fixed}, so the demo server cannot answer ` +
            `${provider}: name a variable with base_url_env instead and set it in CI`,
        ];
  });
  return { env, problems };
}

/**
 * The variables as shell lines, for `qualify demo --serve`.
 *
 * @example
 * exportLines({ OPENAI_BASE_URL: 'http://127.0.0.1:4000/v1' }) // ['export OPENAI_BASE_URL=http://127.0.0.1:4000/v1']
 */
export function exportLines(env: Record<string, string>): string[] {
  return Object.entries(env).map(([name, value]) => `export ${name}=${value}`);
}
