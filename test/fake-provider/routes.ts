/**
 * Which wire API a request path belongs to: the OpenAI paths under `/v1`, their
 * Azure deployment twins under `/openai/deployments/{deployment}`, Anthropic
 * messages, and Bedrock's `/model/{modelId}/{converse,converse-stream,invoke}`
 * and `GET /foundation-models`.
 */
import type { Api } from './types.js';

/** Where a request goes: its API, and the Azure deployment when the path names one. */
export interface Route {
  api: Api;
  /** The Azure deployment named in the path. */
  deployment?: string;
  /** The Bedrock model id named in the path (decoded: an ARN or `us.anthropic.claude-...:0`). */
  model?: string;
  /** Bedrock: the path asks for a stream (`converse-stream`). */
  stream?: boolean;
}

const BEDROCK = /^\/model\/([^/]+)\/(converse|converse-stream|invoke)$/;

const AZURE = /^\/openai\/deployments\/([^/]+)\/(chat\/completions|embeddings)$/;

/**
 * The route of a `POST` path, `undefined` when the fake does not serve it.
 *
 * @example
 * routeOf('POST', '/openai/deployments/gpt-4o/embeddings'); // { api: 'openai.embeddings', deployment: 'gpt-4o' }
 */
export function routeOf(method: string, pathname: string): Route | undefined {
  if (method === 'GET' && pathname === '/foundation-models') return { api: 'bedrock.models' };
  if (method !== 'POST') return undefined;
  const bedrock = BEDROCK.exec(pathname);
  if (bedrock?.[1] !== undefined) {
    const model = decodeURIComponent(bedrock[1]);
    if (bedrock[2] === 'invoke') return { api: 'bedrock.embeddings', model };
    return { api: 'bedrock.converse', model, stream: bedrock[2] === 'converse-stream' };
  }
  if (pathname === '/v1/chat/completions') return { api: 'openai.chat' };
  if (pathname === '/v1/embeddings') return { api: 'openai.embeddings' };
  if (pathname === '/v1/messages') return { api: 'anthropic.messages' };
  const azure = AZURE.exec(pathname);
  if (azure?.[1] === undefined) return undefined;
  return {
    api: azure[2] === 'embeddings' ? 'openai.embeddings' : 'openai.chat',
    deployment: decodeURIComponent(azure[1]),
  };
}

/**
 * The vendor a request speaks, for error bodies and the request-id header.
 *
 * @example
 * vendorOf('anthropic.messages'); // 'anthropic'
 */
export function vendorOf(api: Api | undefined): 'openai' | 'anthropic' | 'bedrock' {
  if (api === 'anthropic.messages') return 'anthropic';
  return api?.startsWith('bedrock.') ? 'bedrock' : 'openai';
}

/**
 * The header a vendor sends its request id in.
 *
 * @example
 * requestIdHeader('bedrock'); // 'x-amzn-requestid'
 */
export function requestIdHeader(vendor: 'openai' | 'anthropic' | 'bedrock'): string {
  return { openai: 'x-request-id', anthropic: 'request-id', bedrock: 'x-amzn-requestid' }[vendor];
}
