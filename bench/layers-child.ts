/**
 * Child process of the per-layer measurement: one chat call at a time against
 * the fake provider at `argv[2]`, through each layer in turn (raw `node:http`,
 * the global `fetch`, the OpenAI SDK on either transport, the model client),
 * in interleaved rounds. Prints one JSON object: CPU and wall ms per call, per
 * layer, per round.
 */
import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import OpenAI from 'openai';
import type * as ClientModule from '../src/providers/client.js';
import { httpFetch } from '../src/providers/http-fetch.js';

const base = process.argv[2]!;
const calls = Number(process.argv[3] ?? 500);
const rounds = Number(process.argv[4] ?? 5);
/** The model client from this src/ folder (another copy for a before/after pair). */
const src = process.argv[5] ?? path.resolve(import.meta.dirname, '../src');
const { createModelClient } = (await import(
  pathToFileURL(path.join(src, 'providers/client.ts')).href
)) as typeof ClientModule;
const agent = new http.Agent({ keepAlive: true });
const bodyOf = (i: number) =>
  JSON.stringify({ model: 'cand-1', messages: [{ role: 'user', content: `Question ${i}` }] });

function rawHttp(i: number): Promise<unknown> {
  const body = bodyOf(i);
  const url = new URL(`${base}/chat/completions`);
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve(JSON.parse(text)));
        res.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

async function rawFetch(i: number): Promise<unknown> {
  const response = await fetch(`${base}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: bodyOf(i),
  });
  return response.json();
}

const sdkGlobal = new OpenAI({ apiKey: 'sk-bench', baseURL: base, maxRetries: 0 });
const sdkHttp = new OpenAI({ apiKey: 'sk-bench', baseURL: base, maxRetries: 0, fetch: httpFetch });
const client = createModelClient({
  cache: { mode: 'off', dir: '/nonexistent' },
  env: { OPENAI_API_KEY: 'sk-bench', OPENAI_BASE_URL: base },
});
const message = (i: number) => [{ role: 'user' as const, content: `Question ${i}` }];

const LAYERS: Record<string, (i: number) => Promise<unknown>> = {
  'node:http request': rawHttp,
  'global fetch': rawFetch,
  'OpenAI SDK on global fetch': (i) =>
    sdkGlobal.chat.completions.create({ model: 'cand-1', messages: message(i) }),
  'OpenAI SDK on httpFetch': (i) =>
    sdkHttp.chat.completions.create({ model: 'cand-1', messages: message(i) }),
  'model client (limiter, retries, usage; cache off)': (i) =>
    client.chat({ model: 'openai:cand-1', messages: message(i) }),
};

const results: Record<string, { cpuMs: number[]; wallMs: number[] }> = {};
for (const [name, call] of Object.entries(LAYERS)) {
  for (let i = 0; i < 50; i++) await call(i); // warm up: JIT, connections
  results[name] = { cpuMs: [], wallMs: [] };
}
for (let round = 0; round < rounds; round++) {
  for (const [name, call] of Object.entries(LAYERS)) {
    const cpu = process.cpuUsage();
    const wall = performance.now();
    for (let i = 0; i < calls; i++) await call(i);
    const used = process.cpuUsage(cpu);
    results[name]!.cpuMs.push((used.user + used.system) / 1000 / calls);
    results[name]!.wallMs.push((performance.now() - wall) / calls);
  }
}
process.stdout.write(JSON.stringify(results));
process.exit(0);
