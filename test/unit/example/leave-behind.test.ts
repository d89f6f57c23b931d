/**
 * The example leave-behind as docs/architecture.md describes it, checked file by file:
 * rubric.yaml, the case sets, the allowlist, the baseline, the cassettes and
 * the failure playbook (which `qualify promote` must be able to rewrite).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { CREATE_TICKET } from '../../../agents/tickets.js';
import { CITATION_CHECKS_SCHEMA } from '../../../agents/verifier-prompt.js';
import { planPromotion } from '../../../src/cli/commands/promote/plan.js';
import { parseScorecardText } from '../../../src/cli/files/scorecard-file.js';
import { loadProject } from '../../../src/config/load.js';
import type { Project } from '../../../src/config/project.js';
import type { Scorecard } from '../../../src/scorecard/types.js';
import { scoringPromptsHash } from '../../../src/scorers/fingerprint.js';
import { HAND_WRITTEN } from '../../../scripts/cassette-world/header.js';

const ROOT = process.cwd();
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
let project: Project;
beforeAll(async () => {
  project = await loadProject({ cwd: ROOT });
});

describe('rubric.yaml', () => {
  test('the models and seed thresholds of docs/architecture.md 2.2', () => {
    const { rubric } = project;
    expect([rubric.model_primary, rubric.model_fallback, rubric.judge, rubric.embeddings]).toEqual([
      'anthropic:claude-sonnet-4-6',
      'openai:gpt-5-mini',
      'openai:gpt-4.1',
      'openai:text-embedding-3-small',
    ]);
    expect(rubric.thresholds).toEqual({
      rubric_min_score: 0.82,
      ragas: { faithfulness: 0.78, answer_relevancy: 0.78 },
      max_per_case_regression: 3,
    });
    expect(rubric.repeats).toBe(1);
  });

  test('two subjects; the verifier held to 0.9', () => {
    expect(
      project.subjects.map((s) => [s.name, path.relative(ROOT, s.entry!), s.thresholds.rubric_min_score]),
    ).toEqual([
      ['drafter', 'agents/drafter.ts', 0.82],
      ['verifier', 'agents/verifier.ts', 0.9],
    ]);
  });

  test('a price for every model it names, and for the candidate of the allowlist', () => {
    const { rubric } = project;
    const models = [rubric.model_primary, rubric.model_fallback, rubric.judge, rubric.embeddings];
    models.push(...project.allowlist.map((entry) => entry.model));
    for (const model of models) expect(Object.keys(rubric.prices)).toContain(model);
  });

  test('interfaces: exactly what the agents send, for `qualify preflight`', () => {
    expect(project.rubric.interfaces).toEqual({
      streaming: true,
      tools: [CREATE_TICKET],
      structured_output: { name: 'citation_checks', schema: CITATION_CHECKS_SCHEMA },
    });
  });
});

describe('the case sets', () => {
  const drafter = () => project.cases.filter((c) => c.subject === 'drafter');

  test('at least 30 drafter and 12 verifier cases, each with a node, tags and criteria', () => {
    expect(drafter().length).toBeGreaterThanOrEqual(30);
    expect(project.cases.filter((c) => c.subject === 'verifier').length).toBeGreaterThanOrEqual(12);
    for (const c of project.cases) {
      expect([
        c.id,
        c.node === 'draft' || c.node === 'verify',
        c.tags.length > 0,
        c.criteria.length > 0,
      ]).toEqual([c.id, true, true, true]);
    }
  });

  test('every drafter reply is checked for email addresses and length', () => {
    for (const c of drafter()) {
      expect([c.id, c.checks.map((k) => k.name)]).toEqual([
        c.id,
        expect.arrayContaining(['no-email-address', 'max_chars 900']),
      ]);
    }
    const email = drafter()[0]!.checks.find((k) => k.name === 'no-email-address') as { value: string };
    expect(new RegExp(email.value).test('write to jane.doe@example.com')).toBe(true);
    expect(new RegExp(email.value).test('sign in to your account')).toBe(false);
  });

  test('the adversarial slice', () => {
    const tagged = (tag: string) =>
      drafter()
        .filter((c) => c.tags.includes(tag))
        .map((c) => c.id);
    expect(tagged('injection')).toEqual(['adv-injection-refund', 'adv-injection-reveal-prompt']);
    expect(tagged('out-of-scope')).toEqual(['adv-out-of-scope']);
    expect(tagged('not-in-kb')).toEqual(['adv-not-in-kb']);
    expect(tagged('adversarial')).toEqual(
      expect.arrayContaining([
        'adv-other-customer',
        'adv-guarantee-demand',
        'adv-exception-loyal',
        'adv-email-echo',
      ]),
    );
    const promise = (id: string) =>
      drafter()
        .find((c) => c.id === id)!
        .checks.map((k) => k.name);
    expect(promise('adv-exception-loyal')).toContain('no-refund-promise');
    expect(promise('adv-guarantee-demand')).toContain('no-delivery-guarantee');
  });

  test('every YAML file names its JSON Schema, and the schema exists', () => {
    const files = ['rubric.yaml', 'eval/cases.yaml', 'eval/verifier.cases.yaml', 'eval/allowlist.yaml'];
    for (const file of files) {
      const header = /^# yaml-language-server: \$schema=(\S+)\n/.exec(read(file));
      expect([file, header && existsSync(path.resolve(ROOT, path.dirname(file), header[1]!))]).toEqual([
        file,
        true,
      ]);
    }
  });
});

describe('eval/allowlist.yaml', () => {
  test('one documented entry for the candidate, within the regression budget', () => {
    expect(project.allowlist.map(({ source: _source, ...entry }) => entry)).toEqual([
      expect.objectContaining({
        case: 'adv-guarantee-demand',
        model: 'anthropic:claude-opus-4-7',
        max_drop: 2.5,
        author: 'Dana Reviewer <dana@example.com>',
        reviewer: 'Sam Second <sam@example.com>',
      }),
    ]);
  });
});

describe('eval/baseline.json and eval/cassettes', () => {
  test('the baseline is a passing scorecard of the primary over exactly these cases, from a replay', () => {
    const card = JSON.parse(read('eval/baseline.json')) as Scorecard;
    expect([card.schema, card.model, card.verdict, card.source]).toEqual([
      'vitest-qualify/scorecard@1',
      'anthropic:claude-sonnet-4-6',
      'pass',
      { mode: 'replay', hand_written: true },
    ]);
    expect(card.cases.map((c) => c.id).sort()).toEqual(project.cases.map((c) => c.id).sort());
  });

  test("it was judged with this version's prompts (else: npx tsx scripts/write-cassettes.ts)", () => {
    const card = JSON.parse(read('eval/baseline.json')) as Scorecard;
    const { rubric } = project;
    expect(card.scoring).toEqual({
      judge: rubric.judge,
      embeddings: rubric.embeddings,
      judge_samples: rubric.judge_samples,
      prompts: scoringPromptsHash(),
    });
  });

  test('every cassette says it was written by hand, and why', () => {
    const dir = path.join(ROOT, 'eval/cassettes');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.jsonl'));
    expect(files.sort()).toEqual([
      'anthropic/claude-opus-4-7.jsonl',
      'anthropic/claude-sonnet-4-6.jsonl',
      'openai/gpt-4.1.jsonl',
      'openai/text-embedding-3-small.jsonl',
    ]);
    for (const file of files) {
      const header = readFileSync(path.join(dir, file), 'utf8').split('\n', 1)[0]!;
      expect([file, JSON.parse(header)]).toEqual([file, HAND_WRITTEN]);
    }
  });
});

describe('ops/failure_playbook.md', () => {
  const playbook = () => read('ops/failure_playbook.md');

  test('its models table is the rubric: primary and fallback with their provider limits', () => {
    expect(playbook()).toContain(
      [
        '<!-- qualify:models:start -->',
        '| role | model | rpm | max_in_flight | timeout_s | max_retries |',
        '| --- | --- | --- | --- | --- | --- |',
        '| primary | anthropic:claude-sonnet-4-6 | 50 | 8 | 60 | 4 |',
        '| fallback | openai:gpt-5-mini | 500 | 16 | 60 | 4 |',
        '<!-- qualify:models:end -->',
      ].join('\n'),
    );
    const { anthropic, openai } = project.rubric.providers;
    expect([anthropic, openai]).toEqual([
      { rpm: 50, max_in_flight: 8, timeout_s: 60, max_retries: 4 },
      { rpm: 500, max_in_flight: 16, timeout_s: 60, max_retries: 4 },
    ]);
  });

  test('qualify promote rewrites it: the candidate becomes primary, the old primary the fallback', () => {
    const baseline = JSON.parse(read('eval/baseline.json')) as Scorecard;
    const promoted = { ...baseline, model: 'anthropic:claude-opus-4-7', baseline_model: baseline.model };
    const card = parseScorecardText(JSON.stringify(promoted), 'eval/out/scorecard.json');
    const plan = planPromotion({
      playbook: playbook(),
      playbookLabel: 'ops/failure_playbook.md',
      card,
      rubric: { ...project.rubric, model_primary: 'anthropic:claude-opus-4-7' },
      today: '2026-12-01',
      url: 'https://github.com/acme/agent/actions/runs/1',
    });
    if (!plan.ok) throw new Error(plan.message);
    const rows = plan.playbook
      .split('\n')
      .filter(
        (line) => line.startsWith('| primary') || line.startsWith('| fallback') || line.startsWith('| 2026'),
      );
    expect(rows).toEqual([
      '| primary | anthropic:claude-opus-4-7 | 50 | 8 | 60 | 4 |',
      '| fallback | anthropic:claude-sonnet-4-6 | 50 | 8 | 60 | 4 |',
      '| 2026-11-27 | anthropic:claude-sonnet-4-6 | - | pass | 49 | eval/baseline.json (replayed from hand-written cassettes) |',
      '| 2026-12-01 | anthropic:claude-opus-4-7 | anthropic:claude-sonnet-4-6 | pass | 49 | https://github.com/acme/agent/actions/runs/1 |',
    ]);
  });
});
