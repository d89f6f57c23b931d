import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { readAllowlistEntries, type LoadedAllowlistEntry } from '../../config/allowlist-file.js';
import { ConfigValidationError } from '../../config/problems.js';
import { parseYaml } from '../../config/yaml-source.js';
import { UsageError } from '../../errors.js';
import { writeAtomic } from '../../scorecard/write.js';
import { decideAllow } from './allow/entry.js';
import { addAllowEntry, renderEntry } from './allow/allowlist-edit.js';
import { EXIT, type CommandSpec } from '../command.js';
import { gitConfig, gitIn } from '../../internal/git.js';
import { booleanOption, numberOption, stringOption } from '../args/options.js';
import { printRefusal, printResult } from '../output.js';
import { budgetOf, readRubricFile } from '../files/rubric-file.js';
import { readScorecardFile } from '../files/scorecard-file.js';
import { allowlistHeader } from '../templates/allowlist.js';

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function entriesOf(text: string | undefined, label: string): LoadedAllowlistEntry[] {
  if (text === undefined) return [];
  const parsed = parseYaml(text, label);
  if (!parsed.source) throw new ConfigValidationError(parsed.problems);
  const { entries, problems } = readAllowlistEntries(parsed.source);
  if (problems.length > 0) throw new ConfigValidationError(problems);
  return entries;
}

function checkExpires(expires: string | undefined, today: string): void {
  if (expires === undefined) return;
  const date = new Date(`${expires}T00:00:00Z`);
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(expires) ||
    Number.isNaN(date.getTime()) ||
    date.toISOString().slice(0, 10) !== expires
  ) {
    throw new UsageError(`--expires takes a date written YYYY-MM-DD; found ${JSON.stringify(expires)}`);
  }
  if (expires <= today)
    throw new UsageError(`--expires ${expires} is not after today (${today}): give a later date`);
}

/**
 * `qualify allow`: document a small regression of the candidate model in the allowlist.
 *
 * @example
 * await runCli(['allow', 'refund-window-basic', '--reason', 'Terser; still correct.'], io)
 */
export const allow: CommandSpec = {
  name: 'allow',
  summary: 'Add an allowlist entry for a small regression of the candidate model, with author and date.',
  description:
    'Appends an entry to the allowlist `rubric.yaml` names, for the model of the last scorecard: the case, ' +
    'the reason, the author from `git config user.name` and `user.email`, today, and `max_drop`: the measured ' +
    'drop of the case rounded up to a tenth of a point, plus headroom for judge noise, at most ' +
    '`max_per_case_regression`. The headroom is one standard deviation of the difference between two runs ' +
    'of the same model in the worst case of docs/scoring.md, 5 x sqrt(2 / (3 x judge_samples)) points: 4.1 ' +
    'at judge_samples 1, 2.4 at 3 (the default), 1.8 at 5, 1.3 at 10; so the entry still covers the case when ' +
    'a re-run scores it a little lower. The output says how max_drop was chosen. `--max-drop` records ' +
    'another value, between the measured drop and `max_per_case_regression` (else exit 2). The file keeps ' +
    'its header and comments. Refused (exit 1): a case not in the scorecard, one that did not drop, one ' +
    'below its minimum score, a drop above `max_per_case_regression`, a missing reason, and a second entry ' +
    'for the same case and model (`--force` replaces it). A second reviewer must approve the entry.',
  positionals: [{ name: 'case', description: 'The id of the case that regressed.', required: true }],
  options: {
    reason: { type: 'string', value: '<text>', description: 'Why the drop is acceptable. Required.' },
    reviewer: {
      type: 'string',
      value: '<who>',
      description: 'The second reviewer, as "Name <email>", when known.',
    },
    scorecard: {
      type: 'string',
      value: '<file>',
      description:
        'The scorecard to measure the drop in. Default: scorecard.json in rubric.yaml (eval/out/scorecard.json).',
    },
    'max-drop': {
      type: 'string',
      value: '<points>',
      description:
        'Largest tolerated drop, in points, instead of the drop plus headroom; at least the measured drop, ' +
        'at most max_per_case_regression.',
    },
    expires: {
      type: 'string',
      value: '<YYYY-MM-DD>',
      description: 'The entry stops applying after this date.',
    },
    force: { type: 'boolean', description: 'Replace an entry for the same case and model.' },
  },
  examples: [
    'npx qualify allow refund-window-basic --reason "Terser on this adversarial row; the answer is still correct."',
    'npx qualify allow refund-window-basic --reason "..." --reviewer "Sam Second <sam@example.com>" --expires 2027-02-20',
  ],
  async run({ positionals, options }, io) {
    const json = booleanOption(options, 'json');
    const today = io.now().toISOString().slice(0, 10);
    const expires = stringOption(options, 'expires');
    checkExpires(expires, today);
    const maxDrop = numberOption(options, 'max-drop');
    const { rubric } = await readRubricFile(io.cwd);
    const scorecard = stringOption(options, 'scorecard') ?? rubric.scorecard.json;
    const { card } = await readScorecardFile(io.cwd, scorecard);
    const file = path.resolve(io.cwd, rubric.allowlist);
    const text = await readOptional(file);
    const existing = entriesOf(text, rubric.allowlist);
    const git = gitIn(io);
    const [name, email] = [await gitConfig(git, 'user.name'), await gitConfig(git, 'user.email')];

    const decision = decideAllow({
      card,
      scorecard,
      request: {
        caseId: positionals[0]!,
        reason: stringOption(options, 'reason'),
        reviewer: stringOption(options, 'reviewer'),
        maxDrop,
        expires,
        force: booleanOption(options, 'force'),
      },
      budgetOf: (subject) => budgetOf(rubric, subject),
      judgeSamples: rubric.judge_samples,
      author: `${name ?? ''} <${email ?? ''}>`,
      today,
      existing,
    });
    if (!decision.ok && decision.refusal === 'max-drop') throw new UsageError(decision.message);
    if (!decision.ok) {
      printRefusal(io, json, { ok: false, refusal: decision.refusal, message: decision.message }, [
        `qualify allow: ${decision.message}`,
      ]);
      return EXIT.no;
    }
    if (name === undefined || email === undefined) {
      throw new UsageError(
        'the entry needs its author from git: set git config user.name "Your Name" and git config user.email you@example.com',
      );
    }
    const next = addAllowEntry(text, decision.entry, {
      header: allowlistHeader(rubric.allowlist),
      label: rubric.allowlist,
      replace: decision.replaces,
    });
    const written = entriesOf(next, rubric.allowlist);
    if (written.length !== existing.length + (decision.replaces === undefined ? 1 : 0)) {
      throw new Error(
        `the edited ${rubric.allowlist} does not read back with the new entry; it was not written`,
      );
    }
    await writeAtomic(file, next);

    const verb = decision.replaces === undefined ? 'added to' : 'replaced the entry in';
    printResult(
      io,
      json,
      {
        ok: true,
        file: rubric.allowlist,
        replaced: decision.replaces !== undefined,
        drop: decision.drop,
        headroom: decision.headroom ?? null,
        entry: decision.entry,
      },
      [
        `${verb} ${rubric.allowlist} (measured drop ${decision.drop.toFixed(1)} points):`,
        ...renderEntry(decision.entry),
        decision.rule,
        'a second reviewer must approve this entry: with an allowlisted case the verdict is review, not pass',
      ],
    );
    return EXIT.ok;
  },
};
