import path from 'node:path';
import { createModelClient } from '../../providers/client.js';
import { parseModelRef } from '../../providers/model-ref.js';
import type { ProviderSettings } from '../../providers/types.js';
import { EXIT, type CommandSpec } from '../command.js';
import { booleanOption, stringOption } from '../args/options.js';
import { printResult } from '../output.js';
import { probesFor, runProbes, type ProbeResult } from './preflight/probes.js';
import { readRubricFile } from '../files/rubric-file.js';
import { UsageError } from '../../errors.js';

/**
 * `qualify preflight --model <m>`: step 0 of a qualification. Probes the
 * interfaces rubric.yaml declares (`interfaces:`) on the candidate and on the
 * current primary, side by side.
 *
 * @example
 * await runCli(['preflight', '--model', 'anthropic:claude-opus-4-7'], io)
 */
export const preflight: CommandSpec = {
  name: 'preflight',
  summary: 'Step 0: probe the interfaces the agent uses on the new model and on the current primary.',
  description:
    'Probes plain text and each interface `interfaces:` in rubric.yaml declares (every tool, forced once, ' +
    'its arguments validated against the schema; the structured output, validated; streaming, assembled to ' +
    'a finished reply) on the candidate and on `model_primary`, and prints them side by side. Exit 1 when ' +
    'the candidate fails an interface the primary passes: the swap needs a shim in the agent, not a one-line ' +
    'PR. Probes always call the providers and record nothing: `QUALIFY_CACHE` is ignored, so the cassettes ' +
    'under `cache.dir` (committed in a qualification PR) stay as they are, and a recorded reply never ' +
    'stands in for what the model does today.',
  positionals: [],
  options: {
    model: { type: 'string', value: '<provider:model>', description: 'The candidate model. Required.' },
    against: {
      type: 'string',
      value: '<provider:model>',
      description: 'The model to compare with. Default: model_primary in rubric.yaml.',
    },
  },
  examples: ['npx qualify preflight --model anthropic:claude-opus-4-7'],
  async run({ options }, io) {
    const json = booleanOption(options, 'json');
    const candidate = stringOption(options, 'model');
    if (!candidate)
      throw new UsageError('--model is required: the candidate, e.g. --model anthropic:claude-opus-4-7');
    parseModelRef(candidate);
    const { rubric } = await readRubricFile(io.cwd);
    const primary = stringOption(options, 'against') ?? rubric.model_primary;
    parseModelRef(primary);
    const client = createModelClient({
      providers: Object.fromEntries(
        Object.entries(rubric.providers).filter((e): e is [string, ProviderSettings] => e[1] !== undefined),
      ),
      prices: rubric.prices,
      // Off, not QUALIFY_CACHE: a probe must neither write into the committed cassettes nor be answered by them.
      cache: { mode: 'off', dir: path.resolve(io.cwd, rubric.cache.dir) },
      env: io.env,
    });
    const probes = probesFor(rubric.interfaces);
    const [theirs, ours] = await Promise.all([
      runProbes(probes, client, primary),
      runProbes(probes, client, candidate),
    ]);
    await client.flush();
    const broken = ours.filter((r, i) => !r.ok && theirs[i]!.ok);
    const verdict = broken.length > 0 ? 'shim' : 'swap';
    const lines = table(primary, candidate, theirs, ours);
    lines.push(
      '',
      verdict === 'shim'
        ? `this is a shim, not a one-PR swap: ${candidate} breaks ${broken.map((r) => r.interface).join(', ')}; adapt the agent first`
        : `${candidate} speaks every interface ${primary} does: a one-line PR can swap it`,
    );
    printResult(
      io,
      json,
      {
        verdict,
        primary,
        candidate,
        interfaces: probes.map((p, i) => ({
          interface: p.interface,
          primary: theirs[i],
          candidate: ours[i],
        })),
      },
      lines,
    );
    return verdict === 'shim' ? EXIT.no : EXIT.ok;
  },
};

function table(primary: string, candidate: string, theirs: ProbeResult[], ours: ProbeResult[]): string[] {
  const cell = (r: ProbeResult): string => `${r.ok ? 'ok' : 'FAIL'}: ${r.detail}`.replace(/\|/g, '\\|');
  return [
    `| interface | ${primary} (primary) | ${candidate} (candidate) |`,
    '| --- | --- | --- |',
    ...theirs.map((r, i) => `| ${r.interface} | ${cell(r)} | ${cell(ours[i]!)} |`),
  ];
}
