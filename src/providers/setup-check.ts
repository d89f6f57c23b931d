/**
 * The providers a run will call, checked once before any case runs: a missing
 * key, a missing base URL, or an address that refuses connections is one line
 * naming the provider, the URL and the fix (the plugin prints it and exits 2),
 * not one error per case.
 *
 * The rule, with the response cache (README "Provider setup"):
 * - `replay` calls no provider: nothing is checked.
 * - `auto` replays a model whose cassette file exists: it needs no key (a request
 *   the cassette lacks is that case's error, naming the key, as before). A model
 *   with no cassette file is called, so its provider is checked.
 * - `record` and `off` call every model: every provider used is checked.
 * - `qualify rescore` replays the agent: the candidate is not called.
 *
 * The decision is pure (`planSetupCheck`, setup-plan.ts); `checkProviderSetup` adds the TCP
 * connects (bounded, no request sent, nothing paid) and reads which cassettes exist.
 */
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { ProblemListError } from '../errors.js';
import { cassettePath } from './cache/entry.js';
import { parseModelRef } from './model-ref.js';
import { providerEndpoint, type Env } from './provider-env.js';
import { connectProblems, planSetupCheck, type ConnectOutcome, type ModelUse } from './setup-plan.js';
import type { CacheMode, ProviderSettings } from './types.js';

/** The run's providers are not set up to be called (`E_PROVIDER_SETUP`); one line per provider. */
export class ProviderSetupError extends ProblemListError {
  constructor(problems: readonly string[]) {
    super('E_PROVIDER_SETUP', problems);
  }
}

/** Opens a TCP connection and closes it at once; never rejects. */
export type Connector = (host: string, port: number, timeoutMs: number) => Promise<ConnectOutcome>;

/**
 * The default connector: `net.connect`, closed on connect, `timeout` after `timeoutMs`.
 *
 * @example
 * await tcpConnect('127.0.0.1', 9, 1000) // 'ECONNREFUSED'
 */
export const tcpConnect: Connector = (host, port, timeoutMs) =>
  new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (outcome: ConnectOutcome) => {
      socket.destroy();
      resolve(outcome);
    };
    socket.setTimeout(timeoutMs, () => done('timeout'));
    socket.once('connect', () => done('connected'));
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
  });

/**
 * Check the providers this run calls; throws one `ProviderSetupError` listing
 * every problem. Connects run in parallel, each bounded by `timeoutMs`.
 *
 * @example
 * await checkProviderSetup({ root: '/repo', uses, mode: 'auto', cacheDir: '/repo/eval/cassettes', providers: {}, env: process.env })
 */
export async function checkProviderSetup(options: {
  root: string;
  uses: readonly ModelUse[];
  mode: CacheMode;
  cacheDir: string;
  providers: Readonly<Record<string, ProviderSettings>>;
  env: Env;
  connector?: Connector | undefined;
  timeoutMs?: number | undefined;
}): Promise<void> {
  const file = (model: string) => cassettePath(options.cacheDir, parseModelRef(model));
  const shown = (absolute: string) => path.relative(options.root, absolute).split(path.sep).join('/');
  const plan = planSetupCheck({
    uses: options.uses,
    mode: options.mode,
    recorded: (model) => existsSync(file(model)),
    cassette: (model) => shown(file(model)),
    endpoint: (provider) => providerEndpoint(provider, options.providers[provider] ?? {}, options.env),
  });
  const connector = options.connector ?? tcpConnect;
  const outcomes = await Promise.all(
    plan.connects.map(async (target) =>
      connectProblems(target, await connector(target.host, target.port, options.timeoutMs ?? 2000)),
    ),
  );
  const problems = [...plan.problems, ...outcomes.flat()];
  if (problems.length > 0) throw new ProviderSetupError(problems);
}
