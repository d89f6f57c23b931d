/**
 * `bedrock:` in rubric.yaml: its model ids (inference profiles, ARNs) and its
 * `providers.bedrock` settings load; a malformed region is refused on its line.
 */
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadRubric } from '../../../src/config/load.js';
import { problemMessages, scratch } from './scratch.js';

async function rubricFile(text: string): Promise<string> {
  const dir = await scratch({ 'rubric.yaml': text });
  return join(dir, 'rubric.yaml');
}

describe('bedrock in rubric.yaml', () => {
  test('bedrock models and providers.bedrock settings load as written', async () => {
    const file = await rubricFile(
      [
        'model_primary: bedrock:us.anthropic.claude-sonnet-4-6-v1:0',
        'judge: bedrock:arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.anthropic.claude-opus-4-5-v1:0',
        'embeddings: bedrock:amazon.titan-embed-text-v2:0',
        'thresholds: {}',
        'providers:',
        '  bedrock: { region: eu-west-1, rpm: 50, timeout_s: 90, base_url: "http://127.0.0.1:4566" }',
        '',
      ].join('\n'),
    );
    const rubric = await loadRubric(file);
    expect(rubric.model_primary).toBe('bedrock:us.anthropic.claude-sonnet-4-6-v1:0');
    expect(rubric.embeddings).toBe('bedrock:amazon.titan-embed-text-v2:0');
    expect(rubric.providers).toEqual({
      bedrock: { region: 'eu-west-1', rpm: 50, timeout_s: 90, base_url: 'http://127.0.0.1:4566' },
    });
  });

  test('a region that is not an AWS region is refused with its line and an example', async () => {
    const file = await rubricFile(
      [
        'model_primary: bedrock:us.anthropic.claude-sonnet-4-6-v1:0',
        'judge: bedrock:us.anthropic.claude-sonnet-4-6-v1:0',
        'thresholds: {}',
        'providers:',
        '  bedrock: { region: "US East" }',
        '',
      ].join('\n'),
    );
    expect(await problemMessages(loadRubric(file))).toEqual([
      `${file}:5:22: providers.bedrock.region must be an AWS region, e.g. us-east-1; found "US East"`,
    ]);
  });
});
