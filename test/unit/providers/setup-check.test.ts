import { createServer, type Server } from 'node:net';
import { describe, expect, test } from 'vitest';
import { providerEndpoint } from '../../../src/providers/provider-env.js';
import { checkProviderSetup, tcpConnect } from '../../../src/providers/setup-check.js';
import {
  connectProblems,
  modelsInUse,
  planSetupCheck,
  type ModelUse,
  type SetupPlan,
} from '../../../src/providers/setup-plan.js';
import { ProviderSetupError } from '../../../src/providers/setup-check.js';
import type { CacheMode } from '../../../src/providers/types.js';

const RUN = {
  candidate: 'openai:cand-1',
  judge: 'openai:judge-1',
  embeddings: 'openai:embed-1',
  rescore: false,
};

describe('modelsInUse', () => {
  const c = (criteria: number, context = false, agentModule = false) => ({ criteria, context, agentModule });
  test.each<[string, Partial<Parameters<typeof modelsInUse>[0]>, string[]]>([
    ['criteria: candidate and judge', { cases: [c(1)] }, ['candidate openai:cand-1', 'judge openai:judge-1']],
    ['checks only: the candidate alone', { cases: [c(0)] }, ['candidate openai:cand-1']],
    [
      'rubric criteria count for every case',
      { cases: [c(0)], rubricCriteria: 1 },
      ['candidate openai:cand-1', 'judge openai:judge-1'],
    ],
    [
      'a case context: faithfulness and relevancy, so the embeddings too',
      { cases: [c(0, true)] },
      ['candidate openai:cand-1', 'judge openai:judge-1', 'embeddings openai:embed-1'],
    ],
    [
      'an agent module may return contexts',
      { cases: [c(0, false, true)] },
      ['candidate openai:cand-1', 'judge openai:judge-1', 'embeddings openai:embed-1'],
    ],
    [
      'rescore: the agent is replayed, the candidate not called',
      { cases: [c(1)], rescore: true },
      ['judge openai:judge-1'],
    ],
    ['no case in scope: nothing', { cases: [] }, []],
  ])('%s', (_name, run, expected) => {
    const uses = modelsInUse({ ...RUN, rubricCriteria: 0, cases: [], ...run });
    expect(uses.map((u) => `${u.role} ${u.model}`)).toEqual(expected);
  });
});

const USES: ModelUse[] = [
  { role: 'candidate', model: 'anthropic:cand-1' },
  { role: 'judge', model: 'openai:judge-1' },
  { role: 'embeddings', model: 'openai:embed-1' },
];
const KEYS = { OPENAI_API_KEY: 'sk-o', ANTHROPIC_API_KEY: 'sk-a' };
const plan = (
  mode: CacheMode,
  env: Record<string, string>,
  recorded: string[] = [],
  uses = USES,
): SetupPlan =>
  planSetupCheck({
    uses,
    mode,
    recorded: (model) => recorded.includes(model),
    cassette: (model) => `eval/cassettes/${model}.jsonl`,
    endpoint: (provider) => providerEndpoint(provider, {}, env),
  });
const OPENAI = {
  label: 'openai (judge openai:judge-1, embeddings openai:embed-1) at https://api.openai.com/v1',
  fix: 'check the network, or set OPENAI_BASE_URL to a server that answers',
};
const ANTHROPIC = {
  label: 'anthropic (candidate anthropic:cand-1) at https://api.anthropic.com',
  fix: 'check the network, or set ANTHROPIC_BASE_URL to a server that answers',
};

describe('planSetupCheck on vertex', () => {
  const VERTEX = [{ role: 'candidate' as const, model: 'vertex:gemini-2.5-pro' }];
  test('no project: one line naming the variable; credentials are not checked up front (ADC)', () => {
    expect(plan('off', {}, [], VERTEX)).toEqual({
      problems: [
        'vertex (candidate vertex:gemini-2.5-pro) at https://aiplatform.googleapis.com has no project: set GOOGLE_CLOUD_PROJECT to the Google Cloud project id (or set providers.vertex.project in rubric.yaml); QUALIFY_CACHE=off calls it',
      ],
      connects: [],
    });
  });

  test("a project and a region: a connect to the region's endpoint", () => {
    const env = { GOOGLE_CLOUD_PROJECT: 'my-project', GOOGLE_CLOUD_LOCATION: 'us-east5' };
    expect(plan('off', env, [], VERTEX)).toEqual({
      problems: [],
      connects: [
        {
          host: 'us-east5-aiplatform.googleapis.com',
          port: 443,
          providers: [
            {
              label: 'vertex (candidate vertex:gemini-2.5-pro) at https://us-east5-aiplatform.googleapis.com',
              fix: 'check the network and the location (providers.vertex.location or GOOGLE_CLOUD_LOCATION)',
            },
          ],
        },
      ],
    });
  });
});

describe('planSetupCheck', () => {
  test.each<[string, CacheMode, Record<string, string>, string[], SetupPlan]>([
    ['replay calls nothing: nothing to check, keys or not', 'replay', {}, [], { problems: [], connects: [] }],
    [
      'auto with every model recorded: no key needed',
      'auto',
      {},
      ['anthropic:cand-1', 'openai:judge-1', 'openai:embed-1'],
      { problems: [], connects: [] },
    ],
    [
      'auto: only the model without a cassette is checked',
      'auto',
      {},
      ['openai:judge-1', 'openai:embed-1'],
      {
        problems: [
          'anthropic (candidate anthropic:cand-1) at https://api.anthropic.com has no API key: set ANTHROPIC_API_KEY (or name another variable with providers.anthropic.api_key_env in rubric.yaml); QUALIFY_CACHE=auto calls it: no cassette to replay (eval/cassettes/anthropic:cand-1.jsonl)',
        ],
        connects: [],
      },
    ],
    [
      'record calls every model, recorded or not: one connect per address',
      'record',
      KEYS,
      ['anthropic:cand-1', 'openai:judge-1', 'openai:embed-1'],
      {
        problems: [],
        connects: [
          { host: 'api.anthropic.com', port: 443, providers: [ANTHROPIC] },
          { host: 'api.openai.com', port: 443, providers: [OPENAI] },
        ],
      },
    ],
    [
      'off: two providers on one local server share one connect',
      'off',
      { ...KEYS, OPENAI_BASE_URL: 'http://127.0.0.1:8080/v1', ANTHROPIC_BASE_URL: 'http://127.0.0.1:8080' },
      [],
      {
        problems: [],
        connects: [
          {
            host: '127.0.0.1',
            port: 8080,
            providers: [
              {
                label: 'anthropic (candidate anthropic:cand-1) at http://127.0.0.1:8080',
                fix: 'start the server, or fix the ANTHROPIC_BASE_URL variable',
              },
              {
                label: 'openai (judge openai:judge-1, embeddings openai:embed-1) at http://127.0.0.1:8080/v1',
                fix: 'start the server, or fix the OPENAI_BASE_URL variable',
              },
            ],
          },
        ],
      },
    ],
    [
      'off, one key missing: that provider is a problem, the other still connected to',
      'off',
      { ANTHROPIC_API_KEY: 'sk-a', OPENAI_API_KEY: '' },
      [],
      {
        problems: [
          'openai (judge openai:judge-1, embeddings openai:embed-1) at https://api.openai.com/v1 has no API key: set OPENAI_API_KEY (or name another variable with providers.openai.api_key_env in rubric.yaml); QUALIFY_CACHE=off calls it',
        ],
        connects: [{ host: 'api.anthropic.com', port: 443, providers: [ANTHROPIC] }],
      },
    ],
  ])('%s', (_name, mode, env, recorded, expected) => {
    expect(plan(mode, env, recorded)).toEqual(expected);
  });

  test('azure without key, endpoint or version names all three; an IPv6 base URL connects to its address', () => {
    const uses: ModelUse[] = [
      { role: 'candidate', model: 'azure:prod' },
      { role: 'judge', model: 'openai-compatible:judge' },
    ];
    expect(plan('off', { OPENAI_COMPATIBLE_BASE_URL: 'http://[::1]:8000/v1' }, [], uses)).toEqual({
      problems: [
        'azure (candidate azure:prod) has no API key, endpoint and API version: set AZURE_OPENAI_API_KEY, AZURE_OPENAI_ENDPOINT and OPENAI_API_VERSION (or set providers.azure.api_key_env, base_url, api_version in rubric.yaml); QUALIFY_CACHE=off calls it',
      ],
      connects: [
        {
          host: '::1',
          port: 8000,
          providers: [
            {
              label: 'openai-compatible (judge openai-compatible:judge) at http://[::1]:8000/v1',
              fix: 'start the server, or fix the OPENAI_COMPATIBLE_BASE_URL variable',
            },
          ],
        },
      ],
    });
  });
});

describe('planSetupCheck for bedrock', () => {
  const uses: ModelUse[] = [{ role: 'candidate', model: 'bedrock:us.anthropic.claude-sonnet-4-6-v1:0' }];
  const who = 'bedrock (candidate bedrock:us.anthropic.claude-sonnet-4-6-v1:0)';

  test('no credentials and no region: both named, with the OIDC alternative', () => {
    expect(plan('off', {}, [], uses)).toEqual({
      problems: [
        `${who} has no AWS credentials and region: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY ` +
          '(or AWS_PROFILE, or AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE for OIDC); ' +
          'set AWS_REGION (or providers.bedrock.region in rubric.yaml); QUALIFY_CACHE=off calls it',
      ],
      connects: [],
    });
  });

  test('an OIDC web identity counts as credentials; the region missing alone is named', () => {
    const env = {
      AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/eval',
      AWS_WEB_IDENTITY_TOKEN_FILE: '/tmp/token',
    };
    expect(plan('off', env, [], uses).problems).toEqual([
      `${who} has no region: set AWS_REGION (or providers.bedrock.region in rubric.yaml); QUALIFY_CACHE=off calls it`,
    ]);
  });

  test('keys and AWS_DEFAULT_REGION: a connect to the regional runtime endpoint', () => {
    const env = {
      AWS_ACCESS_KEY_ID: 'AKID',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_DEFAULT_REGION: 'eu-west-1',
    };
    expect(plan('off', env, [], uses)).toEqual({
      problems: [],
      connects: [
        {
          host: 'bedrock-runtime.eu-west-1.amazonaws.com',
          port: 443,
          providers: [
            {
              label: `${who} at https://bedrock-runtime.eu-west-1.amazonaws.com`,
              fix: 'check the network and the region (eu-west-1), or set AWS_ENDPOINT_URL_BEDROCK_RUNTIME to a server that answers',
            },
          ],
        },
      ],
    });
  });
});

describe('connectProblems', () => {
  const target = {
    host: '127.0.0.1',
    port: 9,
    providers: [{ label: 'openai (judge openai:j) at http://127.0.0.1:9/v1', fix: 'start the server' }],
  };
  test.each([
    ['connected', []],
    ['timeout', []], // a slow network is the calls' business, not a reason to stop a run that may work
    [
      'ECONNREFUSED',
      [
        'openai (judge openai:j) at http://127.0.0.1:9/v1 refuses connections (ECONNREFUSED): start the server',
      ],
    ],
    [
      'ENOTFOUND',
      [
        'openai (judge openai:j) at http://127.0.0.1:9/v1 cannot be found (127.0.0.1 does not resolve) (ENOTFOUND): start the server',
      ],
    ],
    [
      'EHOSTUNREACH',
      ['openai (judge openai:j) at http://127.0.0.1:9/v1 cannot be reached (EHOSTUNREACH): start the server'],
    ],
  ])('%s', (outcome, expected) => {
    expect(connectProblems(target, outcome)).toEqual(expected);
  });
});

describe('tcpConnect on loopback', () => {
  test('a listening port connects; the same port once closed refuses', async () => {
    const server: Server = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    expect(await tcpConnect('127.0.0.1', port, 2000)).toBe('connected');
    await new Promise((resolve) => server.close(resolve));
    expect(await tcpConnect('127.0.0.1', port, 2000)).toBe('ECONNREFUSED');
  });

  test('checkProviderSetup throws one ProviderSetupError with every line, and passes a listening server', async () => {
    const server: Server = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const options = {
      root: '/repo',
      uses: USES,
      mode: 'off' as const,
      cacheDir: '/repo/eval/cassettes',
      // Loopback only: both providers at the local server.
      providers: {
        openai: { base_url: `http://127.0.0.1:${port}/v1` },
        anthropic: { base_url: `http://127.0.0.1:${port}` },
      },
    };
    try {
      await expect(checkProviderSetup({ ...options, env: KEYS })).resolves.toBeUndefined();
      const error = await checkProviderSetup({ ...options, env: { ...KEYS, ANTHROPIC_API_KEY: '' } }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ProviderSetupError);
      expect((error as ProviderSetupError).code).toBe('E_PROVIDER_SETUP');
      expect((error as ProviderSetupError).lines).toEqual([
        `anthropic (candidate anthropic:cand-1) at http://127.0.0.1:${port} has no API key: set ANTHROPIC_API_KEY (or name another variable with providers.anthropic.api_key_env in rubric.yaml); QUALIFY_CACHE=off calls it`,
      ]);
      await new Promise((resolve) => server.close(resolve));
      const refused = await checkProviderSetup({ ...options, env: KEYS }).catch((e: unknown) => e);
      expect((refused as ProviderSetupError).lines).toEqual([
        `anthropic (candidate anthropic:cand-1) at http://127.0.0.1:${port} refuses connections (ECONNREFUSED): start the server, or fix providers.anthropic.base_url in rubric.yaml`,
        `openai (judge openai:judge-1, embeddings openai:embed-1) at http://127.0.0.1:${port}/v1 refuses connections (ECONNREFUSED): start the server, or fix providers.openai.base_url in rubric.yaml`,
      ]);
    } finally {
      if (server.listening) await new Promise((resolve) => server.close(resolve));
    }
  });
});
