/**
 * Every workflow validates with GitHub's own workflow parser
 * (@actions/workflow-parser), which also catches what a YAML parser does not:
 * unknown keys, wrong types, bad expressions.
 */
import { describe, expect, test } from 'vitest';
import { workflowErrors } from './parser.js';
import { workflowFiles, workflowText } from './workflows.js';

describe('the workflows validate', () => {
  test('there are the four the repository ships', () => {
    expect(workflowFiles()).toEqual(['ci.yml', 'eval.yml', 'traffic.yml', 'watch.yml']);
  });

  test.each(workflowFiles())('%s has no errors', async (file) => {
    expect(await workflowErrors(file, workflowText(file))).toEqual([]);
  });
});

describe('the validator is not vacuous', () => {
  test('it reports a misspelt key, a wrong type and a broken expression', async () => {
    const broken = [
      'on: pull_request',
      'jobs:',
      '  eval:',
      '    runs-on: ubuntu-latest',
      '    timeout-minutes: soon',
      '    permisions: { contents: read }',
      '    steps:',
      '      - run: echo ${{ github. }}',
      '',
    ].join('\n');
    expect(await workflowErrors('broken.yml', broken)).toEqual([
      "broken.yml (Line: 5, Col: 22): Unexpected value 'soon'",
      "broken.yml (Line: 6, Col: 5): Unexpected value 'permisions'",
      "broken.yml (Line: 8, Col: 14): Unexpected symbol: 'EOF'",
    ]);
  });
});
