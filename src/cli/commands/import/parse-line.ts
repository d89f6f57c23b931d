import { locateJsonError } from '../../../internal/json-error.js';
import { otelTrace, spansOf } from './otel.js';
import { plainTrace, TraceProblem, type TraceRecord } from './record.js';

/**
 * The traces one line of the input holds: one for a plain trace or an OTLP
 * span, several for an OTLP export request; `ignored` counts spans that are
 * not GenAI calls. Throws a `TraceProblem` for a line that is not JSON, not an
 * object, or not a usable trace.
 *
 * @example
 * tracesOfLine('{"input":"Can I return shoes?"}').records[0].messages // [{ role: 'user', content: 'Can I return shoes?' }]
 */
export function tracesOfLine(text: string): { records: TraceRecord[]; ignored: number } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const at = locateJsonError(text);
    throw new TraceProblem(`is not JSON${at ? ` (column ${at.col}: ${at.reason})` : ''}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TraceProblem('is not a JSON object; write one trace object per line');
  }
  const line = value as Record<string, unknown>;
  const spans = spansOf(line);
  if (spans === undefined) return { records: [plainTrace(line)], ignored: 0 };
  const records: TraceRecord[] = [];
  let ignored = 0;
  for (const span of spans) {
    const record = otelTrace(span);
    if (record === undefined) ignored += 1;
    else records.push(record);
  }
  return { records, ignored };
}
