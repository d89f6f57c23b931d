import { readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import { loadAllowlist } from '../../../src/config/load.js';
import { SCORECARD_SCHEMA } from '../../../src/scorecard/types.js';
import { git, scratch, type Scratch } from '../../helpers/scratch.js';
import { qualify as run } from './io.js';

const RUBRIC = `model_primary: anthropic:claude-opus-4-7
judge: openai:gpt-5
thresholds:
  max_per_case_regression: 3
subjects:
  agent: { cases: eval/cases.yaml }
  verifier: { cases: eval/verifier.yaml, thresholds: { max_per_case_regression: 2 } }
scorecard: { json: out/card.json }
`;

const kase = (id: string, points: number | null, baseline: number | null, extra: object = {}) => ({
  id,
  subject: 'agent',
  status: 'fail',
  points,
  baseline_points: baseline,
  delta: points === null || baseline === null ? null : Math.round((points - baseline) * 1e6) / 1e6,
  min_score: 0.82,
  ...extra,
});

const CARD = {
  schema: SCORECARD_SCHEMA,
  verdict: 'fail',
  model: 'anthropic:claude-opus-4-7',
  baseline_model: 'anthropic:claude-sonnet-4-6',
  cases: [
    kase('refund-window', 88, 90.3),
    kase('tone', 90, 92.31),
    kase('shipping', 91, 90),
    kase('injection', 85, 89.2),
    kase('cite', 86, 88.5, { subject: 'verifier' }),
    kase('new-case', 90, null),
    kase('errored', null, 90, { status: 'error' }),
    kase('low', 70, 72),
    kase('greeting', 89, 89.45),
  ],
};

const ALLOWLIST = `# yaml-language-server: $schema=../node_modules/vitest-qualify/schemas/allowlist.schema.json
# Tolerated regressions. Keep reasons specific.

- case: tone            # granted last quarter
  model: anthropic:claude-sonnet-4-6
  reason: "Shorter greeting."
  author: "Dana <dana@example.com>"
  date: 2026-08-01
`;

// Only this repository's git identity: no global or system config.
const ENV = { GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };

async function setup(allowlist: string | null = ALLOWLIST, identity = true): Promise<Scratch> {
  const dir = await scratch('qualify-allow-');
  git(dir.dir, 'init', '-q');
  if (identity) {
    git(dir.dir, 'config', 'user.name', 'Sam Author');
    git(dir.dir, 'config', 'user.email', 'sam@example.com');
  }
  await dir.write('rubric.yaml', RUBRIC);
  await dir.write('out/card.json', JSON.stringify(CARD, null, 2));
  if (allowlist !== null) await dir.write('eval/allowlist.yaml', allowlist);
  return dir;
}

const qualify = (dir: Scratch, argv: string[]) => run(dir.dir, ['allow', ...argv], { env: ENV });
const allowlist = (dir: Scratch) =>
  readFile(dir.path('eval/allowlist.yaml'), 'utf8').catch(() => '<missing>');
const NOISE =
  '2.4 points of headroom for judge noise (two runs differ by that much, one standard deviation, worst case, ' +
  'at judge_samples 3: docs/scoring.md)';
const REMINDER =
  'a second reviewer must approve this entry: with an allowlisted case the verdict is review, not pass';

describe('qualify allow', () => {
  test('appends an entry, keeping the header and comments; max_drop is the drop rounded up plus headroom', async () => {
    await using dir = await setup();
    const { code, out, err } = await qualify(dir, ['greeting', '--reason', 'Terser; still correct.']);
    expect(err).toBe('');
    expect(code).toBe(0);
    const entry = [
      '- case: greeting',
      '  model: anthropic:claude-opus-4-7',
      '  max_drop: 2.9',
      '  reason: "Terser; still correct."',
      '  author: "Sam Author <sam@example.com>"',
      '  date: 2026-11-27',
    ];
    expect(await allowlist(dir)).toBe(`${ALLOWLIST}${entry.join('\n')}\n`);
    expect(out).toBe(
      [
        'added to eval/allowlist.yaml (measured drop 0.5 points):',
        ...entry,
        `max_drop 2.9: the drop rounded up (0.5) plus ${NOISE}; pass --max-drop to record another value`,
        REMINDER,
        '',
      ].join('\n'),
    );
    const entries = await loadAllowlist(dir.path('eval/allowlist.yaml'));
    expect(entries.map(({ source: _s, ...e }) => e)[1]).toEqual({
      case: 'greeting',
      model: 'anthropic:claude-opus-4-7',
      max_drop: 2.9,
      reason: 'Terser; still correct.',
      author: 'Sam Author <sam@example.com>',
      date: '2026-11-27',
    });
  });

  test('the headroom follows judge_samples in rubric.yaml', async () => {
    await using dir = await setup();
    await dir.write('rubric.yaml', `${RUBRIC}judge_samples: 10\n`);
    const { code, out } = await qualify(dir, ['greeting', '--reason', 'ok', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ drop: 0.45, headroom: 1.3, entry: { max_drop: 1.8 } });
    await dir.write('rubric.yaml', `${RUBRIC}judge_samples: 1\n`);
    const again = await qualify(dir, ['greeting', '--reason', 'ok', '--json', '--force']);
    expect(JSON.parse(again.out)).toMatchObject({ drop: 0.45, headroom: 4.1, entry: { max_drop: 3 } });
  });

  test('drop plus headroom above the budget records the budget, and says so', async () => {
    await using dir = await setup();
    const { code, out } = await qualify(dir, ['refund-window', '--reason', 'ok']);
    expect(code).toBe(0);
    expect(out.split('\n').slice(3, 9)).toEqual([
      '  max_drop: 3',
      '  reason: "ok"',
      '  author: "Sam Author <sam@example.com>"',
      '  date: 2026-11-27',
      `max_drop 3: the budget (max_per_case_regression), since the drop rounded up (2.3) plus ${NOISE} is 4.7; ` +
        'raise judge_samples for a tighter entry, or pass --max-drop',
      REMINDER,
    ]);
  });

  test('--max-drop records the value given, from the measured drop up to the budget', async () => {
    await using dir = await setup();
    const { code, out } = await qualify(dir, ['refund-window', '--reason', 'ok', '--max-drop', '2.3']);
    expect(code).toBe(0);
    expect(out.split('\n')[3]).toBe('  max_drop: 2.3');
    expect(out.split('\n')[7]).toBe('max_drop 2.3: as given with --max-drop');
  });

  test.each([
    [
      ['refund-window', '--reason', 'x', '--max-drop', '2.29'],
      '--max-drop 2.29 is below the measured drop of case refund-window (2.3 points): give at least 2.3, or leave --max-drop out',
    ],
    [
      ['tone', '--reason', 'x', '--max-drop', '2.3'],
      '--max-drop 2.3 is below the measured drop of case tone (2.31 points): give at least 2.4, or leave --max-drop out',
    ],
    [
      ['refund-window', '--reason', 'x', '--max-drop', '3.5'],
      '--max-drop 3.5 is above max_per_case_regression 3 of case refund-window: give at most 3',
    ],
  ])('%j: one line, exit 2, nothing written', async (argv, message) => {
    await using dir = await setup();
    expect(await qualify(dir, argv)).toEqual({ code: 2, out: '', err: `qualify allow: ${message}\n` });
    expect(await allowlist(dir)).toBe(ALLOWLIST);
  });

  test('reviewer and expiry are written when given', async () => {
    await using dir = await setup();
    const argv = [
      'tone',
      '--reason',
      'Says "hi" less.',
      '--reviewer',
      'Kim <kim@example.com>',
      '--expires',
      '2027-02-20',
    ];
    expect((await qualify(dir, argv)).code).toBe(0);
    expect((await allowlist(dir)).slice(ALLOWLIST.length)).toBe(
      [
        '- case: tone',
        '  model: anthropic:claude-opus-4-7',
        '  max_drop: 3',
        '  reason: "Says \\"hi\\" less."',
        '  author: "Sam Author <sam@example.com>"',
        '  date: 2026-11-27',
        '  reviewer: "Kim <kim@example.com>"',
        '  expires: 2027-02-20',
        '',
      ].join('\n'),
    );
    expect((await loadAllowlist(dir.path('eval/allowlist.yaml')))[1]?.reason).toBe('Says "hi" less.');
  });

  test('an empty list `[]` becomes a block list; a missing file is created with the schema header', async () => {
    await using empty = await setup('# header\n[]\n');
    expect((await qualify(empty, ['refund-window', '--reason', 'ok', '--max-drop', '3'])).code).toBe(0);
    expect(await allowlist(empty)).toBe(
      '# header\n- case: refund-window\n  model: anthropic:claude-opus-4-7\n  max_drop: 3\n  reason: "ok"\n' +
        '  author: "Sam Author <sam@example.com>"\n  date: 2026-11-27\n',
    );
    await using missing = await setup(null);
    expect((await qualify(missing, ['refund-window', '--reason', 'ok'])).code).toBe(0);
    const text = await allowlist(missing);
    expect(text.split('\n')[0]).toBe(
      '# yaml-language-server: $schema=../node_modules/vitest-qualify/schemas/allowlist.schema.json',
    );
    expect(await loadAllowlist(missing.path('eval/allowlist.yaml'))).toHaveLength(1);
  });

  test.each([
    [['refund-window'], 'an allowlist entry needs --reason "...": say why the drop is acceptable'],
    [
      ['refund-window', '--reason', '  '],
      'an allowlist entry needs --reason "...": say why the drop is acceptable',
    ],
    [
      ['refund-widow', '--reason', 'x'],
      'case refund-widow is not in out/card.json; did you mean refund-window?',
    ],
    [['shipping', '--reason', 'x'], 'case shipping did not drop (90.0 -> 91.0): nothing to allowlist'],
    [
      ['injection', '--reason', 'x'],
      'case injection dropped 4.2 points, above max_per_case_regression 3: no allowlist entry can cover it; fix the regression',
    ],
    [
      ['cite', '--reason', 'x'],
      'case cite dropped 2.5 points, above max_per_case_regression 2: no allowlist entry can cover it; fix the regression',
    ],
    [['new-case', '--reason', 'x'], 'case new-case has no baseline score, so no drop to document'],
    [['errored', '--reason', 'x'], 'case errored has no score in out/card.json (error): fix it and re-run'],
    [
      ['low', '--reason', 'x'],
      'case low scored 70.0 points, below its minimum 82 points (min_score 0.82): an allowlist entry covers a drop, not a score below the minimum; fix the case',
    ],
  ])('%j is refused with exit 1', async (argv, message) => {
    await using dir = await setup();
    expect(await qualify(dir, argv)).toEqual({ code: 1, out: '', err: `qualify allow: ${message}\n` });
    expect(await allowlist(dir)).toBe(ALLOWLIST);
  });

  test('a second entry for the same case and model is refused; --force replaces it in place', async () => {
    await using dir = await setup();
    await qualify(dir, ['refund-window', '--reason', 'first']);
    const after = await allowlist(dir);
    expect(await qualify(dir, ['refund-window', '--reason', 'second'])).toEqual({
      code: 1,
      out: '',
      err:
        'qualify allow: eval/allowlist.yaml:9:3 already allowlists refund-window for anthropic:claude-opus-4-7 ' +
        '(by Sam Author <sam@example.com> on 2026-11-27); pass --force to replace it\n',
    });
    expect(await allowlist(dir)).toBe(after);
    const { code, out } = await qualify(dir, ['refund-window', '--reason', 'second', '--force']);
    expect(code).toBe(0);
    expect(out.split('\n')[0]).toBe('replaced the entry in eval/allowlist.yaml (measured drop 2.3 points):');
    expect(await allowlist(dir)).toBe(after.replace('reason: "first"', 'reason: "second"'));
  });

  test('--json gives the entry', async () => {
    await using dir = await setup();
    const { out } = await qualify(dir, ['refund-window', '--reason', 'ok', '--json']);
    expect(JSON.parse(out)).toEqual({
      ok: true,
      file: 'eval/allowlist.yaml',
      replaced: false,
      drop: 2.3,
      headroom: 2.4,
      entry: {
        case: 'refund-window',
        model: 'anthropic:claude-opus-4-7',
        max_drop: 3,
        reason: 'ok',
        author: 'Sam Author <sam@example.com>',
        date: '2026-11-27',
      },
    });
  });

  test('usage errors: no git identity, a past or malformed expiry, a non-number max drop', async () => {
    await using dir = await setup(ALLOWLIST, false);
    expect(await qualify(dir, ['refund-window', '--reason', 'ok'])).toEqual({
      code: 2,
      out: '',
      err:
        'qualify allow: the entry needs its author from git: set git config user.name "Your Name" and ' +
        'git config user.email you@example.com\n',
    });
    expect((await qualify(dir, ['refund-window', '--reason', 'ok', '--expires', '2026-11-27'])).err).toBe(
      'qualify allow: --expires 2026-11-27 is not after today (2026-11-27): give a later date\n',
    );
    expect((await qualify(dir, ['refund-window', '--reason', 'ok', '--expires', '2027-02-30'])).err).toBe(
      'qualify allow: --expires takes a date written YYYY-MM-DD; found "2027-02-30"\n',
    );
    expect((await qualify(dir, ['refund-window', '--reason', 'ok', '--max-drop', 'two'])).err).toBe(
      'qualify allow: --max-drop takes a number; found "two"\n',
    );
    expect(await allowlist(dir)).toBe(ALLOWLIST);
  });
});
