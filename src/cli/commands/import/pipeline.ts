import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { CaseInput } from '../../../config/schema/cases.js';
import type { ImportTemplate } from '../../../config/schema/import.js';
import { UsageError } from '../../../errors.js';
import { buildCase } from './build-case.js';
import { caseIdOf } from './case-id.js';
import { HashSet48 } from './id-set.js';
import type { ImportOptions } from './options.js';
import { tracesOfLine } from './parse-line.js';
import { noRedactions, redactTrace, type RedactionCounts } from './redact.js';
import { TraceProblem, type TraceRecord } from './record.js';
import { Reservoir } from './sample.js';
import { ShardWriter } from './shard-writer.js';

/** What an import did, for the summary and `--json`. */
export interface ImportSummary {
  /** Non-blank lines read. */
  lines: number;
  /** Cases written. */
  kept: number;
  /** Distinct inputs after --since and de-duplication (before --sample). */
  unique: number;
  duplicates: number;
  /** Older than --since. */
  filtered: number;
  /** Without a timestamp, so left out by --since. */
  undated: number;
  malformed: number;
  /** OpenTelemetry spans that are not GenAI calls (or embeddings calls). */
  ignored: number;
  redactions: RedactionCounts;
  files: string[];
  /** Part files of an earlier import that this one replaced. */
  replaced: number;
}

export interface ImportRun {
  /** Absolute path of the traces file, and how messages name it. */
  file: string;
  label: string;
  /** Absolute output folder. */
  outDir: string;
  options: ImportOptions;
  template: ImportTemplate;
  now: Date;
  /** The comment lines at the top of part `n`. */
  header: (part: number) => string;
  /** A malformed line (1-based), reported and skipped. */
  onProblem: (line: number, problem: string) => void;
}

/**
 * Stream a traces file into case files: parse each line, filter by --since,
 * redact, hash, de-duplicate (keeping only the hashes), sample (keeping only N)
 * and write part files as they fill. Memory does not grow with the file.
 * Under --strict the first malformed line stops it with a `UsageError` and
 * nothing is written.
 *
 * @example
 * const summary = await runImport({ file, label: 'traces.jsonl', outDir, options, template, now: new Date(), header, onProblem })
 */
export async function runImport(run: ImportRun): Promise<ImportSummary> {
  const { options } = run;
  const summary: ImportSummary = {
    lines: 0,
    kept: 0,
    unique: 0,
    duplicates: 0,
    filtered: 0,
    undated: 0,
    malformed: 0,
    ignored: 0,
    redactions: noRedactions(),
    files: [],
    replaced: 0,
  };
  const cutoff = options.sinceMs === undefined ? undefined : run.now.getTime() - options.sinceMs;
  const seen = new HashSet48();
  const sample =
    options.sample === undefined ? undefined : new Reservoir<CaseInput>(options.sample, options.seed);
  const writer = new ShardWriter({ dir: run.outDir, maxPerFile: options.maxPerFile, header: run.header });

  const keep = async (record: TraceRecord, line: number): Promise<void> => {
    if (cutoff !== undefined) {
      if (record.timestamp === undefined || record.timestamp < cutoff) {
        if (record.timestamp === undefined) summary.undated += 1;
        else summary.filtered += 1;
        return;
      }
    }
    const clean = options.redact ? redactTrace(record, summary.redactions) : record;
    const id = caseIdOf(clean.messages);
    const hash = id.slice('trace-'.length);
    if (seen.has(hash)) {
      summary.duplicates += 1;
      return;
    }
    const built = buildCase(clean, {
      id,
      template: run.template,
      tags: options.tags,
      origin: { file: run.label, line },
    });
    seen.add(hash);
    if (sample) sample.offer(built);
    else await writer.add(built);
  };

  const input = createReadStream(run.file, { encoding: 'utf8' });
  const lines = createInterface({ input, crlfDelay: Infinity });
  let number = 0;
  try {
    for await (const raw of lines) {
      number += 1;
      const text = number === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      if (text.trim() === '') continue;
      summary.lines += 1;
      try {
        const { records, ignored } = tracesOfLine(text);
        summary.ignored += ignored;
        for (const record of records) await keep(record, number);
      } catch (error) {
        if (!(error instanceof TraceProblem)) throw error;
        if (options.strict) {
          throw new UsageError(`${run.label}:${number}: ${error.message}; nothing written (--strict)`);
        }
        summary.malformed += 1;
        run.onProblem(number, error.message);
      }
    }
    for (const built of sample?.items() ?? []) await writer.add(built);
  } catch (error) {
    lines.close();
    input.destroy();
    await writer.abort();
    throw error;
  }
  summary.unique = seen.size;
  summary.kept = writer.written;
  if (writer.written > 0) Object.assign(summary, await writer.commit());
  return summary;
}
