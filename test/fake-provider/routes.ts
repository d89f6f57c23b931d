/**
 * Which wire API a request path belongs to: the OpenAI paths under `/v1`, their
 * Azure deployment twins under `/openai/deployments/{deployment}`, Anthropic
 * messages, Bedrock's `/model/{modelId}/{converse,converse-stream,invoke}`
 * and `GET /foundation-models`, and Vertex AI's publisher model methods.
 */
import type { Api } from './types.js';

/** Where a request goes: its API, and the Azure deployment (or Vertex model) when the path names one. */
export interface Route {
  api: Api;
  /** The Azure deployment or the Vertex model named in the path. */
  deployment?: string;
  /** The Bedrock model id named in the path (decoded: an ARN or `us.anthropic.claude-...:0`). */
  model?: string;
  /** A path that asks for a stream (Bedrock `converse-stream`, Vertex `:streamGenerateContent`, `:streamRawPredict`). */
  stream?: boolean;
}

const BEDROCK = /^\/model\/([^/]+)\/(converse|converse-stream|invoke)$/;

const VERTEX_MODEL =
  /^\/v1(?:beta1)?\/projects\/[^/]+\/locations\/[^/]+\/publishers\/(google|anthropic)\/models\/([^/:]+):(\w+)$/;
const VERTEX_METHODS: Readonly<Record<string, Route['api']>> = {
  'google:generateContent': 'vertex.generate',
  'google:streamGenerateContent': 'vertex.generate',
  'google:predict': 'vertex.embeddings',
  'anthropic:rawPredict': 'anthropic.messages',
  'anthropic:streamRawPredict': 'anthropic.messages',
};

const AZURE = /^\/openai\/deployments\/([^/]+)\/(chat\/completions|embeddings)$/;

/**
 * The route of a `POST` path, `undefined` when the fake does not serve it.
 *
 * @example
 * routeOf('POST', '/openai/deployments/gpt-4o/embeddings'); // { api: 'openai.embeddings', deployment: 'gpt-4o' }
 */
export function routeOf(method: string, pathname: string): Route | undefined {
  if (method === 'GET' && pathname === '/foundation-models') return { api: 'bedrock.models' };
  if (method === 'GET' && /^\/v1(?:beta1)?\/publishers\/google\/models$/.test(pathname)) {
    return { api: 'vertex.models' };
  }
  if (method !== 'POST') return undefined;
  const bedrock = BEDROCK.exec(pathname);
  if (bedrock?.[1] !== undefined) {
    const model = decodeURIComponent(bedrock[1]);
    if (bedrock[2] === 'invoke') return { api: 'bedrock.embeddings', model };
    return { api: 'bedrock.converse', model, stream: bedrock[2] === 'converse-stream' };
  }
  const vertex = VERTEX_MODEL.exec(pathname);
  if (vertex?.[2] !== undefined) {
    const api = VERTEX_METHODS[`${vertex[1]}:${vertex[3]}`];
    if (api === undefined) return undefined;
    const deployment = decodeURIComponent(vertex[2]);
    return { api, deployment, stream: vertex[3]?.startsWith('stream') ?? false };
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
export function vendorOf(api: Api | undefined): Vendor {
  if (api === 'anthropic.messages') return 'anthropic';
  if (api?.startsWith('bedrock.') === true) return 'bedrock';
  return api?.startsWith('vertex.') === true ? 'google' : 'openai';
}

/** The wire dialects of the fake: error bodies and request-id headers differ by vendor. */
export type Vendor = 'openai' | 'anthropic' | 'bedrock' | 'google';

/**
 * The header a vendor sends its request id in.
 *
 * @example
 * requestIdHeader('bedrock'); // 'x-amzn-requestid'
 */
export function requestIdHeader(vendor: Vendor): string {
  return {
    openai: 'x-request-id',
    anthropic: 'request-id',
    bedrock: 'x-amzn-requestid',
    google: 'x-request-id',
  }[vendor];
}
