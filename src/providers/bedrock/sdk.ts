/**
 * Loading the AWS SDK (on the first Bedrock call, never at start-up) and the settings its clients
 * are built with, only from what endpoint.ts read (never `process.env`).
 */
import type * as Runtime from '@aws-sdk/client-bedrock-runtime';
import type * as Control from '@aws-sdk/client-bedrock';
import type * as Handler from '@smithy/node-http-handler';
import type { NodeHttpHandler } from '@smithy/node-http-handler';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { BedrockAccess } from './endpoint.js';

/** The runtime SDK and the HTTP/1.1 handler its clients are given (see `clientConfig`). */
export interface BedrockSdk {
  runtime: typeof Runtime;
  NodeHttpHandler: typeof NodeHttpHandler;
}

let loading: Promise<BedrockSdk> | undefined;
let loadingControl: Promise<typeof Control> | undefined;

/**
 * The SDK, imported on the first Bedrock call: a run with no Bedrock model (and
 * every Vitest worker that starts) should not pay for loading it (bench/RESULTS.md).
 */
export function loadSdk(): Promise<BedrockSdk> {
  loading ??= Promise.all([import('@aws-sdk/client-bedrock-runtime'), loadHttpHandler()]).then(
    ([runtime, NodeHttpHandler]) => ({ runtime, NodeHttpHandler }),
  );
  return loading;
}

/**
 * The HTTP/1.1 handler of the AWS SDK (`@smithy/node-http-handler`), a dependency of the runtime
 * client, resolved from where the client is installed: a pnpm store does not hoist it next to us.
 */
async function loadHttpHandler(): Promise<typeof NodeHttpHandler> {
  const client = createRequire(import.meta.url).resolve('@aws-sdk/client-bedrock-runtime');
  const path = createRequire(client).resolve('@smithy/node-http-handler');
  const module = (await import(pathToFileURL(path).href)) as typeof Handler;
  return module.NodeHttpHandler;
}

export function loadControl(): Promise<typeof Control> {
  loadingControl ??= import('@aws-sdk/client-bedrock');
  return loadingControl;
}

/**
 * The client settings (`control`: the control-plane client of `listModels`), only from `access` (never `process.env`): the region, explicit keys when the
 * environment holds them (else the SDK's default chain: profile, OIDC web identity, container, instance),
 * the endpoint override, one attempt, SigV4 only, and HTTP/1.1: the runtime client's default HTTP/2
 * handler is needed only for bidirectional streams, which the adapter does not use.
 */
export function clientConfig(sdk: BedrockSdk, access: BedrockAccess, control: boolean) {
  const endpoint = control ? access.controlURL : access.override ? access.url : undefined;
  const keys = access.keys;
  return {
    // Always set when a client is built: a missing region makes `missing` refuse the call first.
    ...(access.region === undefined ? {} : { region: access.region }),
    maxAttempts: 1,
    authSchemePreference: ['sigv4'],
    requestHandler: new sdk.NodeHttpHandler(),
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(keys === undefined
      ? {}
      : {
          credentials: {
            accessKeyId: keys.accessKeyId,
            secretAccessKey: keys.secretAccessKey,
            ...(keys.sessionToken === undefined ? {} : { sessionToken: keys.sessionToken }),
          },
        }),
    ...(access.profile === undefined ? {} : { profile: access.profile }),
  };
}
