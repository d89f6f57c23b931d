import { stat } from 'node:fs/promises';
import { relative, resolve, sep } from 'node:path';
import { loadRubric } from '../../config/load.js';
import { ImportTemplateSchema, type ImportTemplate } from '../../config/schema/import.js';
import { ConfigError, isQualifyError, UsageError } from '../../errors.js';
import { EXIT, type CommandIO, type CommandSpec, type ExitCode, type ParsedOptions } from '../command.js';
import { IMPORT_DEFAULTS, importOptions } from './import/options.js';
import { runImport } from './import/pipeline.js';
import { displayPath, renderImportSummary } from './import/summary.js';

/** Malformed lines printed one by one; the rest are counted. */
const SHOWN_PROBLEMS = 20;

/**
 * `qualify import`: cases from production traces (JSONL, or OpenTelemetry
 * GenAI spans), streamed into sharded case files.
 *
 * @example
 * // qualify import traces.jsonl --since 24h --sample 2000 --redact
 * await importCommand.run({ positionals: ['traces.jsonl'], options: { since: '24h', redact: true } }, io)
 */
export const importCommand: CommandSpec = {
  name: 'import',
  summary: 'Make cases from production traces (JSONL or OpenTelemetry GenAI spans).',
  description:
    'Reads one trace per line (timestamp, input or messages, output, context, metadata; or an ' +
    'OpenTelemetry GenAI span) and writes cases with stable ids (a hash of the input), de-duplicated, ' +
    'optionally filtered by age, sampled and scrubbed of emails, phone numbers and card numbers. ' +
    'Criteria and tags come from the `import:` template in rubric.yaml. Cases are written to ' +
    '<out>/part-0001.cases.yaml and on, at most --max-per-file each, replacing an earlier import. ' +
    'It streams, so a 1 GB file runs in bounded memory. The mapping is in docs/import.md.',
  positionals: [
    { name: 'traces', description: 'The traces file, one JSON object per line.', required: true },
  ],
  options: {
    since: { type: 'string', value: '<age>', description: 'Keep traces at most this old: 90m, 24h, 7d.' },
    sample: { type: 'string', value: '<n>', description: 'Keep a deterministic random sample of n cases.' },
    seed: {
      type: 'string',
      value: '<s>',
      default: String(IMPORT_DEFAULTS.seed),
      description: 'Seed of --sample.',
    },
    out: {
      type: 'string',
      value: '<dir>',
      default: IMPORT_DEFAULTS.out,
      description: 'Folder of the case files.',
    },
    redact: {
      type: 'boolean',
      description: 'Replace emails, phone numbers and card numbers with [email], [phone], [card].',
    },
    'max-per-file': {
      type: 'string',
      value: '<n>',
      default: String(IMPORT_DEFAULTS.maxPerFile),
      description: 'Cases per file; a larger import is split into several files.',
    },
    tags: { type: 'string', value: '<t1,t2>', description: 'Tags every imported case gets.' },
    strict: {
      type: 'boolean',
      description: 'Stop with exit 2 at the first malformed line, writing nothing.',
    },
    rubric: {
      type: 'string',
      value: '<file>',
      description: 'The rubric with the `import:` template. Default rubric.yaml, when it exists.',
    },
  },
  examples: [
    'npx qualify import traces.jsonl --since 24h',
    'npx qualify import spans.jsonl --since 7d --sample 2000 --seed 7 --redact --tags nightly',
  ],
  async run({ positionals, options }, io) {
    try {
      return await importTraces(positionals, options, io);
    } catch (error) {
      if (!isQualifyError(error)) throw error;
      if (options['json'] === true) {
        const failure = { ok: false, error: { code: error.code, message: error.message } };
        io.stdout.write(`${JSON.stringify(failure, null, 2)}\n`);
      }
      io.stderr.write(`qualify import: ${error.message}\n`);
      return error instanceof UsageError || error instanceof ConfigError ? EXIT.usage : EXIT.no;
    }
  },
};

async function importTraces(positionals: string[], parsed: ParsedOptions, io: CommandIO): Promise<ExitCode> {
  const options = importOptions(positionals, parsed);
  const file = resolve(io.cwd, options.traces);
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) {
    throw new UsageError(
      `cannot read the traces file ${options.traces}: ${info ? 'it is a folder' : 'it does not exist'}`,
    );
  }
  const template = await templateOf(io.cwd, parsed['rubric'] === undefined ? undefined : options.rubric);
  const outDir = resolve(io.cwd, options.out);
  const label = displayPath(io.cwd, file);
  const createdAt = io.now().toISOString();
  const schema = relative(outDir, resolve(io.cwd, 'node_modules/vitest-qualify/schemas/cases.schema.json'))
    .split(sep)
    .join('/');
  let problems = 0;
  const summary = await runImport({
    file,
    label,
    outDir,
    options,
    template,
    now: io.now(),
    header: (part) =>
      `# yaml-language-server: $schema=${schema}\n` +
      `# Made by \`qualify import\` from ${label} on ${createdAt} (part ${part}); re-running the import replaces it.\n`,
    onProblem: (line, problem) => {
      problems += 1;
      if (problems <= SHOWN_PROBLEMS)
        io.stderr.write(`qualify import: ${label}:${line}: ${problem}; skipped\n`);
      else if (problems === SHOWN_PROBLEMS + 1)
        io.stderr.write('qualify import: more malformed lines follow; only counted\n');
    },
  });
  const out = displayPath(io.cwd, outDir);
  if (options.json) {
    const files = summary.files.map((f) => displayPath(io.cwd, f));
    io.stdout.write(`${JSON.stringify({ ...summary, files }, null, 2)}\n`);
  } else {
    io.stdout.write(
      renderImportSummary(summary, {
        label,
        out,
        since: options.sinceText,
        sample: options.sample,
        redact: options.redact,
      }),
    );
  }
  return EXIT.ok;
}

/** The `import:` template of the rubric; the default when there is no rubric and none was named. */
async function templateOf(cwd: string, named: string | undefined): Promise<ImportTemplate> {
  const path = resolve(cwd, named ?? IMPORT_DEFAULTS.rubric);
  const exists = await stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
  if (!exists && named === undefined) return ImportTemplateSchema.parse({});
  const rubric = await loadRubric(relative(process.cwd(), path) || path);
  return rubric.import ?? ImportTemplateSchema.parse({});
}
