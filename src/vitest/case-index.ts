import path from 'node:path';
import type { ProjectCase } from '../config/project.js';
import type { RuntimeContext } from '../run/context.js';
import { rubricHash } from '../scorers/fingerprint.js';

/**
 * What the main process keeps of a case once its file is read: what the
 * reporter expects (id, subject, tags, node, minimum score), what the scoring
 * plan compares (the rubric hash) and what the provider check counts. The case
 * itself is kept only as JSON text, for its generated module (`IndexedCaseFile`).
 * @internal
 */
export interface CaseSummary {
  id: string;
  subject: string;
  tags: string[];
  node?: string | undefined;
  min_score: number;
  rubric_hash: string;
  /** Judge criteria, the rubric-wide ones included. */
  criteria: number;
  /** Whether it has context passages (faithfulness and answer relevancy run). */
  context: boolean;
}

/**
 * A case file as the plugin keeps it between start-up and the transform of its
 * module: each case as JSON text (a string is a few bytes a character; the same
 * case as objects is several times that), in file order.
 * @internal
 */
export interface IndexedCaseFile {
  /** Each case's definition as JSON, in file order. */
  cases: string[];
  /** The user modules its cases run (agent entries, `javascript` checks): absolute, each once, sorted. */
  modules: string[];
  /** Its cases' summaries, in file order (the same objects as the project's). */
  summaries: CaseSummary[];
}

const NO_TAGS: string[] = Object.freeze([]) as unknown as string[];

/**
 * Builds the compact index of a project's cases while `loadProject` hands them
 * over file by file (its `onCaseFile`).
 * @internal
 *
 * @example
 * const index = new CaseIndexer(root)
 * const project = await loadProject({ cwd: root, onCaseFile: (file, cases) => index.add(file, cases) })
 * const { summaries, byFile } = index.finish(ctxSubjects)
 */
export class CaseIndexer {
  readonly summaries: CaseSummary[] = [];
  private readonly files = new Map<
    string,
    { cases: string[]; summaries: CaseSummary[]; subjects: Set<string>; checks: Set<string> }
  >();

  constructor(private readonly root: string) {}

  add(file: string, cases: readonly ProjectCase[]): void {
    const absolute = path.resolve(this.root, file);
    let entry = this.files.get(absolute);
    if (!entry) {
      entry = { cases: [], summaries: [], subjects: new Set(), checks: new Set() };
      this.files.set(absolute, entry);
    }
    for (const c of cases) {
      // Cases are filed under the file they are written in, as `source.file` names it.
      entry.cases.push(JSON.stringify(c));
      entry.subjects.add(c.subject);
      for (const check of c.checks ?? []) {
        if (check.kind === 'javascript') entry.checks.add(path.resolve(this.root, check.value));
      }
      const summary: CaseSummary = {
        id: c.id,
        subject: c.subject,
        tags: c.tags && c.tags.length > 0 ? c.tags : NO_TAGS,
        ...(c.node === undefined ? {} : { node: c.node }),
        min_score: c.min_score,
        rubric_hash: rubricHash(c),
        criteria: c.criteria?.length ?? 0,
        context: (c.context?.length ?? 0) > 0,
      };
      this.summaries.push(summary);
      entry.summaries.push(summary);
    }
  }

  /** The case files' index, once every file is in: each file's user modules from its subjects' entries. */
  finish(subjects: RuntimeContext['subjects']): Map<string, IndexedCaseFile> {
    const byFile = new Map<string, IndexedCaseFile>();
    for (const [file, entry] of this.files) {
      const modules = new Set(entry.checks);
      for (const subject of entry.subjects) {
        const agent = subjects[subject]?.entry;
        if (agent !== undefined) modules.add(agent);
      }
      byFile.set(file, { cases: entry.cases, modules: [...modules].sort(), summaries: entry.summaries });
    }
    return byFile;
  }
}

/**
 * The JSON text of a generated module's payload (`CaseModule`): the file and
 * its cases `from` (inclusive) `to` (exclusive), joined from their JSON text
 * without parsing them.
 * @internal
 *
 * @example
 * JSON.parse(casesPayload('/repo/eval/cases.yaml', ['{"id":"a"}', '{"id":"b"}'])) // { file, cases: [{ id: 'a' }, { id: 'b' }] }
 */
export function casesPayload(file: string, cases: readonly string[], from = 0, to = cases.length): string {
  return `{"file":${JSON.stringify(file)},"cases":[${cases.slice(from, to).join(',')}]}`;
}
