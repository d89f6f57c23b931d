/**
 * What the provider check decides without the network (setup-check.ts runs it):
 * the models a run calls, which providers to check and how, and the lines a
 * connect outcome becomes. Pure: cassette files and endpoints are passed in.
 */
import { parseModelRef } from './model-ref.js';
import { DEFAULT_ENV, type ProviderEndpoint } from './provider-env.js';
import type { CacheMode, SupportedProvider } from './types.js';

/** A model the run calls, and for what. */
export interface ModelUse {
  role: 'candidate' | 'judge' | 'embeddings';
  /** `provider:model`. */
  model: string;
}

/** An address to open a TCP connection to, for the providers that use it. */
export interface ConnectTarget {
  host: string;
  port: number;
  /** One per provider at this address: the first half of its problem line, and the fix. */
  providers: { label: string; fix: string }[];
}

/** What to check before the first case. */
export interface SetupPlan {
  /** Problems known without the network: a missing key, base URL or API version, a URL that does not parse. */
  problems: string[];
  /** Addresses that must accept a connection. */
  connects: ConnectTarget[];
}

/**
 * The models a run calls: the candidate for every case's agent (not when rescoring:
 * its answers are replayed), the judge when a case has criteria or contexts
 * (faithfulness), the embeddings when a case may have contexts (answer relevancy).
 * An agent module may return contexts, so a case of a subject with an entry counts.
 *
 * @example
 * modelsInUse({ candidate: 'openai:gpt-5', judge: 'openai:gpt-4.1', embeddings: 'openai:text-embedding-3-small',
 *   rescore: false, rubricCriteria: 0, cases: [{ criteria: 1, context: false, agentModule: false }] })
 * // [{ role: 'candidate', model: 'openai:gpt-5' }, { role: 'judge', model: 'openai:gpt-4.1' }]
 */
export function modelsInUse(run: {
  candidate: string;
  judge: string;
  embeddings: string;
  rescore: boolean;
  rubricCriteria: number;
  cases: readonly { criteria: number; context: boolean; agentModule: boolean }[];
}): ModelUse[] {
  if (run.cases.length === 0) return [];
  const contexts = run.cases.some((c) => c.context || c.agentModule);
  const judged = run.rubricCriteria > 0 || run.cases.some((c) => c.criteria > 0);
  return [
    ...(run.rescore ? [] : [{ role: 'candidate' as const, model: run.candidate }]),
    ...(judged || contexts ? [{ role: 'judge' as const, model: run.judge }] : []),
    ...(contexts ? [{ role: 'embeddings' as const, model: run.embeddings }] : []),
  ];
}

/**
 * Which providers must be checked, and what is already wrong. Pure: the cassette
 * files that exist and the providers' endpoints are passed in.
 *
 * @example
 * planSetupCheck({ uses: [{ role: 'judge', model: 'openai:gpt-4.1' }], mode: 'off', recorded: () => false,
 *   endpoint: (p) => providerEndpoint(p, {}, {}) })
 * // { problems: ['openai (judge openai:gpt-4.1) at https://api.openai.com/v1 has no API key: set OPENAI_API_KEY (...); QUALIFY_CACHE=off calls it'], connects: [] }
 */
export function planSetupCheck(input: {
  uses: readonly ModelUse[];
  mode: CacheMode;
  /** Whether a model's cassette file exists. */
  recorded: (model: string) => boolean;
  endpoint: (provider: SupportedProvider) => ProviderEndpoint;
  /** Where a model's cassette would be (root-relative), for the message. */
  cassette?: ((model: string) => string) | undefined;
}): SetupPlan {
  if (input.mode === 'replay') return { problems: [], connects: [] };
  const byProvider = new Map<SupportedProvider, ModelUse[]>();
  for (const use of input.uses) {
    if (input.mode === 'auto' && input.recorded(use.model)) continue;
    const { provider } = parseModelRef(use.model);
    const uses = byProvider.get(provider) ?? [];
    if (!uses.some((u) => u.role === use.role && u.model === use.model)) uses.push(use);
    byProvider.set(provider, uses);
  }
  const problems: string[] = [];
  const connects = new Map<string, ConnectTarget>();
  for (const [provider, uses] of byProvider) {
    const endpoint = input.endpoint(provider);
    const who = `${provider} (${uses.map((u) => `${u.role} ${u.model}`).join(', ')})`;
    const why =
      input.mode === 'auto'
        ? `QUALIFY_CACHE=auto calls it: no cassette to replay${input.cassette ? ` (${uses.map((u) => input.cassette!(u.model)).join(', ')})` : ''}`
        : `QUALIFY_CACHE=${input.mode} calls it`;
    const at = endpoint.url !== undefined ? ` at ${endpoint.url}` : '';
    if (endpoint.missing !== undefined) {
      const parts = lacking(endpoint);
      const what = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : parts.join('');
      problems.push(`${who}${at} has no ${what}: ${endpoint.missing}; ${why}`);
      continue;
    }
    const address = addressOf(endpoint.url!);
    if (!address) {
      problems.push(
        `${who}: ${endpoint.url} is not an http(s) URL; fix ${fromWhere(endpoint.urlFrom)}, e.g. http://127.0.0.1:8000/v1`,
      );
      continue;
    }
    const key = `${address.host}:${address.port}`;
    const target = connects.get(key) ?? { ...address, providers: [] };
    target.providers.push({ label: `${who}${at}`, fix: connectFix(endpoint) });
    connects.set(key, target);
  }
  return { problems, connects: [...connects.values()] };
}

/** How a TCP connect ended: connected, or the error code (`ECONNREFUSED`, `ENOTFOUND`, ...), or `timeout`. */
export type ConnectOutcome = 'connected' | 'timeout' | string;

/**
 * The lines of a connect outcome. A refused connection or a host name that does
 * not resolve stops the run; a slow answer (`timeout`) does not: the calls'
 * own timeouts and retries handle a slow network, and a false alarm would stop
 * a run that works.
 *
 * @example
 * connectProblems(target, 'ECONNREFUSED') // ['openai (candidate openai:m) at http://127.0.0.1:9/v1 refuses connections (ECONNREFUSED): ...']
 */
export function connectProblems(target: ConnectTarget, outcome: ConnectOutcome): string[] {
  if (outcome === 'connected' || outcome === 'timeout') return [];
  const what =
    outcome === 'ECONNREFUSED'
      ? 'refuses connections'
      : outcome === 'ENOTFOUND' || outcome === 'EAI_AGAIN'
        ? `cannot be found (${target.host} does not resolve)`
        : 'cannot be reached';
  return target.providers.map((p) => `${p.label} ${what} (${outcome}): ${p.fix}`);
}

/** What an endpoint lacks, in words. */
function lacking(endpoint: ProviderEndpoint): string[] {
  const parts: string[] = [];
  if (endpoint.provider === 'bedrock') {
    if (endpoint.bedrock?.credentialsFrom === undefined) parts.push('AWS credentials');
    if (endpoint.bedrock?.region === undefined) parts.push('region');
    return parts;
  }
  if (endpoint.provider === 'vertex') return endpoint.vertex?.project === undefined ? ['project'] : [];
  if (endpoint.apiKey === undefined && endpoint.provider !== 'openai-compatible') parts.push('API key');
  if (endpoint.url === undefined) parts.push(endpoint.provider === 'azure' ? 'endpoint' : 'base URL');
  if (endpoint.provider === 'azure' && endpoint.apiVersion === undefined) parts.push('API version');
  return parts;
}

function addressOf(url: string): { host: string; port: number } | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = parsed.port ? Number(parsed.port) : parsed.protocol === 'https:' ? 443 : 80;
  return { host, port };
}

function fromWhere(urlFrom: string): string {
  return urlFrom === 'the default' || urlFrom.includes(' ') ? urlFrom : `the ${urlFrom} variable`;
}

function connectFix(endpoint: ProviderEndpoint): string {
  if (endpoint.provider === 'bedrock' && endpoint.urlFrom === 'the default') {
    return `check the network and the region (${endpoint.bedrock?.region}), or set ${DEFAULT_ENV.bedrock.baseURL} to a server that answers`;
  }
  if (
    endpoint.urlFrom === 'the default' &&
    (endpoint.provider === 'openai' || endpoint.provider === 'anthropic')
  ) {
    return `check the network, or set ${DEFAULT_ENV[endpoint.provider].baseURL} to a server that answers`;
  }
  if (endpoint.urlFrom === 'the default' && endpoint.provider === 'vertex') {
    return `check the network and the location (providers.vertex.location or ${DEFAULT_ENV.vertex.location})`;
  }
  return `start the server, or fix ${fromWhere(endpoint.urlFrom)}`;
}
