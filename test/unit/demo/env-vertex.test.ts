import { describe, expect, test } from 'vitest';
import { demoEnv } from '../../../src/demo/env.js';

const RUBRIC = { providers: {}, judge: 'openai:gpt-5', embeddings: 'openai:text-embedding-3-small' };

describe('demoEnv', () => {
  test('points OpenAI and Anthropic at the server; sets no Google variable', () => {
    const { env, problems } = demoEnv(
      { ...RUBRIC, model_primary: 'anthropic:claude-sonnet-4-6' },
      'http://127.0.0.1:4000',
    );
    expect(problems).toEqual([]);
    expect(env['OPENAI_BASE_URL']).toBe('http://127.0.0.1:4000/v1');
    expect(env['ANTHROPIC_BASE_URL']).toBe('http://127.0.0.1:4000');
    expect(Object.keys(env).filter((name) => name.startsWith('GOOGLE_'))).toEqual([]);
  });

  test('a vertex model stops the demo with one line saying why', () => {
    const { problems } = demoEnv(
      { ...RUBRIC, model_primary: 'vertex:gemini-2.5-pro' },
      'http://127.0.0.1:4000',
    );
    expect(problems).toEqual([
      'rubric.yaml names a vertex: model, which the demo server does not speak (it needs Google credentials): run the demo with openai or anthropic models, e.g. qualify init --model openai:gpt-5 in a scratch repository',
    ]);
  });
});
