import { describe, expect, test } from 'vitest';
import { fromBaselineText, parseBaseline } from '../../../src/scorecard/baseline.js';
import { SCORECARD_SCHEMA } from '../../../src/scorecard/types.js';

const card = (points: number) =>
  JSON.stringify({ schema: SCORECARD_SCHEMA, model: 'openai:gpt-5', cases: [{ id: 'a', points }] }, null, 2);

describe('fromBaselineText', () => {
  test('no text is no baseline; text is parsed under its label', () => {
    const none = { kind: 'none', path: 'eval/baseline.json', note: 'no baseline file' } as const;
    expect(fromBaselineText({ text: null, source: none, label: 'eval/baseline.json' })).toEqual({
      baseline: null,
      source: none,
    });
    const git = { kind: 'git', ref: 'main', path: 'eval/baseline.json' } as const;
    expect(fromBaselineText({ text: card(90), source: git, label: 'main:eval/baseline.json' })).toEqual({
      baseline: { schema: SCORECARD_SCHEMA, model: 'openai:gpt-5', cases: [{ id: 'a', points: 90 }] },
      source: git,
    });
    expect(() => fromBaselineText({ text: '{', source: git, label: 'main:eval/baseline.json' })).toThrow(
      /^main:eval\/baseline\.json:/,
    );
  });
});

describe('parseBaseline', () => {
  test('invalid JSON names the line and column', () => {
    expect(() => parseBaseline('{\n  "schema": x\n}', 'eval/baseline.json')).toThrow(
      /^eval\/baseline\.json:2:13: the baseline is not valid JSON \(.*\): restore it from git or re-create it with `qualify promote`$/,
    );
  });

  test('another schema version is refused', () => {
    expect(() => parseBaseline('{"schema":"vitest-qualify/scorecard@0","cases":[]}', 'b.json')).toThrow(
      'b.json: the baseline has schema "vitest-qualify/scorecard@0", this version reads vitest-qualify/scorecard@1: re-run the qualification of the current primary to regenerate it',
    );
  });

  test('a scorecard without cases is refused', () => {
    expect(() => parseBaseline(`{"schema":"${SCORECARD_SCHEMA}","model":"openai:x"}`, 'b.json')).toThrow(
      'b.json: the baseline is not a scorecard: cases: Invalid input: expected array, received undefined',
    );
  });
});
