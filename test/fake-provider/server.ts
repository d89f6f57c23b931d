/**
 * The fake provider's HTTP server on 127.0.0.1: routes a request, records it,
 * waits the latency, asks the rules (or faults, or the fallback) what to say,
 * and writes it in the request's protocol.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorBody } from './error-body.js';
import { answerToken } from './google-auth.js';
import { type Exchange, sendError } from './exchange.js';
import { sendJson } from './http.js';
import { sendModelList, type FakeListedModel, type ModelListOptions } from './models-list.js';
import { isFaultReply } from './replies.js';
import { isObject } from './request-text.js';
import { requestIdHeader, routeOf, vendorOf } from './routes.js';
import { sendReply } from './send-reply.js';
import { FakeState } from './state.js';
import type { FakeProvider, FakeProviderOptions, FakeProviderStats, RuleOptions } from './provider.js';
import type { FaultPlan, Match, RecordedRequest, Reply, Responder } from './types.js';

function lowerHeaders(incoming: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

async function readBody(incoming: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Waits `ms`, or less if the response closes first (the client gave up, or the server closed). */
function wait(ms: number, res: ServerResponse): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    res.once('close', done);
  });
}

/** Whether a request carries a SigV4 signature (its form; the fake checks no secret). */
function signed(headers: Readonly<Record<string, string>>): boolean {
  return (
    /^AWS4-HMAC-SHA256 Credential=\S+/.test(headers['authorization'] ?? '') &&
    headers['x-amz-date'] !== undefined
  );
}

async function answer(state: FakeState, incoming: IncomingMessage, res: ServerResponse): Promise<void> {
  const at = Date.now();
  const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
  if (await answerToken(incoming, url.pathname, res, () => readBody(incoming))) return;
  const route = routeOf(incoming.method ?? '', url.pathname);
  const seq = state.nextSeq();
  const id = `req_fake_${seq}`;
  if (incoming.method === 'GET' && url.pathname === '/v1/models') {
    const headers = lowerHeaders(incoming);
    const vendor = headers['anthropic-version'] === undefined ? 'openai' : 'anthropic';
    const request = { vendor, query: Object.fromEntries(url.searchParams), headers } as const;
    state.modelListRequests.push(request);
    sendModelList(res, state.modelLists[vendor] ?? { models: [] }, request, id);
    return;
  }
  if (route === undefined) {
    const message = `fake provider: no route for ${incoming.method ?? '?'} ${url.pathname}`;
    const body = { error: { message, type: 'invalid_request_error', param: null, code: null } };
    sendJson(res, 404, body, { 'x-request-id': id, 'request-id': id });
    return;
  }
  state.enter();
  res.once('close', () => state.leave());
  const text = await readBody(incoming);
  // ListFoundationModels is a GET without a body.
  const body = text === '' && incoming.method === 'GET' ? {} : parseJson(text);
  const model =
    route.model ??
    route.deployment ??
    (isObject(body) && typeof body['model'] === 'string' ? body['model'] : '');
  const req: RecordedRequest = {
    id,
    api: route.api,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    model,
    body: isObject(body) ? body : {},
    headers: lowerHeaders(incoming),
    stream: route.stream ?? (isObject(body) && body['stream'] === true),
    at,
  };
  if (res.closed) req.closedAt = Date.now();
  else res.once('close', () => (req.closedAt = Date.now()));
  const exchange: Exchange = {
    req,
    seq,
    res,
    headers: { [requestIdHeader(vendorOf(route.api))]: id },
  };
  if (!isObject(body)) {
    sendError(exchange, 400, 'fake provider: the request body is not a JSON object; send JSON');
    return;
  }
  if (vendorOf(route.api) === 'bedrock' && !signed(req.headers)) {
    const message =
      'fake provider: the request is not SigV4-signed (no authorization: AWS4-HMAC-SHA256 ... or x-amz-date header)';
    sendError(exchange, 403, message, {}, 'MissingAuthenticationTokenException');
    return;
  }
  state.record(req);
  const decision = state.decide(req);
  await wait(decision.latencyMs, res);
  if (res.destroyed) return;
  let reply: Reply;
  try {
    reply = typeof decision.reply === 'function' ? await decision.reply(req) : decision.reply;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    sendError(exchange, 400, `fake provider: the responder for ${route.api} model ${model} threw: ${reason}`);
    return;
  }
  if (isFaultReply(reply) && decision.source !== 'fallback') state.countFault(reply.fault);
  sendReply(exchange, reply);
}

class RunningFakeProvider implements FakeProvider {
  readonly url: string;
  readonly openaiBaseURL: string;
  readonly anthropicBaseURL: string;
  readonly azureEndpoint: string;
  readonly bedrockEndpoint: string;
  readonly vertexBaseURL: string;
  readonly #server: Server;
  readonly #state: FakeState;

  constructor(server: Server, state: FakeState, url: string) {
    this.#server = server;
    this.#state = state;
    this.url = url;
    this.openaiBaseURL = `${url}/v1`;
    this.anthropicBaseURL = url;
    this.azureEndpoint = url;
    this.bedrockEndpoint = url;
    this.vertexBaseURL = url;
  }

  get requests(): readonly RecordedRequest[] {
    return this.#state.requests;
  }

  get stats(): FakeProviderStats {
    return this.#state.stats();
  }

  on(match: Match, reply: Reply | Responder, options?: RuleOptions): this {
    this.#state.rules.add(match, reply, options);
    return this;
  }

  setFaults(plan: FaultPlan | undefined): void {
    this.#state.setFaults(plan);
  }

  setLatency(ms: number): void {
    this.#state.setLatency(ms);
  }

  setModels(models: FakeListedModel[], options: ModelListOptions = {}): void {
    const { vendor, ...rest } = options;
    for (const v of vendor === undefined ? (['openai', 'anthropic'] as const) : [vendor]) {
      this.#state.modelLists[v] = { models: [...models], ...rest };
    }
  }

  get modelListRequests(): FakeProvider['modelListRequests'] {
    return this.#state.modelListRequests;
  }

  reset(): void {
    this.#state.reset();
  }

  close(): Promise<void> {
    if (!this.#server.listening) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.#server.close((error) => (error ? reject(error) : resolve()));
      this.#server.closeAllConnections();
    });
  }
}

/**
 * Starts a fake provider on 127.0.0.1 at a free port. It speaks OpenAI chat
 * completions and embeddings (also on Azure deployment paths), Anthropic
 * messages, Bedrock Converse (streamed as an AWS event stream), InvokeModel
 * embeddings and ListFoundationModels, and Vertex AI (Gemini, Claude on Vertex,
 * embeddings, the models list, Google's token endpoints), streamed or not, well
 * enough for the unmodified SDKs.
 *
 * @example
 * const fake = await startFakeProvider({ seed: 7 });
 * fake.on({ api: 'anthropic.messages' }, { text: 'Thirty days.' }, { times: 1 });
 * const anthropic = new Anthropic({ baseURL: fake.anthropicBaseURL, apiKey: 'sk-test', maxRetries: 0 });
 */
export async function startFakeProvider(options: FakeProviderOptions = {}): Promise<FakeProvider> {
  const state = new FakeState(options);
  const server = createServer((incoming, res) => {
    answer(state, incoming, res).catch((error: unknown) => {
      // A bug in the fake itself: say so on the wire if the answer has not started, else cut the connection.
      const message = `fake provider: internal error: ${error instanceof Error ? error.message : String(error)}`;
      const headers = { 'x-request-id': 'req_fake_error', 'request-id': 'req_fake_error' };
      if (!res.headersSent) sendJson(res, 500, errorBody('openai', 500, message, 'req_fake_error'), headers);
      else res.destroy();
    });
  });
  // Idle connections stay open until the client or `close()` ends them. Node closes them after 5 s by
  // default, and one closed just as the client reuses it is a connection reset the fake did not inject:
  // the client retries it, and the retries no longer add up to the faults injected.
  server.keepAliveTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return new RunningFakeProvider(server, state, `http://127.0.0.1:${port}`);
}
