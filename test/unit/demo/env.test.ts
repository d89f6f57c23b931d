/**
 * `demoEnv` for Bedrock: the demo server speaks no Bedrock, so a rubric that names it is refused
 * in one line, and no AWS variable is set.
 */
import { describe, expect, test } from 'vitest';
import { demoEnv } from '../../../src/demo/env.js';

const RUBRIC = {
  providers: {},
  model_primary: 'openai:gpt-5',
  model_fallback: undefined,
  judge: 'anthropic:claude-sonnet-4-6',
  embeddings: 'openai:text-embedding-3-small',
};

describe('demoEnv and bedrock', () => {
  test('a rubric with a bedrock model gets one problem line saying what to run instead', () => {
    const { problems } = demoEnv(
      { ...RUBRIC, judge: 'bedrock:us.anthropic.claude-sonnet-4-6-v1:0' },
      'http://127.0.0.1:4000',
    );
    expect(problems).toEqual([
      'rubric.yaml: bedrock models are named, and the demo server does not speak Bedrock: ' +
        'run the demo with openai, anthropic, azure or openai-compatible models',
    ]);
  });

  test('no AWS variable is set, whatever the rubric names', () => {
    const { env, problems } = demoEnv(RUBRIC, 'http://127.0.0.1:4000');
    expect(problems).toEqual([]);
    expect(Object.keys(env).filter((name) => name.startsWith('AWS_'))).toEqual([]);
    expect(env['OPENAI_BASE_URL']).toBe('http://127.0.0.1:4000/v1');
  });
});
