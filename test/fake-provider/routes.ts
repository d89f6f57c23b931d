/**
 * Which wire API a request path belongs to: the OpenAI paths under `/v1`, their
 * Azure deployment twins under `/openai/deployments/{deployment}`, and Anthropic
 * messages.
 */
import type { Api } from './types.js';

/** Where a request goes: its API, and the Azure deployment when the path names one. */
export interface Route {
  api: Api;
  /** The Azure deployment named in the path. */
  deployment?: string;
}

const AZURE = /^\/openai\/deployments\/([^/]+)\/(chat\/completions|embeddings)$/;

/**
 * The route of a `POST` path, `undefined` when the fake does not serve it.
 *
 * @example
 * routeOf('POST', '/openai/deployments/gpt-4o/embeddings'); // { api: 'openai.embeddings', deployment: 'gpt-4o' }
 */
export function routeOf(method: string, pathname: string): Route | undefined {
  if (method !== 'POST') return undefined;
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
export function vendorOf(api: Api | undefined): 'openai' | 'anthropic' {
  return api === 'anthropic.messages' ? 'anthropic' : 'openai';
}
