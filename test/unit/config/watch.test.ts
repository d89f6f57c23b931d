import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadRubric } from '../../../src/config/load.js';
import { problemMessages, rubricYaml, scratch } from './scratch.js';

async function rubricFile(text: string): Promise<string> {
  const dir = await scratch({ 'rubric.yaml': text });
  return join(dir, 'rubric.yaml');
}

describe('watch in rubric.yaml', () => {
  test('off unless written', async () => {
    const rubric = await loadRubric(await rubricFile(rubricYaml()));
    expect(rubric.watch).toBeUndefined();
  });

  test('a glob or a list of globs per provider, read as lists', async () => {
    const rubric = await loadRubric(
      await rubricFile(rubricYaml('watch: { anthropic: "claude-*-opus-*", openai: ["gpt-5*", "o4-*"] }\n')),
    );
    expect(rubric.watch).toEqual({ anthropic: ['claude-*-opus-*'], openai: ['gpt-5*', 'o4-*'] });
  });

  test('bad values: one line each with file:line:col and the fix', async () => {
    const file = await rubricFile(
      rubricYaml(
        [
          'watch:',
          '  anthropc: "claude-*"',
          '  openai: 5',
          '  azure: []',
          '  bedrock: "anthropic.[claude"',
          '',
        ].join('\n'),
      ),
    );
    expect((await problemMessages(loadRubric(file))).map((m) => m.replace(`${file}:`, ''))).toEqual([
      '5:3: watch.anthropc is not a known key; did you mean anthropic?',
      '6:11: watch.openai must be a glob of model ids, or a list of them, e.g. "claude-*-opus-*"; found 5',
      '7:10: watch.azure must have at least 1 item; found an empty list',
      '8:12: watch.bedrock "anthropic.[claude" is not a glob picomatch reads (Missing closing: "]" - use "\\\\]" to match literal characters)',
    ]);
  });
});
