/** Bad rubric.yaml files and bad environment: each refused before anything runs. */
import { RUBRIC, rubricWith, type BadInput } from './types.js';

export const RUBRIC_INPUTS: BadInput[] = [
  {
    name: 'rubric.yaml missing',
    files: { 'rubric.yaml': null },
    message:
      'rubric.yaml: file not found; create it (`npx qualify init` writes one) or pass the path of your rubric',
  },
  {
    name: 'rubric.yaml: YAML syntax error (unclosed flow map)',
    files: { 'rubric.yaml': rubricWith('thresholds', 'thresholds: { rubric_min_score: 0.5') },
    message:
      'rubric.yaml:5:1: YAML syntax error: Flow map in block collection must be sufficiently indented and end with a }',
  },
  {
    name: 'rubric.yaml: YAML syntax error (bad indentation)',
    files: { 'rubric.yaml': `${RUBRIC}  providers: {}\n` },
    message: 'rubric.yaml:5:1: YAML syntax error: All mapping items must start at the same column',
  },
  {
    name: 'rubric.yaml: a key written twice',
    files: { 'rubric.yaml': `${RUBRIC}judge: openai:judge-2\n` },
    message: 'rubric.yaml:5:1: YAML syntax error: Map keys must be unique',
  },
  {
    name: 'rubric.yaml: a list instead of a map',
    files: { 'rubric.yaml': '- model_primary: openai:model-a\n' },
    message: 'rubric.yaml:1:1: the file must be a map; found a list',
  },
  {
    name: 'rubric.yaml: empty file',
    files: { 'rubric.yaml': '' },
    message: [
      'rubric.yaml:1:1: model_primary is required; expected a string',
      'rubric.yaml:1:1: judge is required; expected a string',
      'rubric.yaml:1:1: thresholds is required; expected a map',
    ],
  },
  {
    name: 'rubric.yaml: the judge is missing',
    files: { 'rubric.yaml': RUBRIC.replace('judge: openai:judge-1\n', '') },
    message: 'rubric.yaml:1:1: judge is required; expected a string',
  },
  {
    name: 'rubric.yaml: a misspelled top-level key',
    files: { 'rubric.yaml': RUBRIC.replace('model_primary:', 'modle_primary:') },
    message: [
      'rubric.yaml:1:1: modle_primary is not a known key; did you mean model_primary?',
      'rubric.yaml:1:1: model_primary is required; expected a string',
    ],
  },
  {
    name: 'rubric.yaml: an unknown top-level key',
    files: { 'rubric.yaml': `${RUBRIC}notify: team@example.com\n` },
    message: 'rubric.yaml:5:1: notify is not a known key',
  },
  {
    name: 'rubric.yaml: a misspelled threshold key',
    files: { 'rubric.yaml': rubricWith('thresholds', 'thresholds: { rubric_min_scor: 0.5 }') },
    message:
      'rubric.yaml:4:15: thresholds.rubric_min_scor is not a known key; did you mean rubric_min_score?',
  },
  {
    name: 'rubric.yaml: a misspelled provider setting',
    files: { 'rubric.yaml': `${RUBRIC}providers: { openai: { max_retry: 3 } }\n` },
    message: 'rubric.yaml:5:24: providers.openai.max_retry is not a known key; did you mean max_retries?',
  },
  {
    name: 'rubric.yaml: a threshold of the wrong type',
    files: { 'rubric.yaml': rubricWith('thresholds', 'thresholds: { rubric_min_score: high }') },
    message: 'rubric.yaml:4:33: thresholds.rubric_min_score must be a number; found "high"',
  },
  {
    name: 'rubric.yaml: rubric_min_score above 1',
    files: { 'rubric.yaml': rubricWith('thresholds', 'thresholds: { rubric_min_score: 1.5 }') },
    message: 'rubric.yaml:4:33: thresholds.rubric_min_score must be at most 1; found 1.5',
  },
  {
    name: 'rubric.yaml: max_per_case_regression negative',
    files: {
      'rubric.yaml': rubricWith(
        'thresholds',
        'thresholds: { rubric_min_score: 0.5, max_per_case_regression: -3 }',
      ),
    },
    message: 'rubric.yaml:4:63: thresholds.max_per_case_regression must be at least 0; found -3',
  },
  {
    name: 'rubric.yaml: a model string with an unknown provider',
    files: { 'rubric.yaml': rubricWith('model_primary', 'model_primary: opneai:gpt-5') },
    message:
      'rubric.yaml:1:16: model_primary is not usable: "opneai:gpt-5" names an unknown provider "opneai": use one of openai, anthropic, azure, openai-compatible, bedrock, vertex; did you mean openai:gpt-5?',
  },
  {
    name: 'rubric.yaml: a model string without a provider',
    files: { 'rubric.yaml': rubricWith('judge', 'judge: gpt-5') },
    message:
      'rubric.yaml:2:8: judge is not usable: "gpt-5" has no provider prefix: write provider:model, e.g. openai:gpt-5 (providers: openai, anthropic, azure, openai-compatible, bedrock, vertex)',
  },
  {
    name: 'rubric.yaml: an agent entry that does not exist',
    files: { 'rubric.yaml': `${RUBRIC}agent: agents/missing.ts\n` },
    message:
      'rubric.yaml:5:8: agent names agents/missing.ts, which does not exist; fix the path (relative to the repository root)',
  },
  {
    name: 'rubric.yaml: a cases glob that matches no file',
    files: { 'rubric.yaml': `${RUBRIC}cases: eval/cases/*.yaml\n` },
    message:
      'rubric.yaml:5:8: cases has "eval/cases/*.yaml", which matches no file; fix the path or glob, or create the file',
  },
  {
    name: 'QUALIFY_MODEL with an unknown provider',
    files: {},
    env: { QUALIFY_MODEL: 'antropic:claude-opus-4-7' },
    message:
      '"antropic:claude-opus-4-7" names an unknown provider "antropic": use one of openai, anthropic, azure, openai-compatible, bedrock, vertex; did you mean anthropic:claude-opus-4-7?',
  },
  {
    name: 'QUALIFY_CACHE not a mode',
    files: {},
    env: { QUALIFY_CACHE: 'sometimes' },
    message: 'QUALIFY_CACHE=sometimes is not a cache mode; use one of auto, record, replay, off',
  },
];
