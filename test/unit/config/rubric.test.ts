import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadRubric } from '../../../src/config/load.js';
import { ConfigError } from '../../../src/errors.js';
import { configError, problemMessages, rubricYaml, scratch } from './scratch.js';

async function rubricFile(text: string): Promise<string> {
  const dir = await scratch({ 'rubric.yaml': text });
  return join(dir, 'rubric.yaml');
}

describe('loadRubric defaults', () => {
  test('fills every default of docs/architecture.md 2.2', async () => {
    const rubric = await loadRubric(await rubricFile(rubricYaml()));
    expect(rubric).toEqual({
      model_primary: 'anthropic:claude-sonnet-4-6',
      judge: 'openai:gpt-5',
      embeddings: 'openai:text-embedding-3-small',
      judge_samples: 3,
      criteria: [],
      drift_probe: 3,
      thresholds: {
        rubric_min_score: 0.82,
        ragas: { faithfulness: 0.78, answer_relevancy: 0.78 },
        max_per_case_regression: 3,
      },
      repeats: 1,
      relevancy: { strictness: 3, noncommittal_gate: 'all' },
      gate: { level: 0.05, screening_level: 0.1, rounds: 3, max_rounds: 8 },
      tool_changes: { on_change: 'review' },
      subjects: {
        agent: {
          entry: undefined,
          cases: ['eval/cases.yaml'],
          thresholds: {
            rubric_min_score: 0.82,
            ragas: { faithfulness: 0.78, answer_relevancy: 0.78 },
            max_per_case_regression: 3,
          },
          repeats: 1,
        },
      },
      providers: {},
      prices: {},
      baseline: 'eval/baseline.json',
      allowlist: 'eval/allowlist.yaml',
      scorecard: { json: 'eval/out/scorecard.json', markdown: 'eval/out/scorecard.md' },
      cache: { dir: 'eval/cassettes' },
      case_timeout_s: 300,
      max_concurrency: 32,
      second_pass: { enabled: true, cool_down_s: 30 },
    });
  });

  test('top-level agent and cases make the one subject "agent"', async () => {
    const rubric = await loadRubric(
      await rubricFile(
        rubricYaml('agent: agents/support.ts\ncases: [eval/a.yaml, "eval/more/*.yaml"]\nrepeats: 2\n'),
      ),
    );
    expect(rubric.subjects).toEqual({
      agent: {
        entry: 'agents/support.ts',
        cases: ['eval/a.yaml', 'eval/more/*.yaml'],
        thresholds: rubric.thresholds,
        repeats: 2,
      },
    });
  });

  test('a ragas map sets the metrics it names; the other keeps 0.78', async () => {
    const rubric = await loadRubric(
      await rubricFile(
        rubricYaml().replace('thresholds: {}', 'thresholds: { ragas: { faithfulness: 0.9 } }'),
      ),
    );
    expect(rubric.thresholds.ragas).toEqual({ faithfulness: 0.9, answer_relevancy: 0.78 });
  });

  test("subjects merge their thresholds over the rubric's and inherit repeats", async () => {
    const text = [
      'model_primary: anthropic:claude-sonnet-4-6',
      'judge: openai:gpt-5',
      'thresholds: { rubric_min_score: 0.85, ragas: 0.7 }',
      'repeats: 3',
      'subjects:',
      '  drafter:  { entry: agents/drafter.ts,  cases: eval/cases.yaml }',
      '  verifier: { cases: eval/verifier.cases.yaml, repeats: 1, thresholds: { rubric_min_score: 0.9, ragas: { answer_relevancy: 0.5 } } }',
      '',
    ].join('\n');
    const rubric = await loadRubric(await rubricFile(text));
    expect(rubric.subjects).toEqual({
      drafter: {
        entry: 'agents/drafter.ts',
        cases: ['eval/cases.yaml'],
        thresholds: {
          rubric_min_score: 0.85,
          ragas: { faithfulness: 0.7, answer_relevancy: 0.7 },
          max_per_case_regression: 3,
        },
        repeats: 3,
      },
      verifier: {
        entry: undefined,
        cases: ['eval/verifier.cases.yaml'],
        thresholds: {
          rubric_min_score: 0.9,
          ragas: { faithfulness: 0.7, answer_relevancy: 0.5 },
          max_per_case_regression: 3,
        },
        repeats: 1,
      },
    });
  });

  test('providers and prices are kept as written', async () => {
    const text = rubricYaml(
      [
        'providers:',
        '  anthropic: { rpm: 50, timeout_s: 60, max_retries: 4 }',
        '  openai-compatible: { base_url: "http://127.0.0.1:8000/v1", api_key_env: GATEWAY_KEY }',
        'prices:',
        '  "openai:gpt-5": { input_per_mtok: 1.25, output_per_mtok: 10 }',
        '',
      ].join('\n'),
    );
    const rubric = await loadRubric(await rubricFile(text));
    expect(rubric.providers).toEqual({
      anthropic: { rpm: 50, timeout_s: 60, max_retries: 4 },
      'openai-compatible': { base_url: 'http://127.0.0.1:8000/v1', api_key_env: 'GATEWAY_KEY' },
    });
    expect(rubric.prices).toEqual({ 'openai:gpt-5': { input_per_mtok: 1.25, output_per_mtok: 10 } });
  });
  test('vertex models and settings are accepted: Gemini and Claude on Vertex, project and location', async () => {
    const text = [
      'model_primary: vertex:gemini-2.5-pro',
      'model_fallback: vertex:claude-sonnet-4-5@20250929',
      'judge: vertex:gemini-2.5-flash',
      'embeddings: vertex:text-embedding-005',
      'thresholds: {}',
      'providers:',
      '  vertex: { project: my-project-123, location: us-east5, timeout_s: 90 }',
      '',
    ].join('\n');
    const rubric = await loadRubric(await rubricFile(text));
    expect([rubric.model_primary, rubric.model_fallback, rubric.judge, rubric.embeddings]).toEqual([
      'vertex:gemini-2.5-pro',
      'vertex:claude-sonnet-4-5@20250929',
      'vertex:gemini-2.5-flash',
      'vertex:text-embedding-005',
    ]);
    expect(rubric.providers).toEqual({
      vertex: { project: 'my-project-123', location: 'us-east5', timeout_s: 90 },
    });
  });
});

describe('loadRubric errors', () => {
  test('an unknown nested key names file:line:col and the nearest key', async () => {
    const file = await rubricFile(
      [
        'model_primary: anthropic:claude-sonnet-4-6',
        'judge: openai:gpt-5',
        '# the gates',
        '',
        'thresholds:',
        '  rubric_min_score: 0.8',
        '  rubric_min_scroe: 0.82',
        '',
      ].join('\n'),
    );
    const error = await configError(loadRubric(file));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.code).toBe('E_CONFIG');
    expect(error.message).toBe(
      `${file}:7:3: thresholds.rubric_min_scroe is not a known key; did you mean rubric_min_score?`,
    );
    expect([error.file, error.line, error.col, error.key]).toEqual([
      file,
      7,
      3,
      'thresholds.rubric_min_scroe',
    ]);
  });

  test('several problems: the first in file order, (+N more), all in problems', async () => {
    const file = await rubricFile(
      [
        'model_primary: anthropic:claude-sonnet-4-6',
        'model_fallback: opena:gpt-5-mini',
        'judge: vertx:gemini-2.5-pro',
        'thresholds:',
        '  rubric_min_score: 1.5',
        '  ragas: { faithfulnes: 0.7 }',
        'repeats: 0',
        'providers:',
        '  antropic: { rpm: 50 }',
        '  openai: { timeout: 4, max_retries: 1.5 }',
        'prices:',
        '  "openai:gpt-5": { input_per_mtok: -1, output_per_mtok: 1 }',
        '  "gpt-5": { input_per_mtok: 1, output_per_mtok: 1 }',
        'judge_temperature: "low"',
        'relevancy: { noncommittal_gate: most }',
        '',
      ].join('\n'),
    );
    const error = await configError(loadRubric(file));
    expect(error.message).toBe(
      `${file}:2:17: model_fallback is not usable: "opena:gpt-5-mini" names an unknown provider "opena": ` +
        'use one of openai, anthropic, azure, openai-compatible, bedrock, vertex; did you mean openai:gpt-5-mini? (+11 more)',
    );
    expect(error.problems.map((p) => p.message.replace(`${file}:`, ''))).toEqual([
      '2:17: model_fallback is not usable: "opena:gpt-5-mini" names an unknown provider "opena": use one of openai, anthropic, azure, openai-compatible, bedrock, vertex; did you mean openai:gpt-5-mini?',
      '3:8: judge is not usable: "vertx:gemini-2.5-pro" names an unknown provider "vertx": use one of openai, anthropic, azure, openai-compatible, bedrock, vertex; did you mean vertex:gemini-2.5-pro?',
      '5:21: thresholds.rubric_min_score must be at most 1; found 1.5',
      '6:12: thresholds.ragas.faithfulnes is not a known key; did you mean faithfulness?',
      '7:10: repeats must be at least 1; found 0',
      '9:3: providers.antropic is not a known key; did you mean anthropic?',
      '10:13: providers.openai.timeout is not a known key; did you mean timeout_s?',
      '10:38: providers.openai.max_retries must be an integer; found 1.5',
      '12:37: prices["openai:gpt-5"].input_per_mtok must be at least 0; found -1',
      '13:3: prices.gpt-5 is not usable: "gpt-5" has no provider prefix: write provider:model, e.g. openai:gpt-5 (providers: openai, anthropic, azure, openai-compatible, bedrock, vertex)',
      '14:20: judge_temperature must be a number; found "low"',
      '15:33: relevancy.noncommittal_gate must be one of all, any; found "most"',
    ]);
  });

  test('an empty file names every required key at 1:1', async () => {
    const file = await rubricFile('');
    expect(await problemMessages(loadRubric(file))).toEqual([
      `${file}:1:1: model_primary is required; expected a string`,
      `${file}:1:1: judge is required; expected a string`,
      `${file}:1:1: thresholds is required; expected a map`,
    ]);
  });

  test('a key with no value is located at the key', async () => {
    const file = await rubricFile('model_primary: anthropic:claude-sonnet-4-6\njudge:\nthresholds: {}\n');
    expect(await problemMessages(loadRubric(file))).toEqual([
      `${file}:2:1: judge must be a string; found an empty value`,
    ]);
  });

  test('a list where a map belongs', async () => {
    const file = await rubricFile('- model_primary: openai:gpt-5\n');
    expect(await problemMessages(loadRubric(file))).toEqual([
      `${file}:1:1: the file must be a map; found a list`,
    ]);
  });

  test('a YAML syntax error keeps yaml line and column', async () => {
    const file = await rubricFile(
      'model_primary: openai:gpt-5\njudge: openai:gpt-5\nthresholds: { rubric_min_score: 0.8\n',
    );
    const error = await configError(loadRubric(file));
    expect(error.code).toBe('E_CONFIG_YAML');
    expect(error.message).toBe(
      `${file}:4:1: YAML syntax error: Flow map in block collection must be sufficiently indented and end with a }`,
    );
  });

  test('a duplicate key is a YAML error at the second one', async () => {
    const file = await rubricFile(rubricYaml('judge: openai:gpt-5-mini\n'));
    expect(await problemMessages(loadRubric(file))).toEqual([
      `${file}:4:1: YAML syntax error: Map keys must be unique`,
    ]);
  });

  test('a missing file names the path and the fix', async () => {
    const dir = await scratch({});
    const file = join(dir, 'rubric.yaml');
    const error = await configError(loadRubric(file));
    expect(error.code).toBe('E_CONFIG_READ');
    expect(error.message).toBe(
      `${file}: file not found; create it (\`npx qualify init\` writes one) or pass the path of your rubric`,
    );
  });

  test('a folder where the file should be', async () => {
    const dir = await scratch({ 'rubric.yaml/x': '' });
    const file = join(dir, 'rubric.yaml');
    expect(await problemMessages(loadRubric(file))).toEqual([
      `${file}: is a folder, not a file; create it (\`npx qualify init\` writes one) or pass the path of your rubric`,
    ]);
  });

  test('agent and cases next to subjects', async () => {
    const file = await rubricFile(
      rubricYaml('agent: agents/a.ts\ncases: eval/a.yaml\nsubjects:\n  a: { cases: eval/a.yaml }\n'),
    );
    expect(await problemMessages(loadRubric(file))).toEqual([
      `${file}:4:1: agent applies only when subjects is absent; move it under subjects.<name>`,
      `${file}:5:1: cases applies only when subjects is absent; move it under subjects.<name>`,
    ]);
  });

  test('subjects: empty map, a bad name, a subject without cases', async () => {
    const empty = await rubricFile(rubricYaml('subjects: {}\n'));
    expect(await problemMessages(loadRubric(empty))).toEqual([
      `${empty}:4:11: subjects names no subject; add one, or remove subjects: to use one agent`,
    ]);
    const bad = await rubricFile(
      rubricYaml('subjects:\n  "my agent": { cases: eval/a.yaml }\n  b: { entry: agents/b.ts }\n'),
    );
    expect(await problemMessages(loadRubric(bad))).toEqual([
      `${bad}:5:3: subjects["my agent"] must be a name of letters, digits and . _ -; found "my agent"`,
      `${bad}:6:6: subjects.b.cases is required; expected a string or a list of strings`,
    ]);
  });

  test('provider settings: URL, environment variable names, numbers', async () => {
    const file = await rubricFile(
      rubricYaml(
        'providers:\n  openai-compatible: { base_url: "ftp://gw", api_key_env: "my key", rpm: 0 }\n  azure: { max_in_flight: 0 }\n',
      ),
    );
    expect(await problemMessages(loadRubric(file))).toEqual([
      `${file}:5:34: providers.openai-compatible.base_url must be an http or https URL; found "ftp://gw"`,
      `${file}:5:59: providers.openai-compatible.api_key_env must be an environment variable name, e.g. MY_GATEWAY_KEY; found "my key"`,
      `${file}:5:74: providers.openai-compatible.rpm must be greater than 0; found 0`,
      `${file}:6:27: providers.azure.max_in_flight must be at least 1; found 0`,
    ]);
  });

  test('vertex settings: a project id and a location', async () => {
    const file = await rubricFile(
      rubricYaml('providers:\n  vertex: { project: My_Project, location: "US East" }\n'),
    );
    expect(await problemMessages(loadRubric(file))).toEqual([
      `${file}:5:22: providers.vertex.project must be a Google Cloud project id, e.g. my-project-123; found "My_Project"`,
      `${file}:5:44: providers.vertex.location must be a Vertex location, e.g. global or us-east5; found "US East"`,
    ]);
  });
});

describe('tool_changes', () => {
  test('on_change is review by default, ignore when set', async () => {
    const set = await loadRubric(await rubricFile(rubricYaml('tool_changes: { on_change: ignore }\n')));
    expect(set.tool_changes).toEqual({ on_change: 'ignore' });
  });

  test('a bad on_change and an unknown key: one line each, naming file:line:col and the fix', async () => {
    const file = await rubricFile(rubricYaml('tool_changes:\n  on_change: fail\n  on_chang: review\n'));
    expect(await problemMessages(loadRubric(file))).toEqual([
      `${file}:5:14: tool_changes.on_change must be review or ignore; found "fail"`,
      `${file}:6:3: tool_changes.on_chang is not a known key; did you mean on_change?`,
    ]);
  });
});
