import { existsSync } from 'node:fs';
import path from 'node:path';
import type { CommandSpec } from '../command.js';
import { stringOption } from '../args/options.js';
import { readRubricFile } from '../files/rubric-file.js';
import { readScorecardFile } from '../files/scorecard-file.js';
import { spawnExit, vitestBin } from '../vitest-child.js';

/**
 * `qualify rescore`: score the outputs of the last run again, after a rubric or
 * criteria edit, without calling the agent's model: its calls are answered only
 * from the cassettes (a missing one is an error naming the case), the judge and
 * embeddings are called (or replayed) as usual. The scorecard says it was a rescore.
 *
 * @example
 * await runCli(['rescore'], io)
 */
export const rescore: CommandSpec = {
  name: 'rescore',
  summary: 'Score the recorded outputs again after a rubric edit, without calling the agent.',
  description:
    'Runs the qualification (`vitest run --project eval`) with the agent’s model calls answered only from ' +
    'the cassettes recorded by the last run, so only the judge and the embeddings are called: a rubric, ' +
    'criteria or check edit is re-scored for the cost of judging. The model is the one the last scorecard ' +
    'was for. A case whose output was never recorded is an error that names it. The scorecard’s ' +
    '`source.mode` is `rescore`.',
  positionals: [],
  options: {
    scorecard: {
      type: 'string',
      value: '<file>',
      description: 'The scorecard of the run to rescore (its model). Default: scorecard.json in rubric.yaml.',
    },
    project: {
      type: 'string',
      value: '<name>',
      default: 'eval',
      description: 'The Vitest project that runs the qualification.',
    },
  },
  examples: ['npx qualify rescore', 'npx qualify rescore --scorecard eval/out/scorecard.json'],
  async run({ options }, io) {
    const { rubric } = await readRubricFile(io.cwd);
    const given = stringOption(options, 'scorecard');
    const file = given ?? rubric.scorecard.json;
    let model = rubric.model_primary;
    if (given !== undefined || existsSync(path.resolve(io.cwd, file))) {
      model = (await readScorecardFile(io.cwd, file)).card.model;
    }
    const project = stringOption(options, 'project') ?? 'eval';
    const vitest = vitestBin(io.cwd);
    io.stdout.write(`qualify rescore: re-scoring the recorded outputs of ${model}\n`);
    return spawnExit(process.execPath, [vitest, 'run', '--project', project], {
      cwd: io.cwd,
      env: { ...io.env, QUALIFY_RESCORE: '1', QUALIFY_MODEL: model },
      stdout: io.stdout,
      stderr: io.stderr,
    });
  },
};
