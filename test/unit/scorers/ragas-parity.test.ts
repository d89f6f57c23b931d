/**
 * Parity with ragas, edge by edge: for each scripted reply, the value ragas gives (0.4.3
 * `collections` for the `all` gate, 0.3.5 for `any`, on the same vectors) and the value we give,
 * through the real SDKs against the fake provider. A row is `same`, or names the bullet of
 * docs/scoring.md "Differences from ragas" that says why not.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { QuestionSchema } from '../../../src/scorers/answer-relevancy-prompt.js';
import { answerRelevancy } from '../../../src/scorers/answer-relevancy.js';
import { JudgeReplyError } from '../../../src/scorers/errors.js';
import { VerdictsSchema } from '../../../src/scorers/faithfulness-prompt.js';
import { faithfulness } from '../../../src/scorers/faithfulness.js';
import type { NoncommittalGate } from '../../../src/scorers/math.js';
import { toJsonSchema } from '../../../src/scorers/structured-call.js';
import { schemaNamed, startWire, type Wire } from './wire.js';

/** A score, NaN, a reply rejected after its retries, or (ragas only) an exception. */
type Outcome = number | 'NaN' | 'E_JUDGE_REPLY' | 'raises';
/** The bold lead of a bullet under "Differences from ragas" in docs/scoring.md. */
type Deviation = 'Out-of-range integers.' | 'Blank questions.' | 'Empty questions under `any`.';

interface Row {
  name: string;
  ragas: Outcome;
  ours: Outcome;
  parity: 'same' | Deviation;
}

let wire: Wire;
beforeAll(async () => {
  wire = await startWire();
});
beforeEach(() => wire.fake.reset());
afterAll(async () => {
  await wire.fake.close();
});

const JUDGE = 'openai:gpt-4.1';
const EMBEDDINGS = 'openai:text-embedding-3-small';
const SCORING_MD = readFileSync(new URL('../../../docs/scoring.md', import.meta.url), 'utf8');

/** Numbers to 12 decimals, so a table value like `2 / 3` compares with the computed one. */
function rounded(value: Outcome): Outcome {
  return typeof value === 'number' ? Number(value.toFixed(12)) : value;
}

function outcome(score: number): Outcome {
  return Number.isNaN(score) ? 'NaN' : rounded(score);
}

async function settle(run: () => Promise<{ score: number }>): Promise<Outcome> {
  try {
    return outcome((await run()).score);
  } catch (error) {
    if (error instanceof JudgeReplyError) return 'E_JUDGE_REPLY';
    throw error;
  }
}

/** Equal values, or both a failed reply (ragas raises where we report `E_JUDGE_REPLY`). */
function sameOutcome(ragas: Outcome, ours: Outcome): boolean {
  if (ragas === 'raises') return ours === 'E_JUDGE_REPLY';
  return rounded(ragas) === rounded(ours);
}

function checkParityColumn(row: Row): void {
  expect(row.parity === 'same').toBe(sameOutcome(row.ragas, row.ours));
  if (row.parity !== 'same') expect(SCORING_MD).toContain(`- **${row.parity}**`);
}

/** A unit vector at this cosine with the user input's [1, 0]. */
const at = (cos: number) => [cos, Math.sqrt(1 - cos * cos)];

describe('answer_relevancy', () => {
  interface RelevancyRow extends Row {
    gate: NoncommittalGate;
    generations: { question: string; noncommittal: unknown }[];
    /** Vectors by text; the user input and anything else get [1, 0]. */
    vectors?: Record<string, number[]>;
  }
  const VECTORS: Record<string, number[]> = {
    q: at(0.8536),
    q1: at(0.9),
    q2: at(0.8),
    q3: at(0.7),
    // What ragas would be given for blank questions, had it embedded them (0.3.5 does).
    '': at(0.6),
    ' ': at(0.6),
  };
  const g = (question: string, noncommittal: unknown) => ({ question, noncommittal });
  const rows: RelevancyRow[] = [
    {
      name: 'flags [0,1,0], cos [.9,.8,.7], gate all',
      gate: 'all',
      generations: [g('q1', 0), g('q2', 1), g('q3', 0)],
      ragas: 0.8,
      ours: 0.8,
      parity: 'same',
    },
    {
      name: 'flags [0,1,0], gate any',
      gate: 'any',
      generations: [g('q1', 0), g('q2', 1), g('q3', 0)],
      ragas: 0,
      ours: 0,
      parity: 'same',
    },
    {
      name: 'flags [1,1,1], gate all',
      gate: 'all',
      generations: [g('q1', 1), g('q2', 1), g('q3', 1)],
      ragas: 0,
      ours: 0,
      parity: 'same',
    },
    {
      name: 'flags [1,1,1], gate any',
      gate: 'any',
      generations: [g('q1', 1), g('q2', 1), g('q3', 1)],
      ragas: 0,
      ours: 0,
      parity: 'same',
    },
    {
      name: 'negative cosines count unclipped',
      gate: 'all',
      generations: [g('a', 0), g('b', 0), g('c', 0)],
      vectors: { a: at(0.5), b: at(-0.8), c: at(0) },
      ragas: -0.1,
      ours: -0.1,
      parity: 'same',
    },
    {
      name: 'the issue\'s case: ("", 0), (q, 1), (q, 1), gate all: only the kept flags gate',
      gate: 'all',
      generations: [g('', 0), g('q', 1), g('q', 1)],
      ragas: 0,
      ours: 0,
      parity: 'same',
    },
    {
      name: '("", 1), (q1, 0), (q2, 0), gate all: the dropped flag does not gate',
      gate: 'all',
      generations: [g('', 1), g('q1', 0), g('q2', 0)],
      ragas: 0.85,
      ours: 0.85,
      parity: 'same',
    },
    {
      name: '("", 1), (q1, 0), (q2, 0), gate any: the empty question\'s flag gates',
      gate: 'any',
      generations: [g('', 1), g('q1', 0), g('q2', 0)],
      ragas: 0,
      ours: 0,
      parity: 'same',
    },
    {
      name: '("", 0), (q1, 0), (q2, 0), gate any: ragas 0.3.5 averages the empty question in',
      gate: 'any',
      generations: [g('', 0), g('q1', 0), g('q2', 0)],
      ragas: (0.6 + 0.9 + 0.8) / 3,
      ours: 0.85,
      parity: 'Empty questions under `any`.',
    },
    {
      name: 'every question empty, gate all',
      gate: 'all',
      generations: [g('', 0), g('', 1), g('', 0)],
      ragas: 0,
      ours: 0,
      parity: 'same',
    },
    {
      name: 'every question empty, gate any',
      gate: 'any',
      generations: [g('', 0), g('', 1), g('', 0)],
      ragas: 'NaN',
      ours: 'NaN',
      parity: 'same',
    },
    {
      name: 'a whitespace-only question, gate all: ragas collections raises',
      gate: 'all',
      generations: [g(' ', 0), g('q1', 0), g('q2', 0)],
      ragas: 'raises',
      ours: 0.85,
      parity: 'Blank questions.',
    },
    {
      name: 'a whitespace-only question, gate any: ragas 0.3.5 embeds it',
      gate: 'any',
      generations: [g(' ', 0), g('q1', 0), g('q2', 0)],
      ragas: (0.6 + 0.9 + 0.8) / 3,
      ours: 0.85,
      parity: 'Blank questions.',
    },
    {
      name: 'all noncommittal with a zero embedding: NaN x 0',
      gate: 'all',
      generations: [g('q1', 1), g('q2', 1), g('q3', 1)],
      vectors: { q1: [0, 0] },
      ragas: 'NaN',
      ours: 'NaN',
      parity: 'same',
    },
    {
      name: 'committal with a zero embedding of the user input',
      gate: 'all',
      generations: [g('q1', 0), g('q2', 0), g('q3', 0)],
      vectors: { 'Can I return shoes after 40 days?': [0, 0] },
      ragas: 'NaN',
      ours: 'NaN',
      parity: 'same',
    },
    {
      name: 'noncommittal true, true, true',
      gate: 'all',
      generations: [g('q1', true), g('q2', true), g('q3', true)],
      ragas: 0,
      ours: 0,
      parity: 'same',
    },
    {
      name: 'noncommittal false, "1", "0", gate all',
      gate: 'all',
      generations: [g('q1', false), g('q2', '1'), g('q3', '0')],
      ragas: 0.8,
      ours: 0.8,
      parity: 'same',
    },
    {
      name: 'noncommittal "0", " 0 ", "1", gate any',
      gate: 'any',
      generations: [g('q1', '0'), g('q2', ' 0 '), g('q3', '1')],
      ragas: 0,
      ours: 0,
      parity: 'same',
    },
    {
      name: 'noncommittal 2, 2, 2: ragas takes any integer',
      gate: 'all',
      generations: [g('q1', 2), g('q2', 2), g('q3', 2)],
      ragas: 0,
      ours: 'E_JUDGE_REPLY',
      parity: 'Out-of-range integers.',
    },
  ];

  test.each(rows)('$name: ragas $ragas, ours $ours ($parity)', async (row) => {
    checkParityColumn(row);
    const vectors = { ...VECTORS, ...row.vectors };
    wire.fake.on(
      { api: 'openai.chat', where: schemaNamed('generated_question') },
      { choices: row.generations.map((json) => ({ json })) },
    );
    wire.fake.on({ api: 'openai.embeddings' }, { embeddings: (text: string) => vectors[text] ?? [1, 0] });
    const ours = await settle(() =>
      answerRelevancy(
        { client: wire.client, model: JUDGE, embeddings: EMBEDDINGS, noncommittalGate: row.gate },
        { question: 'Can I return shoes after 40 days?', answer: 'No, the window is 30 days.' },
      ),
    );
    expect(ours).toEqual(rounded(row.ours));
    const embedded = wire.fake.requests
      .filter((r) => r.api === 'openai.embeddings')
      .flatMap((r) => r.body['input'] as string[]);
    expect(embedded.filter((text) => text.trim() === '')).toEqual([]);
  });
});

describe('faithfulness', () => {
  interface FaithfulnessRow extends Row {
    statements: string[];
    /** The verdicts of the NLI reply, as sent; `undefined`: no NLI reply is scripted. */
    verdicts: unknown[] | undefined;
  }
  const FOUR = ['Ann wrote it.', 'Ann wrote it in 1990.', 'It is long.', 'It won a prize.'];
  const rows: FaithfulnessRow[] = [
    {
      name: 'verdicts [1,0,1,1]',
      statements: FOUR,
      verdicts: [1, 0, 1, 1],
      ragas: 0.75,
      ours: 0.75,
      parity: 'same',
    },
    { name: 'no statements', statements: [], verdicts: undefined, ragas: 'NaN', ours: 'NaN', parity: 'same' },
    {
      name: '3 verdicts for 4 statements: the denominator is 3',
      statements: FOUR,
      verdicts: [1, 1, 0],
      ragas: 2 / 3,
      ours: 2 / 3,
      parity: 'same',
    },
    {
      name: 'an empty verdict list',
      statements: FOUR,
      verdicts: [],
      ragas: 'NaN',
      ours: 'NaN',
      parity: 'same',
    },
    {
      name: 'verdicts true, false, true, true',
      statements: FOUR,
      verdicts: [true, false, true, true],
      ragas: 0.75,
      ours: 0.75,
      parity: 'same',
    },
    {
      name: 'verdicts "1", "0", "1", "1"',
      statements: FOUR,
      verdicts: ['1', '0', '1', '1'],
      ragas: 0.75,
      ours: 0.75,
      parity: 'same',
    },
    {
      name: 'verdicts " 1 ", "1.0", "+0", 1',
      statements: FOUR,
      verdicts: [' 1 ', '1.0', '+0', 1],
      ragas: 0.75,
      ours: 0.75,
      parity: 'same',
    },
    {
      name: 'verdicts 1, 2, 0, 1: ragas counts 2 as supported',
      statements: FOUR,
      verdicts: [1, 2, 0, 1],
      ragas: 0.75,
      ours: 'E_JUDGE_REPLY',
      parity: 'Out-of-range integers.',
    },
    {
      name: 'verdicts 1, -1, 0, 0: ragas counts -1 as supported',
      statements: FOUR,
      verdicts: [1, -1, 0, 0],
      ragas: 0.5,
      ours: 'E_JUDGE_REPLY',
      parity: 'Out-of-range integers.',
    },
    {
      name: 'verdicts "yes", 1, 1, 1: ragas rejects it too',
      statements: FOUR,
      verdicts: ['yes', 1, 1, 1],
      ragas: 'raises',
      ours: 'E_JUDGE_REPLY',
      parity: 'same',
    },
  ];

  test.each(rows)('$name: ragas $ragas, ours $ours ($parity)', async (row) => {
    checkParityColumn(row);
    wire.fake.on(
      { api: 'openai.chat', where: schemaNamed('statements') },
      { json: { statements: row.statements } },
    );
    if (row.verdicts) {
      const statements = row.verdicts.map((verdict, i) => ({
        statement: FOUR[i],
        reason: 'per the context',
        verdict,
      }));
      wire.fake.on({ api: 'openai.chat', where: schemaNamed('verdicts') }, { json: { statements } });
    }
    const ours = await settle(() =>
      faithfulness(
        { client: wire.client, model: JUDGE },
        {
          question: 'Who wrote it?',
          answer: 'Ann wrote it in 1990.',
          contexts: ['Ann wrote it.', 'In 1990.'],
        },
      ),
    );
    expect(ours).toEqual(rounded(row.ours));
  });
});

describe('the schemas sent stay plain integers 0..1 (reading leniently changes no request)', () => {
  test('generated_question', () => {
    expect(toJsonSchema(QuestionSchema)).toEqual({
      type: 'object',
      properties: { question: { type: 'string' }, noncommittal: { type: 'integer', minimum: 0, maximum: 1 } },
      required: ['question', 'noncommittal'],
      additionalProperties: false,
    });
  });

  test('verdicts', () => {
    expect(toJsonSchema(VerdictsSchema)).toEqual({
      type: 'object',
      properties: {
        statements: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              statement: { type: 'string' },
              reason: { type: 'string' },
              verdict: { type: 'integer', minimum: 0, maximum: 1 },
            },
            required: ['statement', 'reason', 'verdict'],
            additionalProperties: false,
          },
        },
      },
      required: ['statements'],
      additionalProperties: false,
    });
  });
});
