import { readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import { findBlocks } from '../../../src/cli/playbook/blocks.js';
import { scratch, type Scratch } from '../../helpers/scratch.js';
import { qualify } from './io.js';

const fixture = (name: string) => readFile(new URL(`fixtures/promote/${name}`, import.meta.url), 'utf8');
const URL_123 = 'https://github.com/acme/agent/actions/runs/123';
const before = await fixture('playbook.before.md');
const models = '<!-- qualify:models:start -->';

/** A repository with the fixture rubric, `playbook` and `scorecard` at their default paths. */
async function setup(playbook: string, scorecard: string): Promise<Scratch> {
  const dir = await scratch('qualify-promote-');
  await dir.write('rubric.yaml', await fixture('rubric.yaml'));
  await dir.write('ops/failure_playbook.md', playbook);
  await dir.write('eval/out/scorecard.json', scorecard);
  return dir;
}

const read = (dir: Scratch, file: string) => readFile(dir.path(file), 'utf8').catch(() => '<missing>');

describe('qualify promote: golden files', () => {
  test('the new primary and the old primary, now fallback, take the limits in rubric.yaml', async () => {
    const card = await fixture('scorecard.review.json');
    await using dir = await setup(await fixture('playbook.before.md'), card);
    const { code, out, err } = await qualify(dir.dir, [
      'promote',
      '--scorecard',
      'eval/out/scorecard.json',
      '--url',
      URL_123,
    ]);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(await read(dir, 'ops/failure_playbook.md')).toBe(await fixture('playbook.after.md'));
    expect(await read(dir, 'eval/baseline.json')).toBe(card);
    expect(out).toBe(
      [
        'anthropic:claude-opus-4-7 is the primary in ops/failure_playbook.md, anthropic:claude-sonnet-4-6 the fallback (limits from providers in rubric.yaml)',
        'openai:gpt-5-mini is no longer in the playbook',
        'limits from rubric.yaml: anthropic:claude-sonnet-4-6: rpm 50 -> 40, max_in_flight 8 -> 6, timeout_s 60 -> 90, max_retries 4 -> 3',
        `history row: 2026-11-27, review, 3 cases, ${URL_123}`,
        'wrote eval/baseline.json from eval/out/scorecard.json',
        'the verdict is review: a second reviewer must approve the allowlisted cases, relative gates or changed tool calls it lists',
        'next: commit rubric.yaml, ops/failure_playbook.md and eval/baseline.json in this PR',
        '',
      ].join('\n'),
    );
  });

  test('the first baseline of the current primary: models kept as written, history started', async () => {
    const card = await fixture('scorecard.first.json');
    await using dir = await setup(await fixture('first-baseline.before.md'), card);
    const { code, out } = await qualify(dir.dir, ['promote']);
    expect(code).toBe(0);
    expect(await read(dir, 'ops/failure_playbook.md')).toBe(await fixture('first-baseline.after.md'));
    expect(await read(dir, 'eval/baseline.json')).toBe(card);
    expect(out.split('\n')[0]).toBe(
      'anthropic:claude-opus-4-7 stays the primary in ops/failure_playbook.md; recorded its scorecard as the baseline',
    );
  });

  test("a fallback of another provider takes that provider's limits; a provider rubric.yaml leaves unset gets -", async () => {
    // The playbook still holds what init wrote for openai; rubric.yaml has moved on.
    const playbook = before
      .replace(
        '| primary | anthropic:claude-sonnet-4-6 | 50 | 8 | 60 | 4 |',
        '| primary | openai:gpt-5-mini | 500 | 16 | 60 | 4 |',
      )
      .replace(
        '| fallback | openai:gpt-5-mini | 500 | - | 45 | 2 |',
        '| fallback | azure:gpt-5 | 300 | 16 | 60 | 4 |',
      );
    const card = JSON.parse(await fixture('scorecard.review.json')) as Record<string, unknown>;
    card['baseline_model'] = 'openai:gpt-5-mini';
    await using dir = await setup(playbook, JSON.stringify(card));
    const { code, out } = await qualify(dir.dir, ['promote']);
    expect(code).toBe(0);
    const written = await read(dir, 'ops/failure_playbook.md');
    expect(findBlocks(written, 'p').blocks.models.inner).toEqual([
      '| role | model | rpm | max_in_flight | timeout_s | max_retries |',
      '| --- | --- | --- | --- | --- | --- |',
      '| primary | anthropic:claude-opus-4-7 | 40 | 6 | 90 | 3 |',
      '| fallback | openai:gpt-5-mini | 500 | - | 60 | - |',
    ]);
    expect(out.split('\n').slice(0, 3)).toEqual([
      'anthropic:claude-opus-4-7 is the primary in ops/failure_playbook.md, openai:gpt-5-mini the fallback (limits from providers in rubric.yaml)',
      'azure:gpt-5 is no longer in the playbook',
      'limits from rubric.yaml: openai:gpt-5-mini: max_in_flight 16 -> -, max_retries 4 -> -',
    ]);
  });

  test('the first baseline refreshes stale limits of the current models, and says which', async () => {
    const stale = (await fixture('first-baseline.before.md')).replace(
      '| primary | anthropic:claude-opus-4-7 | 40 | 6 | 90 | 3 |',
      '| primary | anthropic:claude-opus-4-7 | 50 | 8 | 60 | 4 |\n| fallback | openai:gpt-5 | 500 | 16 | 60 | 4 |',
    );
    await using dir = await setup(stale, await fixture('scorecard.first.json'));
    const { code, out } = await qualify(dir.dir, ['promote']);
    expect(code).toBe(0);
    expect(findBlocks(await read(dir, 'ops/failure_playbook.md'), 'p').blocks.models.inner).toEqual([
      '| role | model | rpm | max_in_flight | timeout_s | max_retries |',
      '| --- | --- | --- | --- | --- | --- |',
      '| primary | anthropic:claude-opus-4-7 | 40 | 6 | 90 | 3 |',
      '| fallback | openai:gpt-5 | 500 | - | 60 | - |',
    ]);
    expect(out.split('\n').slice(0, 4)).toEqual([
      'anthropic:claude-opus-4-7 stays the primary in ops/failure_playbook.md; recorded its scorecard as the baseline',
      'limits from rubric.yaml: anthropic:claude-opus-4-7: rpm 50 -> 40, max_in_flight 8 -> 6, timeout_s 60 -> 90, max_retries 4 -> 3',
      'limits from rubric.yaml: openai:gpt-5: max_in_flight 16 -> -, max_retries 4 -> -',
      'history row: 2026-11-27, pass, 2 cases, no URL',
    ]);
  });

  test('CRLF line endings are kept, inside the blocks too', async () => {
    const crlf = (text: string) => text.replace(/\n/g, '\r\n');
    await using dir = await setup(
      crlf(await fixture('playbook.before.md')),
      await fixture('scorecard.review.json'),
    );
    expect((await qualify(dir.dir, ['promote', '--url', URL_123])).code).toBe(0);
    expect(await read(dir, 'ops/failure_playbook.md')).toBe(crlf(await fixture('playbook.after.md')));
  });

  test('--json reports the models, the history row and the baseline', async () => {
    await using dir = await setup(
      await fixture('playbook.before.md'),
      await fixture('scorecard.review.json'),
    );
    const { out } = await qualify(dir.dir, ['promote', '--json']);
    expect(JSON.parse(out)).toEqual({
      ok: true,
      refresh: false,
      models: {
        primary: {
          role: 'primary',
          model: 'anthropic:claude-opus-4-7',
          limits: { rpm: '40', max_in_flight: '6', timeout_s: '90', max_retries: '3' },
        },
        fallback: {
          role: 'fallback',
          model: 'anthropic:claude-sonnet-4-6',
          limits: { rpm: '40', max_in_flight: '6', timeout_s: '90', max_retries: '3' },
        },
      },
      limit_changes: [
        'anthropic:claude-sonnet-4-6: rpm 50 -> 40, max_in_flight 8 -> 6, timeout_s 60 -> 90, max_retries 4 -> 3',
      ],
      dropped: 'openai:gpt-5-mini',
      history: {
        date: '2026-11-27',
        primary: 'anthropic:claude-opus-4-7',
        previous: 'anthropic:claude-sonnet-4-6',
        verdict: 'review',
        cases: 3,
      },
      baseline: 'eval/baseline.json',
    });
  });
});

describe('qualify promote: refusals leave every file as it was', () => {
  const card = (edit: (c: Record<string, unknown>) => void) =>
    fixture('scorecard.review.json').then((text) => {
      const data = JSON.parse(text) as Record<string, unknown>;
      edit(data);
      return JSON.stringify(data, null, 2);
    });

  test.each([
    [
      'fail',
      (c: Record<string, unknown>) => (c['verdict'] = 'fail'),
      'the scorecard verdict is fail: only a pass or review scorecard is promoted; fix what failed and run the qualification again',
    ],
    [
      'error',
      (c: Record<string, unknown>) => (c['verdict'] = 'error'),
      'the scorecard verdict is error: only a pass or review scorecard is promoted; fix what failed and run the qualification again',
    ],
    [
      'another model',
      (c: Record<string, unknown>) => (c['model'] = 'openai:gpt-6'),
      "the scorecard is for openai:gpt-6 but rubric.yaml's model_primary is anthropic:claude-opus-4-7: promote a scorecard of model_primary (run npm run eval again)",
    ],
    [
      'another baseline',
      (c: Record<string, unknown>) => (c['baseline_model'] = 'openai:gpt-5'),
      'the scorecard was compared with baseline openai:gpt-5, but the primary in ops/failure_playbook.md is anthropic:claude-sonnet-4-6: run the qualification against the baseline of the current primary',
    ],
    [
      'no baseline',
      (c: Record<string, unknown>) => (c['baseline_model'] = null),
      'the scorecard was compared with no baseline, but the primary in ops/failure_playbook.md is anthropic:claude-sonnet-4-6: run the qualification against the baseline of the current primary',
    ],
  ])('%s: exit 1', async (_name, edit, message) => {
    const playbook = await fixture('playbook.before.md');
    await using dir = await setup(playbook, await card(edit));
    expect(await qualify(dir.dir, ['promote'])).toEqual({
      code: 1,
      out: '',
      err: `qualify promote: ${message}\n`,
    });
    expect(await read(dir, 'ops/failure_playbook.md')).toBe(playbook);
    expect(await read(dir, 'eval/baseline.json')).toBe('<missing>');
  });

  test.each([
    [
      'a missing marker',
      before.replace(`${models}\n`, ''),
      'ops/failure_playbook.md: no <!-- qualify:models:start --> line: restore the block (`npx qualify init --force` writes a fresh playbook to copy it from)',
    ],
    [
      'a duplicated marker',
      before.replace('Last reviewed', '<!-- qualify:history:end -->\nLast reviewed'),
      'ops/failure_playbook.md:26: a second <!-- qualify:history:end --> (the first is on line 24): keep one',
    ],
    [
      'markers out of order',
      before
        .replace(`${models}\n`, '')
        .replace('<!-- qualify:models:end -->\n', `<!-- qualify:models:end -->\n${models}\n`),
      'ops/failure_playbook.md:12: <!-- qualify:models:end --> comes before <!-- qualify:models:start --> (line 13): put the end marker after the table',
    ],
    [
      'overlapping blocks',
      before
        .replace('<!-- qualify:models:end -->\n', '')
        .replace('Last reviewed', '<!-- qualify:models:end -->\nLast reviewed'),
      'ops/failure_playbook.md:18: the history block starts inside the models block (lines 8-25): close the models block with <!-- qualify:models:end --> first',
    ],
    [
      'a marker inside a line',
      before.replace(models, `see ${models}`),
      'ops/failure_playbook.md:8: <!-- qualify:models:start --> must be on a line of its own',
    ],
    [
      'a renamed column',
      before.replace('| role | model | rpm |', '| role | model | rpm/min |'),
      'ops/failure_playbook.md:9: the models table header must be | role | model | rpm | max_in_flight | timeout_s | max_retries |; found | role | model | rpm/min | max_in_flight | timeout_s | max_retries |',
    ],
    [
      'a missing cell',
      before.replace('| 50 | 8 | 60 | 4 |', '| 50 | 8 | 60 |'),
      'ops/failure_playbook.md:11: a models row has 5 cells; expected 6: | role | model | rpm | max_in_flight | timeout_s | max_retries |',
    ],
    [
      'an unknown role',
      before.replace('| fallback |', '| backup |'),
      'ops/failure_playbook.md:12: the role must be primary or fallback; found "backup"',
    ],
    [
      'a limit that is not a number',
      before.replace('| 50 | 8 |', '| fifty | 8 |'),
      'ops/failure_playbook.md:11: rpm must be a number or -; found "fifty"',
    ],
    [
      'no primary row',
      before.replace(/\| primary .*\n/, ''),
      'ops/failure_playbook.md:9: the models table has no primary row: add | primary | provider:model | ... |',
    ],
    [
      'prose inside a block',
      before.replace('| fallback |', 'Fallback:\n| fallback |'),
      'ops/failure_playbook.md:12: expected a row of the models table (| role | model | rpm | max_in_flight | timeout_s | max_retries |); found "Fallback:"',
    ],
    [
      'a broken history header',
      before.replace('| date | primary |', '| when | primary |'),
      'ops/failure_playbook.md:20: the history table header must be | date | primary | previous primary | verdict | cases | scorecard |; found | when | primary | previous primary | verdict | cases | scorecard |',
    ],
  ])('a playbook with %s: exit 2 naming the line', async (_name, playbook, message) => {
    await using dir = await setup(playbook, await fixture('scorecard.review.json'));
    expect(await qualify(dir.dir, ['promote'])).toEqual({
      code: 2,
      out: '',
      err: `qualify promote: ${message}\n`,
    });
    expect(await read(dir, 'ops/failure_playbook.md')).toBe(playbook);
    expect(await read(dir, 'eval/baseline.json')).toBe('<missing>');
  });

  test('a missing playbook or scorecard, a bad URL', async () => {
    await using dir = await setup('', await fixture('scorecard.review.json'));
    expect((await qualify(dir.dir, ['promote', '--playbook', 'ops/none.md'])).err).toBe(
      'qualify promote: ops/none.md: file not found; pass --playbook <file>, or create it with `npx qualify init`\n',
    );
    expect((await qualify(dir.dir, ['promote', '--scorecard', 'eval/out/none.json'])).err).toBe(
      'qualify promote: eval/out/none.json: scorecard not found: run the qualification first (`npm run eval`) or pass --scorecard <file>\n',
    );
    expect(await qualify(dir.dir, ['promote', '--url', 'ci/run/1'])).toEqual({
      code: 2,
      out: '',
      err: 'qualify promote: --url takes an http(s) URL; found "ci/run/1"\n',
    });
  });
});
