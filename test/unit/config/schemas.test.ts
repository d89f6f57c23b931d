import { readFile } from 'node:fs/promises';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, test } from 'vitest';
import { parseWithSchema } from '../../../src/config/parse.js';
import { SCHEMA_FILES, renderSchemaFiles, type SchemaFileName } from '../../../src/config/schema-files.js';

const names = Object.keys(SCHEMA_FILES) as SchemaFileName[];

describe('shipped JSON Schemas', () => {
  test.each(names)('schemas/%s is what `npm run schemas` generates', async (name) => {
    const shipped = await readFile(new URL(`../../../schemas/${name}`, import.meta.url), 'utf8').catch(
      () => '',
    );
    const fresh = renderSchemaFiles()[name];
    expect(shipped === fresh, `schemas/${name} is stale or missing: run \`npm run schemas\``).toBe(true);
  });
});

// The examples of docs/architecture.md 2.2-2.4, verbatim except where noted.
const RUBRIC = `
model_primary: anthropic:claude-sonnet-4-6
model_fallback: openai:gpt-5-mini            # optional
judge: openai:gpt-5                          # pinned; never changed by a qualification PR
embeddings: openai:text-embedding-3-small    # pinned: a ragas threshold means something only for one embedding model
thresholds:
  rubric_min_score: 0.82          # each case's rubric score must reach it (a case may set its own min_score)
  ragas: 0.78                     # mean faithfulness and mean answer_relevancy; or a map per metric
  max_per_case_regression: 3      # points on the 0-100 scale versus the baseline
repeats: 1                        # agent trials per case; the case score is their mean
subjects:                         # optional; default one subject "agent"
  drafter:  { entry: agents/drafter.ts,  cases: eval/cases.yaml }
  verifier: { entry: agents/verifier.ts, cases: eval/verifier.cases.yaml, thresholds: { rubric_min_score: 0.9 } }
providers:                        # per provider: rate limits, timeout, retries, base URL env
  anthropic: { rpm: 50, timeout_s: 60, max_retries: 4 }
baseline: eval/baseline.json
allowlist: eval/allowlist.yaml
`;

// docs/architecture.md writes \`json_schema: { ... }\` as a placeholder; here it is a real schema.
const CASES = `
cases:
  - id: refund-window-basic          # unique, stable: the baseline is keyed by it
    subject: drafter                 # optional
    node: prompt-repair              # optional; scope a run by node id
    tags: [billing, adversarial]     # slices in the scorecard
    input: "Can I return shoes after 40 days?"   # or messages: [{role, content}]
    context: ["Returns are accepted within 30 days ..."]  # retrieved contexts; enables faithfulness
    reference: "No; the window is 30 days."              # optional expected answer
    criteria:                        # what the judge scores, each 0..1, weighted
      - { id: states-window, text: "States the 30-day window", weight: 2 }
    checks:                          # deterministic; a failed check makes the case score 0
      - not_contains: "guarantee"
      - regex: "30[ -]day"
      - max_chars: 1200
      - json_schema: { type: object, required: [answer] }
    min_score: 0.9                   # optional per-case override
`;

const ALLOWLIST = `
- case: refund-window-basic          # a case id
  model: anthropic:claude-opus-4-7   # the candidate this tolerance was granted for
  max_drop: 2.5                      # optional; points; never above max_per_case_regression
  reason: "Terser on this adversarial row; the answer is still correct."
  author: "Dana Reviewer <dana@example.com>"
  date: 2026-11-20
  reviewer: "Sam Second <sam@example.com>"   # optional; the second reviewer
  expires: 2027-02-20                         # optional
`;

const EXAMPLES: [SchemaFileName, string][] = [
  ['rubric.schema.json', RUBRIC],
  ['cases.schema.json', CASES],
  ['allowlist.schema.json', ALLOWLIST],
  ['allowlist.schema.json', '[]'],
  [
    'rubric.schema.json',
    'model_primary: openai:gpt-5\njudge: openai:gpt-5\nthresholds: { ragas: { faithfulness: 0.8 } }\n',
  ],
  [
    'cases.schema.json',
    [
      'cases:',
      '  - id: multi',
      '    messages: [{ role: user, content: hi }]',
      '    checks:',
      '      - { contains: [a, b], ignore_case: true, name: both }',
      "      - { regex: 'x', flags: i }",
      '      - { equals: "No.", trim: false }',
      '      - json: true',
      '      - tool_called: { name: refund, arguments: { id: 1 } }',
      '      - { javascript: checks/tone.ts, export: strict }',
    ].join('\n'),
  ],
];

function validatorFor(name: SchemaFileName) {
  // `base_url` is `format: uri`; ajv knows formats only from ajv-formats, which this package does not need.
  const ajv = new Ajv({
    strict: true,
    allErrors: true,
    formats: { uri: (text: string) => URL.canParse(text) },
  });
  return ajv.compile(JSON.parse(renderSchemaFiles()[name]) as object);
}

describe('the examples of docs/architecture.md validate with zod and with the JSON Schema', () => {
  test.each(EXAMPLES)('%s: example %#', (name, text) => {
    const data: unknown = parse(text);
    expect(() => parseWithSchema(SCHEMA_FILES[name].schema, data, name)).not.toThrow();
    const validate = validatorFor(name);
    expect(validate(data), JSON.stringify(validate.errors)).toBe(true);
  });
});

describe('the JSON Schema refuses what the loader refuses', () => {
  test.each([
    ['rubric.schema.json', RUBRIC.replace('rubric_min_score: 0.82', 'rubric_min_scroe: 0.82'), '/thresholds'],
    ['rubric.schema.json', RUBRIC.replace('judge: openai:gpt-5', 'judge: gpt-5'), '/judge'],
    ['cases.schema.json', CASES.replace('not_contains:', 'not_contain:'), '/cases/0/checks/0'],
    ['cases.schema.json', 'cases: []\n', '/cases'],
    ['allowlist.schema.json', ALLOWLIST.replace('  reason:', '  reasons:'), '/0'],
  ] as [SchemaFileName, string, string][])('%s rejects at %#', (name, text, where) => {
    const validate = validatorFor(name);
    expect(validate(parse(text))).toBe(false);
    expect(validate.errors?.some((e) => e.instancePath === where)).toBe(true);
  });
});
