import { CaseSchema, type CaseInput } from '../../../config/schema/cases.js';
import type { ImportTemplate } from '../../../config/schema/import.js';
import { TraceProblem, type TraceRecord } from './record.js';

/** Where a trace came from, recorded in the case's `metadata.imported`. */
export interface TraceOrigin {
  file: string;
  line: number;
}

/**
 * The case a trace becomes: its stable id, the template's subject, criteria
 * and tags (plus the trace's own and `--tags`), `input` for a lone user
 * message else `messages`, the contexts, and the rest as metadata with the
 * production output under `metadata.imported.output`. Validated against the
 * case schema, so every written file loads; a trace that cannot make a valid
 * case throws a `TraceProblem`.
 *
 * @example
 * buildCase(record, { id: 'trace-0123456789ab', template, tags: ['nightly'], origin: { file: 'traces.jsonl', line: 3 } })
 */
export function buildCase(
  record: TraceRecord,
  input: { id: string; template: ImportTemplate; tags: readonly string[]; origin: TraceOrigin },
): CaseInput {
  const { messages } = record;
  const only = messages.length === 1 && messages[0]!.role === 'user' ? messages[0]!.content : undefined;
  const subject = record.subject ?? input.template.subject;
  const imported: Record<string, unknown> = { from: input.origin.file, line: input.origin.line };
  if (record.timestamp !== undefined) imported['timestamp'] = new Date(record.timestamp).toISOString();
  if (record.output !== undefined) imported['output'] = record.output;
  const built: CaseInput = {
    id: input.id,
    ...(subject === undefined ? {} : { subject }),
    ...(record.node === undefined ? {} : { node: record.node }),
    tags: [...new Set([...input.template.tags, ...record.tags, ...input.tags])],
    ...(only === undefined
      ? { messages: messages.map((m) => ({ role: m.role, content: m.content })) }
      : { input: only }),
    ...(record.context === undefined ? {} : { context: record.context }),
    criteria: input.template.criteria.map((c) => ({ id: c.id, text: c.text, weight: c.weight })),
    metadata: { ...record.metadata, imported },
  };
  const checked = CaseSchema.safeParse(built);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    throw new TraceProblem(`makes no valid case: ${issue.path.join('.') || 'case'} ${issue.message}`);
  }
  return built;
}
