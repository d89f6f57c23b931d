import { describe, expect, test } from 'vitest';
import { setModelPrimary } from '../../../../src/cli/commands/watch/rubric-edit.js';
import {
  EMPTY_STATE,
  parseWatchState,
  recordSeen,
  renderWatchState,
} from '../../../../src/cli/commands/watch/state-file.js';

const RUBRIC = [
  '# The qualification.',
  'model_primary: anthropic:claude-opus-4-7   # the model the agent runs on',
  'model_fallback: openai:gpt-5',
  'judge: openai:gpt-5',
  'thresholds: {}',
  '',
].join('\n');

describe('setModelPrimary', () => {
  test('changes one line; the comment, spacing and every other byte stay', () => {
    const edited = setModelPrimary(RUBRIC, 'anthropic:claude-opus-5', 'rubric.yaml');
    expect(edited).toBe(RUBRIC.replace('anthropic:claude-opus-4-7   #', 'anthropic:claude-opus-5   #'));
    const changed = edited.split('\n').filter((line, i) => line !== RUBRIC.split('\n')[i]);
    expect(changed).toEqual(['model_primary: anthropic:claude-opus-5   # the model the agent runs on']);
  });

  test('quotes and CRLF line endings are kept', () => {
    const crlf = RUBRIC.replace(
      'model_primary: anthropic:claude-opus-4-7',
      'model_primary: "anthropic:claude-opus-4-7"',
    )
      .split('\n')
      .join('\r\n');
    expect(setModelPrimary(crlf, 'anthropic:claude-opus-5', 'rubric.yaml')).toBe(
      crlf.replace('"anthropic:claude-opus-4-7"', '"anthropic:claude-opus-5"'),
    );
    const single = RUBRIC.replace('anthropic:claude-opus-4-7', "'anthropic:claude-opus-4-7'");
    expect(setModelPrimary(single, 'openai:gpt-5.2', 'rubric.yaml')).toContain(
      "model_primary: 'openai:gpt-5.2'   #",
    );
  });

  test('a model_primary that is not one plain line: file:line and the fix', () => {
    const block = RUBRIC.replace(
      'model_primary: anthropic:claude-opus-4-7',
      'model_primary: >-\n  anthropic:claude-opus-4-7',
    );
    expect(() => setModelPrimary(block, 'anthropic:claude-opus-5', 'rubric.yaml on main')).toThrow(
      'rubric.yaml on main:2: model_primary is not a one-line value qualify watch can change; write it on one line, e.g. model_primary: openai:gpt-5',
    );
    expect(() => setModelPrimary('judge: openai:gpt-5\n', 'openai:gpt-5.2', 'rubric.yaml')).toThrow(
      'rubric.yaml: no top-level model_primary line to change; write it on one line, e.g. model_primary: openai:gpt-5',
    );
  });
});

describe('eval/watch-state.json', () => {
  test('round trip: recorded models sorted, two-space JSON, final newline', () => {
    const state = recordSeen(
      recordSeen(EMPTY_STATE, 'openai:gpt-5.2', { date: '2026-12-03', branch: 'model/openai-gpt-5-2' }),
      'anthropic:claude-opus-5',
      { date: '2026-12-02' },
    );
    const text = renderWatchState(state);
    expect(text).toBe(
      '{\n  "version": 1,\n  "seen": {\n    "anthropic:claude-opus-5": {\n      "date": "2026-12-02"\n    },\n' +
        '    "openai:gpt-5.2": {\n      "date": "2026-12-03",\n      "branch": "model/openai-gpt-5-2"\n    }\n  }\n}\n',
    );
    expect(parseWatchState(text, 'eval/watch-state.json')).toEqual(state);
    expect(parseWatchState('', 'eval/watch-state.json')).toEqual(EMPTY_STATE);
  });

  test('a bad entry: file:line:col', () => {
    const text = '{\n  "version": 1,\n  "seen": {\n    "gpt-5": { "date": "yesterday" }\n  }\n}\n';
    expect(() => parseWatchState(text, 'eval/watch-state.json')).toThrow(/^eval\/watch-state\.json:4:5: /);
  });
});
