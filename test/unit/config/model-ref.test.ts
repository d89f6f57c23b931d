import { describe, expect, test } from 'vitest';
import { QualifyError } from '../../../src/errors.js';
import { parseModelRef } from '../../../src/providers/model-ref.js';

describe('parseModelRef', () => {
  test.each([
    ['openai:gpt-5', 'openai', 'gpt-5'],
    ['anthropic:claude-sonnet-4-6', 'anthropic', 'claude-sonnet-4-6'],
    ['azure:my-deployment', 'azure', 'my-deployment'],
    ['openai-compatible:meta-llama/Llama-3:8b', 'openai-compatible', 'meta-llama/Llama-3:8b'],
    ['openai-compatible:qwen2.5:7b-instruct', 'openai-compatible', 'qwen2.5:7b-instruct'],
    [
      'bedrock:anthropic.claude-sonnet-4-5-20250929-v1:0',
      'bedrock',
      'anthropic.claude-sonnet-4-5-20250929-v1:0',
    ],
    ['bedrock:us.anthropic.claude-sonnet-4-6-v1:0', 'bedrock', 'us.anthropic.claude-sonnet-4-6-v1:0'],
    [
      'bedrock:arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-6-v1:0',
      'bedrock',
      'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-6-v1:0',
    ],
    ['vertex:gemini-2.5-pro', 'vertex', 'gemini-2.5-pro'],
    ['vertex:claude-sonnet-4-5@20250929', 'vertex', 'claude-sonnet-4-5@20250929'],
  ])('%s is provider %s, model %s', (id, provider, model) => {
    expect(parseModelRef(id)).toEqual({ id, provider, model });
  });

  test.each([
    [
      'gpt-5',
      'E_MODEL_STRING',
      '"gpt-5" has no provider prefix: write provider:model, e.g. openai:gpt-5 (providers: openai, anthropic, azure, openai-compatible, bedrock, vertex)',
    ],
    [
      'openai:',
      'E_MODEL_STRING',
      '"openai:" has no model after the colon: write provider:model, e.g. openai:gpt-5',
    ],
    [
      'openai:  ',
      'E_MODEL_STRING',
      '"openai:  " has no model after the colon: write provider:model, e.g. openai:gpt-5',
    ],
    [
      ':gpt-5',
      'E_MODEL_STRING',
      '":gpt-5" has no provider before the colon: write provider:model, e.g. openai:gpt-5',
    ],
    [
      'openai: gpt-5',
      'E_MODEL_STRING',
      '"openai: gpt-5" has spaces around the model name: write openai:gpt-5',
    ],
    [
      'opena:gpt-5',
      'E_MODEL_STRING',
      '"opena:gpt-5" names an unknown provider "opena": use one of openai, anthropic, azure, openai-compatible, bedrock, vertex; did you mean openai:gpt-5?',
    ],
    [
      'Anthropic:claude-sonnet-4-6',
      'E_MODEL_STRING',
      '"Anthropic:claude-sonnet-4-6" names an unknown provider "Anthropic": use one of openai, anthropic, azure, openai-compatible, bedrock, vertex; did you mean anthropic:claude-sonnet-4-6?',
    ],
    [
      'mistral:large',
      'E_MODEL_STRING',
      '"mistral:large" names an unknown provider "mistral": use one of openai, anthropic, azure, openai-compatible, bedrock, vertex',
    ],
  ])('%s is refused with %s', (id, code, message) => {
    let caught: unknown;
    try {
      parseModelRef(id);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(QualifyError);
    expect((caught as QualifyError).code).toBe(code);
    expect((caught as QualifyError).message).toBe(message);
  });
});
