import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadRubric } from '../../../src/config/load.js';
import { problemMessages, rubricYaml, scratch } from './scratch.js';

async function rubricFile(text: string): Promise<string> {
  const dir = await scratch({ 'rubric.yaml': text });
  return join(dir, 'rubric.yaml');
}

describe('relative_gates in rubric.yaml', () => {
  test('off unless written: no relative_gates on the rubric or its subject', async () => {
    const rubric = await loadRubric(await rubricFile(rubricYaml()));
    expect('relative_gates' in rubric).toBe(false);
    expect('relative_gates' in rubric.subjects['agent']!).toBe(false);
  });

  test('percent strings and numbers of percent; on_exceed defaults to fail; the one subject gets them', async () => {
    const rubric = await loadRubric(
      await rubricFile(
        rubricYaml(
          [
            'relative_gates:',
            '  cost_per_case: { max_increase: "20%", on_exceed: fail }',
            '  latency_p50: { max_increase: 25, on_exceed: review }',
            '  ttft_p95: { max_increase: " 12.5 % " }',
            '  output_tokens: { max_increase: 0 }',
            '',
          ].join('\n'),
        ),
      ),
    );
    const expected = {
      cost_per_case: { max_increase: 0.2, on_exceed: 'fail' },
      latency_p50: { max_increase: 0.25, on_exceed: 'review' },
      ttft_p95: { max_increase: 0.125, on_exceed: 'fail' },
      output_tokens: { max_increase: 0, on_exceed: 'fail' },
    };
    expect(rubric.relative_gates).toEqual(expected);
    expect(rubric.subjects['agent']!.relative_gates).toEqual(expected);
  });

  test("a subject's entries replace the rubric's, gate by gate", async () => {
    const text = [
      'model_primary: anthropic:claude-sonnet-4-6',
      'judge: openai:gpt-5',
      'thresholds: {}',
      'relative_gates: { cost_total: { max_increase: "20%" }, latency_p95: { max_increase: "50%" } }',
      'subjects:',
      '  drafter: { cases: eval/d.yaml }',
      '  verifier: { cases: eval/v.yaml, relative_gates: { cost_total: { max_increase: "5%", on_exceed: review } } }',
      '',
    ].join('\n');
    const rubric = await loadRubric(await rubricFile(text));
    expect(rubric.subjects['drafter']!.relative_gates).toEqual(rubric.relative_gates);
    expect(rubric.subjects['verifier']!.relative_gates).toEqual({
      cost_total: { max_increase: 0.05, on_exceed: 'review' },
      latency_p95: { max_increase: 0.5, on_exceed: 'fail' },
    });
  });

  test('bad values: one line each with file:line:col and the fix', async () => {
    const file = await rubricFile(
      rubricYaml(
        [
          'relative_gates:',
          '  cost_per_case: { max_increase: "20 percent" }',
          '  cost_total: { max_increase: 0.2 }',
          '  latency_p90: { max_increase: "10%" }',
          '  output_tokens: { max_increase: -5 }',
          '  ttft_p50: { max_increase: "10%", on_exceed: warn }',
          '',
        ].join('\n'),
      ),
    );
    expect((await problemMessages(loadRubric(file))).map((m) => m.replace(`${file}:`, ''))).toEqual([
      '5:34: relative_gates.cost_per_case.max_increase must be a percentage like "20%" (or a number of percent, 20); found "20 percent"',
      '6:31: relative_gates.cost_total.max_increase reads as 0.2 %; write "20%" for 20 percent, or "0.2%" if 0.2 % is meant; found 0.2',
      '7:3: relative_gates.latency_p90 is not a known key; did you mean latency_p50?',
      '8:34: relative_gates.output_tokens.max_increase must be a percentage of at least 0, like "20%"; found -5',
      '9:47: relative_gates.ttft_p50.on_exceed must be one of fail, review; found "warn"',
    ]);
  });
});
