import path from 'node:path';
import { readConfigText } from '../../config/read-file.js';
import { UsageError } from '../../errors.js';
import { writeAtomic } from '../../scorecard/write.js';
import { EXIT, type CommandSpec } from '../command.js';
import { booleanOption, stringOption } from '../args/options.js';
import { printRefusal, printResult } from '../output.js';
import { planPromotion } from './promote/plan.js';
import { readRubricFile } from '../files/rubric-file.js';
import { readScorecardFile } from '../files/scorecard-file.js';

const PLAYBOOK = 'ops/failure_playbook.md';

/**
 * `qualify promote`: after a pass, make the qualified model the primary in the
 * playbook and its scorecard the baseline.
 *
 * @example
 * await runCli(['promote', '--scorecard', 'eval/out/scorecard.json', '--url', url], io)
 */
export const promote: CommandSpec = {
  name: 'promote',
  summary: 'After a pass: the new model becomes primary in the playbook, its scorecard the baseline.',
  description:
    "Takes a `pass` or `review` scorecard of `rubric.yaml`'s `model_primary`. In `ops/failure_playbook.md`, " +
    'the block between `<!-- qualify:models:start -->` and `<!-- qualify:models:end -->` is rewritten: the new ' +
    "model is the primary and the previous primary (the scorecard's `baseline_model`, which must be the " +
    "playbook's primary) the fallback, each with the current limits of its provider under `providers:` in " +
    '`rubric.yaml` (rpm, max_in_flight, timeout_s, max_retries; `-` where unset), and every limit that moved is ' +
    'named. A scorecard of the current primary (the first baseline) keeps the models and refreshes their ' +
    'limits the same way. The block between `<!-- qualify:history:start -->` and ' +
    '`<!-- qualify:history:end -->` gets a row: date, new primary, previous primary, verdict, cases and the ' +
    'scorecard URL. Everything else in the playbook is kept byte for byte. The baseline `rubric.yaml` names ' +
    '(`eval/baseline.json`) becomes the scorecard. Refused (exit 1): a `fail` or `error` scorecard, a ' +
    'scorecard of another model or measured against another baseline. A playbook whose markers or tables ' +
    'were broken by hand is a config error (exit 2) naming the line.',
  positionals: [],
  options: {
    scorecard: {
      type: 'string',
      value: '<file>',
      description:
        'The scorecard JSON to promote. Default: scorecard.json in rubric.yaml (eval/out/scorecard.json).',
    },
    url: {
      type: 'string',
      value: '<url>',
      description: 'Where the scorecard can be read (CI run, PR comment); in the history row.',
    },
    playbook: { type: 'string', value: '<file>', description: 'The failure playbook.', default: PLAYBOOK },
  },
  examples: [
    'npx qualify promote --scorecard eval/out/scorecard.json --url https://github.com/acme/agent/actions/runs/123',
  ],
  async run({ options }, io) {
    const json = booleanOption(options, 'json');
    const url = stringOption(options, 'url');
    if (url !== undefined && !/^https?:\/\//.test(url)) {
      throw new UsageError(`--url takes an http(s) URL; found ${JSON.stringify(url)}`);
    }
    const rubricFile = await readRubricFile(io.cwd);
    const rubric = rubricFile.rubric;
    const scorecard = stringOption(options, 'scorecard') ?? rubric.scorecard.json;
    const { card, text: cardText } = await readScorecardFile(io.cwd, scorecard);
    const playbookLabel = stringOption(options, 'playbook') ?? PLAYBOOK;
    const playbookPath = path.resolve(io.cwd, playbookLabel);
    const playbook = (await readConfigText(playbookPath, playbookLabel, {
      hint: 'pass --playbook <file>, or create it with `npx qualify init`',
    }))!;
    const today = io.now().toISOString().slice(0, 10);

    const plan = planPromotion({ playbook, playbookLabel, card, rubric, today, url });
    if (!plan.ok) {
      printRefusal(io, json, { ok: false, refusal: plan.refusal, message: plan.message }, [
        `qualify promote: ${plan.message}`,
      ]);
      return EXIT.no;
    }
    await writeAtomic(playbookPath, plan.playbook);
    await writeAtomic(path.resolve(io.cwd, rubric.baseline), cardText);

    const { primary, fallback } = plan.models;
    const lines = plan.refresh
      ? [`${card.model} stays the primary in ${playbookLabel}; recorded its scorecard as the baseline`]
      : [
          `${primary.model} is the primary in ${playbookLabel}, ${fallback!.model} the fallback ` +
            '(limits from providers in rubric.yaml)',
          ...(plan.dropped ? [`${plan.dropped} is no longer in the playbook`] : []),
        ];
    lines.push(...plan.limitChanges.map((change) => `limits from rubric.yaml: ${change}`));
    lines.push(`history row: ${today}, ${card.verdict}, ${card.cases.length} cases, ${url ?? 'no URL'}`);
    lines.push(`wrote ${rubric.baseline} from ${scorecard}`);
    if (rubric.model_fallback !== undefined && fallback && rubric.model_fallback !== fallback.model) {
      lines.push(
        `note: rubric.yaml model_fallback is ${rubric.model_fallback}; set it to ${fallback.model} in this PR if the agent falls back to it`,
      );
    }
    if (card.verdict === 'review')
      lines.push(
        'the verdict is review: a second reviewer must approve the allowlisted cases, relative gates or changed tool calls it lists',
      );
    lines.push(`next: commit rubric.yaml, ${playbookLabel} and ${rubric.baseline} in this PR`);
    printResult(
      io,
      json,
      {
        ok: true,
        refresh: plan.refresh,
        models: plan.models,
        limit_changes: plan.limitChanges,
        dropped: plan.dropped ?? null,
        history: plan.history,
        baseline: rubric.baseline,
      },
      lines,
    );
    return EXIT.ok;
  },
};
