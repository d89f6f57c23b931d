/**
 * What a run prints, through real Vitest: stdout belongs to the reporters the
 * user chose (a JUnit file must parse), our summary and progress go to stderr,
 * and cost names the models that have no price.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startFakeProvider, type FakeProvider } from '../fake-provider/index.js';
import { evalResponder } from '../fake-provider/eval-responder.js';
import { evalProject, providerEnv } from './harness.js';

const RUBRIC = `model_primary: openai:model-a
judge: openai:judge-1
system_prompt: Answer briefly.
judge_samples: 1
thresholds: { rubric_min_score: 0.6 }
`;
const CASES = `cases:
  - id: one
    input: "Question one"
    criteria: [{ id: c, text: "Correct" }]
  - id: two
    input: "Question two"
    criteria: [{ id: c, text: "Correct" }]
  - id: three
    input: "Question three"
    criteria: [{ id: c, text: "Correct" }]
`;
/** The agent's model costs a dollar per output token; the judge has no price. */
const PRICED = `${RUBRIC}prices: { "openai:model-a": { input_per_mtok: 0, output_per_mtok: 1000000 } }\n`;

let fake: FakeProvider;
beforeAll(async () => {
  fake = await startFakeProvider({
    fallback: evalResponder({
      answers: {
        'Question one': 'One. [score=9]',
        'Question two': 'Two. [score=9]',
        'Question three': 'Three. [score=3]',
      },
    }),
  });
});
afterAll(async () => {
  await fake.close();
});

/** Our lines of the output, elapsed time (the only thing that differs run to run) normalised. */
const ours = (text: string): string[] =>
  text
    .split('\n')
    .filter((line) => line.startsWith(' qualify  ') || line.startsWith('          '))
    .map((line) => line.replace(/; \d+ s$/, '; <n> s').replace(/, \d+\.\d s$/, ', <t> s'));

/**
 * A small well-formedness check: one root element, every tag closed in order,
 * nothing but whitespace outside it, no stray `<` or `&`.
 */
function wellFormedXml(text: string): { ok: true; root: string } | { ok: false; why: string } {
  const body = text.replace(/^\s*<\?xml[^?]*\?>/, '');
  const tag =
    /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>|<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->/g;
  const stack: string[] = [];
  let root = '';
  let at = 0;
  for (let m = tag.exec(body); m; m = tag.exec(body)) {
    const between = body.slice(at, m.index);
    if (stack.length === 0 && between.trim() !== '') {
      return { ok: false, why: `text outside the root: ${between.trim().slice(0, 80)}` };
    }
    if (/<|&(?!(amp|lt|gt|quot|apos|#\d+|#x[\da-f]+);)/i.test(between)) {
      return { ok: false, why: `stray markup: ${between.slice(0, 80)}` };
    }
    at = m.index + m[0].length;
    if (m[2] === undefined) continue; // CDATA or a comment
    if (m[1]) {
      if (stack.pop() !== m[2]) return { ok: false, why: `</${m[2]}> closes nothing open` };
      continue;
    }
    if (stack.length === 0) {
      if (root) return { ok: false, why: `a second root <${m[2]}>` };
      root = m[2];
    }
    if (!m[4]) stack.push(m[2]);
  }
  const rest = body.slice(at).trim();
  if (rest !== '') return { ok: false, why: `text after the root: ${rest.slice(0, 80)}` };
  if (stack.length) return { ok: false, why: `<${stack.at(-1)!}> is never closed` };
  return root ? { ok: true, root } : { ok: false, why: 'no element' };
}

describe('what a run prints', { timeout: 180_000 }, () => {
  test('the XML check refuses what is not XML', () => {
    expect(wellFormedXml('<?xml version="1.0"?>\n<a x="1"><b/>&amp;</a>\n')).toEqual({ ok: true, root: 'a' });
    expect(wellFormedXml('<a><b></a>')).toEqual({ ok: false, why: '</a> closes nothing open' });
    expect(wellFormedXml('<a/>\n qualify  PASS')).toEqual({
      ok: false,
      why: 'text after the root: qualify  PASS',
    });
    expect(wellFormedXml(' qualify  PASS\n<a/>')).toEqual({
      ok: false,
      why: 'text outside the root: qualify  PASS',
    });
    expect(wellFormedXml('<a>x < y</a>')).toEqual({ ok: false, why: 'stray markup: x < y' });
  });

  test('--reporter=junit: stdout is the JUnit XML alone; progress and the summary are on stderr', async () => {
    await using project = await evalProject({ 'rubric.yaml': PRICED, 'eval/cases.yaml': CASES });
    const run = await project.vitest(['run', '--project', 'eval', '--reporter=junit'], {
      ...providerEnv(fake),
      QUALIFY_PROGRESS: '0',
    });
    expect(run.code, run.stderr).toBe(1);
    // Vitest 4 prints JUnit on stdout; Vitest 5 writes it to .vitest/junit/output.xml and says so there.
    const written = /^JUNIT report written to (\S+)$/m.exec(run.stdout)?.[1];
    const xml = written ? await readFile(written, 'utf8') : run.stdout;
    expect(wellFormedXml(xml)).toEqual({ ok: true, root: 'testsuites' });
    expect(xml).toContain('<testsuites name="vitest tests" tests="3" failures="1" errors="0"');
    if (written) expect(run.stdout.trim()).toBe(`JUNIT report written to ${written}`);
    expect(run.stdout.split('\n').filter((l) => l.includes(' qualify '))).toEqual([]);

    const card = await project.scorecard();
    // Each answer ("One. [score=9]", 14 characters) is 4 tokens out at a dollar a token; the judge has no price.
    expect(card.usage).toMatchObject({ calls: 6, cost_usd: 12, unpriced: ['openai:judge-1'] });
    const unpriced = 'plus unpriced calls (openai:judge-1 has no price: add it under prices: in rubric.yaml)';
    const lines = ours(run.stderr);
    // Concurrent cases finish in any order: which one failed first is not fixed, the counts are.
    expect(lines.slice(0, 3).map((l) => l.replace(/\d passed, \d failed/, '<p> passed, <f> failed'))).toEqual(
      [1, 2, 3].map(
        (done) =>
          ` qualify  ${done}/3 cases: <p> passed, <f> failed, 0 errored; cost $${4 * done}.0000 ${unpriced}; <n> s`,
      ),
    );
    expect(lines.slice(2)).toEqual([
      ` qualify  3/3 cases: 2 passed, 1 failed, 0 errored; cost $12.0000 ${unpriced}; <n> s`,
      ' qualify  FAIL  openai:model-a (no baseline)',
      '          3 cases: 0 pass, 2 new, 0 allowlisted, 1 fail, 0 error',
      '          fail three: scored 30.0 points, below the minimum 60 points (min_score 0.6)',
      `          cost: $12.0000 ${unpriced}; 6 model calls (0 from cassettes), <t> s`,
      '          scorecard: eval/out/scorecard.json, eval/out/scorecard.md',
    ]);
  });

  test('in CI by default: the first finished case, a line at most every 5 s, one at the end; unpriced models named', async () => {
    await using project = await evalProject({ 'rubric.yaml': RUBRIC, 'eval/cases.yaml': CASES });
    const run = await project.vitest(['run', '--project', 'eval'], { ...providerEnv(fake), CI: 'true' });
    expect(run.code, run.stderr).toBe(1);
    const why = 'openai:judge-1 and openai:model-a have no price: add them under prices: in rubric.yaml';
    const progress = ours(run.stderr).filter((l) => /^ qualify {2}\d\/3 cases/.test(l));
    expect(progress[0]).toMatch(
      new RegExp(
        `^ qualify  1/3 cases: [01] passed, [01] failed, 0 errored; cost unpriced \\(${why}\\); <n> s$`,
      ),
    );
    // A middle line only if the run took over 5 s between two cases (a loaded machine).
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress.length).toBeLessThanOrEqual(3);
    expect(progress.at(-1)).toBe(
      ` qualify  3/3 cases: 2 passed, 1 failed, 0 errored; cost unpriced (${why}); <n> s`,
    );
    expect(ours(run.stderr)).toContain(
      `          cost: unpriced (${why}); 6 model calls (0 from cassettes), <t> s`,
    );
    expect(run.stdout).not.toContain(' qualify  ');
    expect((await project.scorecard()).usage).toMatchObject({
      cost_usd: 0,
      unpriced: ['openai:judge-1', 'openai:model-a'],
    });
    expect(await project.read('eval/out/scorecard.md')).toContain(
      `6 model calls (0 from cassettes), 1058 input and 66 output tokens, cost unpriced (${why}), `,
    );

    const quiet = await project.vitest(['run', '--project', 'eval'], {
      ...providerEnv(fake),
      CI: 'true',
      QUALIFY_PROGRESS: 'off',
    });
    expect(ours(quiet.stderr).filter((l) => /^ qualify {2}\d+\/\d+ cases:/.test(l))).toEqual([]);
    expect(ours(quiet.stderr)[0]).toBe(' qualify  FAIL  openai:model-a (no baseline)');
  });

  test('a QUALIFY_PROGRESS that is not seconds is one line at start-up, exit 2, before any call', async () => {
    await using project = await evalProject({ 'rubric.yaml': RUBRIC, 'eval/cases.yaml': CASES });
    const calls = fake.requests.length;
    const run = await project.vitest(['run', '--project', 'eval'], {
      ...providerEnv(fake),
      QUALIFY_PROGRESS: 'fast',
    });
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n').filter((l) => l.startsWith('vitest-qualify: '))).toEqual([
      'vitest-qualify: QUALIFY_PROGRESS=fast is not a number of seconds; use e.g. QUALIFY_PROGRESS=5, 0 for a line per case, or off',
    ]);
    expect(fake.requests.length).toBe(calls);
  });
});
