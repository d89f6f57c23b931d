import { appendFile } from 'node:fs/promises';
import { loadProject } from '../../config/load.js';
import { UsageError } from '../../errors.js';
import { inScope, scopeFromEnv } from '../../run/context.js';
import { partCount } from '../../vitest/parts.js';
import { booleanOption, numberOption } from '../args/options.js';
import { EXIT, type CommandSpec } from '../command.js';
import { printResult } from '../output.js';

/** Defaults of `qualify shards`: the cases a shard takes, and the most shards a run gets. */
export const SHARD_DEFAULTS = { perShard: 12_500, max: 8 } as const;

/** What `qualify shards` decides from. */
export interface ShardPlanInput {
  /** Cases in scope. */
  cases: number;
  /** Test modules of the eval project: case files and the parts of large ones (a shard runs whole modules). */
  modules: number;
  perShard: number;
  max: number;
}

/**
 * How many shards a run gets: one per `perShard` cases (rounded up), at least 1, at most `max`, and
 * never more than there are test modules to hand out.
 *
 * @example
 * shardCount({ cases: 100_000, modules: 100, perShard: 12_500, max: 8 }) // 8
 * shardCount({ cases: 3_003, modules: 4, perShard: 1_000, max: 8 }) // 4
 */
export function shardCount({ cases, modules, perShard, max }: ShardPlanInput): number {
  const wanted = Math.min(Math.ceil(cases / perShard), max, modules);
  return Math.max(1, wanted);
}

/**
 * `qualify shards`: the plan step of a sharded qualification. Counts the cases in scope as the plugin
 * loads them and prints how many shards to run; `--github-output` appends `total=<k>` and
 * `shards=[1,...,k]` to `$GITHUB_OUTPUT` for a job matrix.
 *
 * @example
 * await runCli(['shards', '--github-output'], io) // total=3, shards=[1,2,3]
 */
export const shards: CommandSpec = {
  name: 'shards',
  summary: 'Plan a sharded run: how many shards the cases in scope need.',
  description:
    'Loads rubric.yaml and its case files as the plugin does, counts the cases in scope (QUALIFY_NODE and ' +
    'QUALIFY_TAGS apply) and the test modules they run as (a case file of more than 1,000 cases runs as ' +
    'ceil(cases / 1,000) parts), and prints the shard count: one shard per --per-shard cases, rounded up, ' +
    'at least 1, at most --max, and never more than the modules. With --github-output it also appends ' +
    '`total=<k>` and `shards=[1,...,k]` to the file $GITHUB_OUTPUT names (the plan job of a sharded workflow ' +
    'reads them as `fromJSON(needs.plan.outputs.shards)`); without it nothing is written, even in CI.',
  positionals: [],
  options: {
    'per-shard': {
      type: 'string',
      value: '<n>',
      default: String(SHARD_DEFAULTS.perShard),
      description: 'The cases one shard runs.',
    },
    max: {
      type: 'string',
      value: '<n>',
      default: String(SHARD_DEFAULTS.max),
      description: 'The most shards a run gets.',
    },
    'github-output': {
      type: 'boolean',
      description:
        'Append `total=<k>` and `shards=[1,...,k]` to $GITHUB_OUTPUT (a GitHub Actions step output).',
    },
  },
  examples: ['npx qualify shards', 'npx qualify shards --per-shard 5000 --max 16 --github-output'],
  async run({ options }, io) {
    const perShard = positiveInteger(
      numberOption(options, 'per-shard'),
      'per-shard',
      SHARD_DEFAULTS.perShard,
    );
    const max = positiveInteger(numberOption(options, 'max'), 'max', SHARD_DEFAULTS.max);
    const githubOutput = booleanOption(options, 'github-output');
    const outputFile = io.env['GITHUB_OUTPUT'];
    if (githubOutput && !outputFile) {
      throw new UsageError(
        '--github-output needs GITHUB_OUTPUT set to a file (GitHub Actions sets it in every step); drop the flag to only print the count',
      );
    }
    const scope = scopeFromEnv(io.env);
    let cases = 0;
    const perFile = new Map<string, number>();
    // Counted as each file is read: the plan job of a day of traffic keeps no case.
    const project = await loadProject({
      cwd: io.cwd,
      onCaseFile: (file, read) => {
        perFile.set(file, (perFile.get(file) ?? 0) + read.length);
        for (const c of read) if (inScope(c, scope)) cases += 1;
      },
    });
    for (const file of project.subjects.flatMap((s) => s.caseFiles))
      if (!perFile.has(file)) perFile.set(file, 0);
    const modules = [...perFile.values()].reduce((sum, n) => sum + partCount(n), 0);
    const total = shardCount({ cases, modules, perShard, max });
    const list = Array.from({ length: total }, (_, i) => i + 1);
    if (githubOutput) {
      await appendFile(outputFile!, `total=${total}\nshards=${JSON.stringify(list)}\n`);
    }
    printResult(
      io,
      booleanOption(options, 'json'),
      { cases, modules, per_shard: perShard, max, total, shards: list },
      [
        `qualify shards: ${cases} case(s) in scope in ${modules} test module(s): ${total} shard(s) ` +
          `(${perShard} cases per shard, at most ${max})`,
      ],
    );
    return EXIT.ok;
  },
};

function positiveInteger(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new UsageError(
      `--${name} takes a whole number of at least 1; found ${value}, e.g. --${name} ${fallback}`,
    );
  }
  return value;
}
