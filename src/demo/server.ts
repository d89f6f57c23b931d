/**
 * The `qualify demo` server: OpenAI- and Anthropic-compatible routes on loopback (node:http, no
 * dependency), answered by `DemoAnswers`. Paths are matched by their ending, so one address serves
 * `openai` (`/v1/chat/completions`, `/v1/embeddings`), `openai-compatible`, Azure
 * (`/openai/deployments/<name>/chat/completions`) and `anthropic` (`/v1/messages`).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DemoAnswers, type DemoCase } from './answers.js';
import {
  anthropicChat,
  anthropicEvents,
  anthropicMessage,
  openAIChat,
  openAIChunks,
  openAICompletion,
} from './wire.js';

/** A running demo server. */
export interface DemoServer {
  /** `http://127.0.0.1:<port>`: the Anthropic base URL; OpenAI's is `${url}/v1`. */
  url: string;
  /** Requests answered so far. */
  requests(): number;
  close(): Promise<void>;
}

type Body = Record<string, unknown>;

/**
 * Starts the demo server on 127.0.0.1 (`port` 0: any free port).
 *
 * @example
 * const demo = await startDemoServer([{ input: 'Hi?', reference: 'Hello.' }])
 * new OpenAI({ baseURL: `${demo.url}/v1`, apiKey: 'demo' })
 */
export async function startDemoServer(cases: readonly DemoCase[], port = 0): Promise<DemoServer> {
  const answers = new DemoAnswers(cases);
  let seq = 0;
  const server = createServer((req, res) => {
    void readJson(req).then(
      (body) => {
        seq++;
        route(answers, req.url ?? '', body, res, seq);
      },
      () =>
        send(res, 400, {
          error: { type: 'invalid_request_error', message: 'qualify demo: the body is not JSON' },
        }),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    requests: () => seq,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function route(answers: DemoAnswers, url: string, body: Body, res: ServerResponse, seq: number): void {
  const path = url.split('?')[0]!;
  const named = typeof body['model'] === 'string' ? body['model'] : '';
  const model = named || (/deployments\/([^/]+)/.exec(path)?.[1] ?? 'demo');
  const stream = body['stream'] === true;
  if (path.endsWith('/chat/completions')) {
    const reply = answers.chat(openAIChat(body));
    const replies = Array.from({ length: typeof body['n'] === 'number' ? body['n'] : 1 }, () => reply);
    if (stream) sendEvents(res, openAIChunks(model, replies, seq), false);
    else send(res, 200, openAICompletion(model, replies, seq));
  } else if (path.endsWith('/embeddings')) {
    const inputs = Array.isArray(body['input']) ? (body['input'] as string[]) : [String(body['input'])];
    const base64 = body['encoding_format'] !== 'float';
    const data = inputs.map((text, index) => {
      const vector = answers.embed(text);
      const embedding = base64 ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector;
      return { object: 'embedding', index, embedding };
    });
    send(res, 200, { object: 'list', data, model, usage: { prompt_tokens: 0, total_tokens: 0 } });
  } else if (path.endsWith('/messages')) {
    const chat = anthropicChat(body);
    const message = anthropicMessage(model, chat, answers.chat(chat), seq);
    if (stream) sendEvents(res, anthropicEvents(message), true);
    else send(res, 200, message);
  } else {
    send(res, 404, { error: { type: 'not_found_error', message: `qualify demo: no route for ${path}` } });
  }
}

function readJson(req: IncomingMessage): Promise<Body> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('error', reject);
    req.on('end', () => {
      try {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve(text === '' ? {} : (JSON.parse(text) as Body));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
}

function send(res: ServerResponse, status: number, body: Body): void {
  res.writeHead(status, {
    'content-type': 'application/json',
    'x-request-id': 'req_demo',
    'request-id': 'req_demo',
  });
  res.end(JSON.stringify(body));
}

/** Server-sent events: Anthropic names each event after its type; OpenAI ends with `[DONE]`. */
function sendEvents(res: ServerResponse, events: Body[], named: boolean): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'x-request-id': 'req_demo',
    'request-id': 'req_demo',
  });
  for (const event of events) {
    res.write(`${named ? `event: ${String(event['type'])}\n` : ''}data: ${JSON.stringify(event)}\n\n`);
  }
  if (!named) res.write('data: [DONE]\n\n');
  res.end();
}
