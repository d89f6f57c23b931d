/**
 * Provider setup the run cannot call with: a missing key, a missing base URL or
 * endpoint, an address that refuses connections. Checked once before any case
 * runs, one line per provider naming its models, the URL and the fix (the
 * suite's environment points OpenAI at 127.0.0.1:9, where nothing listens).
 */
import { CASES, rubricWith, type BadInput } from './types.js';

const CANDIDATE_AND_JUDGE = 'openai (candidate openai:model-a, judge openai:judge-1)';
const KEY_FIX =
  'set OPENAI_API_KEY (or name another variable with providers.openai.api_key_env in rubric.yaml)';
const REFUSED = `${CANDIDATE_AND_JUDGE} at http://127.0.0.1:9/v1 refuses connections (ECONNREFUSED): start the server, or fix the OPENAI_BASE_URL variable`;

export const PROVIDER_INPUTS: BadInput[] = [
  {
    name: 'provider: no API key, QUALIFY_CACHE=off',
    files: {},
    env: { OPENAI_API_KEY: '' },
    message: `${CANDIDATE_AND_JUDGE} at http://127.0.0.1:9/v1 has no API key: ${KEY_FIX}; QUALIFY_CACHE=off calls it`,
  },
  {
    name: 'provider: no API key and no cassette to replay (QUALIFY_CACHE=auto)',
    files: {},
    env: { OPENAI_API_KEY: '', QUALIFY_CACHE: 'auto' },
    message: `${CANDIDATE_AND_JUDGE} at http://127.0.0.1:9/v1 has no API key: ${KEY_FIX}; QUALIFY_CACHE=auto calls it: no cassette to replay (eval/cassettes/openai/model-a.jsonl, eval/cassettes/openai/judge-1.jsonl)`,
  },
  {
    name: 'provider: only the model without a cassette needs a key (QUALIFY_CACHE=auto)',
    files: {
      'eval/cassettes/openai/model-a.jsonl':
        '{"cassette":"vitest-qualify/cassette@1","source":"hand-written","note":"by hand"}\n',
    },
    env: { OPENAI_API_KEY: '', QUALIFY_CACHE: 'auto' },
    message: `openai (judge openai:judge-1) at http://127.0.0.1:9/v1 has no API key: ${KEY_FIX}; QUALIFY_CACHE=auto calls it: no cassette to replay (eval/cassettes/openai/judge-1.jsonl)`,
  },
  {
    name: 'provider: an address that refuses connections',
    files: {},
    message: REFUSED,
  },
  {
    name: 'provider: a base URL in rubric.yaml that refuses connections',
    files: {
      'rubric.yaml': rubricWith('providers', 'providers: { openai: { base_url: "http://127.0.0.1:9/v1" } }'),
    },
    env: { OPENAI_BASE_URL: '' },
    message: `${CANDIDATE_AND_JUDGE} at http://127.0.0.1:9/v1 refuses connections (ECONNREFUSED): start the server, or fix providers.openai.base_url in rubric.yaml`,
  },
  {
    name: 'provider: a base URL that is not http(s)',
    files: {},
    env: { OPENAI_BASE_URL: 'ftp://127.0.0.1/v1' },
    message: `${CANDIDATE_AND_JUDGE}: ftp://127.0.0.1/v1 is not an http(s) URL; fix the OPENAI_BASE_URL variable, e.g. http://127.0.0.1:8000/v1`,
  },
  {
    name: 'provider: azure without an endpoint (and the judge refused), every problem listed',
    files: { 'rubric.yaml': rubricWith('model_primary', 'model_primary: azure:prod') },
    env: { AZURE_OPENAI_API_KEY: 'azure-key', OPENAI_API_VERSION: '2025-04-01-preview' },
    message: [
      'azure (candidate azure:prod) has no endpoint: set AZURE_OPENAI_ENDPOINT (or set providers.azure.api_key_env, base_url, api_version in rubric.yaml); QUALIFY_CACHE=off calls it',
      'openai (judge openai:judge-1) at http://127.0.0.1:9/v1 refuses connections (ECONNREFUSED): start the server, or fix the OPENAI_BASE_URL variable',
    ],
  },
  {
    name: 'provider: openai-compatible without a base URL',
    files: {
      'rubric.yaml': rubricWith('model_primary', 'model_primary: openai-compatible:llama-3').replace(
        'judge: openai:judge-1',
        'judge: openai-compatible:judge-1',
      ),
    },
    message:
      "openai-compatible (candidate openai-compatible:llama-3, judge openai-compatible:judge-1) has no base URL: set OPENAI_COMPATIBLE_BASE_URL to the server's base URL, e.g. http://127.0.0.1:8000/v1 (or set providers.openai-compatible.base_url in rubric.yaml); QUALIFY_CACHE=off calls it",
  },
  {
    name: 'provider: a scoped run checks only what its cases call (no judge for checks-only cases)',
    files: {
      'eval/cases.yaml': `${CASES}  - id: checks-only\n    tags: [smoke]\n    input: "Hi"\n    checks: [{ max_chars: 100 }]\n`,
    },
    env: { QUALIFY_TAGS: 'smoke' },
    message:
      'openai (candidate openai:model-a) at http://127.0.0.1:9/v1 refuses connections (ECONNREFUSED): start the server, or fix the OPENAI_BASE_URL variable',
  },
];
