import picomatch from 'picomatch';
import { branchMatchesModel, expectedBranch, isModelBranch } from './branch-name.js';
import { releaseNoteGaps, releaseNoteMessage, type ModelCommit } from './release-note.js';
import { describeChange, diffKeys } from './rubric-diff.js';

/** The rule a change breaks. */
export type ViolationRule =
  | 'file-not-allowed'
  | 'protected-path'
  | 'rubric-key'
  | 'branch-name'
  | 'release-note'
  | 'model-change-on-feature-branch';

/** One thing wrong with a PR: the file (and key), and a line that says what to do. */
export interface Violation {
  rule: ViolationRule;
  file: string;
  key?: string | undefined;
  /** The short sha of the commit at fault (`release-note`). */
  commit?: string | undefined;
  message: string;
}

/** A path pattern a qualification PR must not touch, and why. */
export interface ProtectedPath {
  glob: string;
  /** Completes "`<file>` ...": `is under agents/ (the agent)`. */
  what: string;
}

/** What git says about the PR. Paths are relative to the repository root. */
export interface PrFacts {
  branch: string;
  changed: string[];
  rubricFile: string;
  /** rubric.yaml at the base as parsed YAML; `undefined` when the base has none. */
  base: unknown;
  /** rubric.yaml in the working tree as parsed YAML. */
  head: unknown;
  /** `model_primary` in the working tree (validated). */
  headModel: string;
  /** The files of the discipline: rubric.yaml, the playbook, the baseline, the allowlist. Never protected. */
  allowed: string[];
  /**
   * Globs of further files a qualification PR may change: the cassettes under
   * `cache.dir` and what `--allow` names. A protected path stays protected.
   */
  extra: string[];
  protected: ProtectedPath[];
  /** The commits of the PR that change the `model_primary` line of rubric.yaml, newest first. */
  modelCommits: ModelCommit[];
}

/** What check-pr concludes: `ok` is the exit code's answer; `summary` ends the report. */
export interface PrVerdict {
  ok: boolean;
  /** Whether the branch is a qualification branch (`model/...`). */
  qualification: boolean;
  violations: Violation[];
  /** One line for the end of the report. */
  summary: string;
}

/**
 * Whether a repository-relative path matches any of the globs. picomatch as
 * tinyglobby runs it for the case globs of rubric.yaml (`posix: true`, so
 * `[!x]` negates), plus `dot: true`: `agents/**` covers `agents/.env`.
 *
 * @example
 * pathMatcher(['agents/**', 'eval/{a,b}.yaml'])('agents/prompts/system.md') // true
 */
export function pathMatcher(globs: readonly string[]): (file: string) => boolean {
  if (globs.length === 0) return () => false;
  return picomatch([...globs], { posix: true, dot: true });
}

/** Top-level rubric keys a qualification PR may change. */
export const MODEL_KEYS = ['model_primary', 'model_fallback'];

function modelOf(data: unknown): unknown {
  return typeof data === 'object' && data !== null
    ? (data as Record<string, unknown>)['model_primary']
    : undefined;
}

/**
 * The three-file discipline (docs/architecture.md section 5), as a pure function of what
 * git says. On a `model/` branch: only allowed files, no protected path, only
 * `model_primary` / `model_fallback` in rubric.yaml, a branch named after
 * the new model, and a release date and https:// link in every commit message
 * that changes `model_primary`. On any other branch: no `model_primary` change.
 *
 * @example
 * checkPrFacts(facts).violations.map((v) => v.message)
 */
export function checkPrFacts(facts: PrFacts): PrVerdict {
  const { branch, rubricFile } = facts;
  const before = modelOf(facts.base);
  const modelChanged = facts.base !== undefined && before !== facts.headModel;

  if (!isModelBranch(branch)) {
    if (!modelChanged) {
      return {
        ok: true,
        qualification: false,
        violations: [],
        summary: `not a qualification PR: ${branch} is not a model/ branch and model_primary is unchanged`,
      };
    }
    const message =
      `${rubricFile}: model_primary: this is a feature PR with a model change bolted on: split it ` +
      `(${String(before)} -> ${facts.headModel}; put the model change alone on branch ${expectedBranch(facts.headModel)})`;
    return {
      ok: false,
      qualification: false,
      violations: [
        { rule: 'model-change-on-feature-branch', file: rubricFile, key: 'model_primary', message },
      ],
      summary: 'refused: split the model change into its own model/ PR',
    };
  }

  const violations: Violation[] = [];
  const protectedMatchers = facts.protected.map((p) => ({ ...p, matches: pathMatcher([p.glob]) }));
  const allowed = [...new Set([...facts.allowed, ...facts.extra])];
  const isExtra = pathMatcher(facts.extra);
  for (const file of facts.changed) {
    if (facts.allowed.includes(file)) continue;
    const hit = protectedMatchers.find((p) => p.matches(file));
    if (hit) {
      violations.push({
        rule: 'protected-path',
        file,
        message: `${file}: ${hit.what}; a qualification PR never changes it: move this change to a separate PR`,
      });
    } else if (!isExtra(file)) {
      violations.push({
        rule: 'file-not-allowed',
        file,
        message:
          `${file}: not among the files a qualification PR may change (${allowed.join(', ')}); ` +
          `move it to a separate PR, or pass --allow ${file} if it belongs here`,
      });
    }
  }
  if (facts.base !== undefined) {
    for (const change of diffKeys(facts.base, facts.head)) {
      if (MODEL_KEYS.includes(String(change.path[0]))) continue;
      violations.push({
        rule: 'rubric-key',
        file: rubricFile,
        key: change.key,
        message:
          `${rubricFile}: ${change.key} ${describeChange(change)}; a qualification PR changes only ` +
          'model_primary and model_fallback: move this edit to its own PR',
      });
    }
  }
  if (!branchMatchesModel(branch, facts.headModel)) {
    violations.push({
      rule: 'branch-name',
      file: rubricFile,
      key: 'model_primary',
      message:
        `${rubricFile}: model_primary is ${facts.headModel} but the branch is ${branch}: ` +
        `name the branch ${expectedBranch(facts.headModel)}`,
    });
  }
  if (modelChanged) {
    for (const commit of facts.modelCommits) {
      const gaps = releaseNoteGaps(commit.message);
      if (gaps.length === 0) continue;
      violations.push({
        rule: 'release-note',
        file: rubricFile,
        key: 'model_primary',
        commit: commit.short,
        message: releaseNoteMessage(rubricFile, commit, gaps),
      });
    }
  }
  const count = `${violations.length} violation${violations.length === 1 ? '' : 's'}`;
  return {
    ok: violations.length === 0,
    qualification: true,
    violations,
    summary:
      violations.length === 0
        ? `qualification PR ${branch}: only allowed changes (${facts.changed.join(', ') || 'no files changed'})`
        : `refused, ${count}: a qualification PR changes model_primary (and model_fallback) in ${rubricFile}, ` +
          'the playbook, the baseline and the allowlist, nothing else',
  };
}
