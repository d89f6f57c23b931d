import path from 'node:path';
import type { Reporter, TestCase, TestModule, Vitest } from 'vitest/node';
import { firstLine } from '../internal/text.js';
import { zeroCounts } from '../providers/usage.js';
import { unscoredResult } from '../run/case-result.js';
import type { LoadedBaseline } from '../scorecard/baseline.js';
import { buildScorecard } from '../scorecard/build.js';
import { driftCheck } from '../scorecard/drift.js';
import { renderTerminal } from '../scorecard/terminal.js';
import type { AllowEntry } from '../scorecard/status.js';
import type {
  CaseResult,
  DriftProbe,
  Scorecard,
  ScoringChange,
  ScoringIdentity,
  Thresholds,
} from '../scorecard/types.js';
import type { RelativeGateConfig } from '../scorecard/relative-gates.js';
import type { ToolChangeAction } from '../scorecard/tool-changes.js';
import { computeVerdict, type GateSettings } from '../scorecard/verdict.js';
import { writeScorecard } from '../scorecard/write.js';
import { readCaseMeta } from './meta.js';
import { ProgressLog } from './progress.js';

/** Case error codes that are the user's setup, not the model's doing: the run exits 2, as for a config error. */
const SETUP_ERRORS: ReadonlySet<string> = new Set(['E_AGENT_ENTRY', 'E_CASSETTE']);

/** What the reporter needs to know about the run; prepared by the plugin. */
export interface ReporterSetup {
  root: string;
  projectName: string;
  model: string;
  judge: string;
  embeddings: string | null;
  /** What this run's scores depend on, recorded in the scorecard. */
  scoring?: ScoringIdentity | undefined;
  /** How that differs from the baseline's (prepare's `planScoring`). */
  rejudge?: ScoringChange | undefined;
  thresholds: { default: Thresholds; subjects: Record<string, Thresholds> };
  /** rubric.yaml `gate`: the noise-aware gate's levels and rounds. */
  gate?: GateSettings | undefined;
  /** rubric.yaml `relative_gates` (per subject, merged) and `prices`; absent when none is set. */
  relativeGates?: RelativeGateConfig | undefined;
  /** rubric.yaml `tool_changes.on_change`; default `review`. */
  toolChanges?: ToolChangeAction | undefined;
  baseline: LoadedBaseline;
  allowlist: AllowEntry[];
  /** The cases in scope (after QUALIFY_NODE / QUALIFY_TAGS): one that never reports back is an error. */
  expected: { id: string; subject: string; tags: string[]; node?: string | undefined; min_score: number }[];
  outputs: { json: string; markdown: string };
  env: Record<string, string | undefined>;
  branch: string | null;
  commit: string | null;
  /** A `qualify rescore` run: the agent's outputs came from the cassettes. */
  rescore?: boolean | undefined;
  /** Milliseconds between progress lines on stderr (`progressInterval`), or `null` for none. */
  progressIntervalMs?: number | null | undefined;
  now?: () => Date;
}

/**
 * The scorecard reporter. In the main process, after the run (and in the
 * `--merge-reports` run of a sharded qualification) it reads every case's
 * result from `task.meta`, computes the verdict, writes the scorecard and sets
 * the exit code. A shard run writes and gates nothing.
 */
export class QualifyReporter implements Reporter {
  private vitest: Vitest | undefined;
  private startedAt = 0;
  /** Last non-skipped result per case, across watch-mode re-runs. */
  private readonly latest = new Map<string, CaseResult>();
  /** Cases Vitest skipped (`-t`, `.skip`, out of scope): not expected to report. */
  private readonly skipped = new Set<string>();
  /** Progress lines for a CI log; not in watch mode or a `--merge-reports` run. */
  private progress: ProgressLog | undefined;
  /** The last scorecard written, for tests and the CLI. */
  lastScorecard: Scorecard | undefined;

  constructor(private readonly setup: ReporterSetup) {}

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
    this.startedAt = performance.now();
  }

  onTestRunStart(): void {
    this.startedAt = performance.now();
    const vitest = this.vitest;
    const interval = this.setup.progressIntervalMs;
    if (vitest && interval != null && !vitest.config.watch && !vitest.config.mergeReports) {
      this.progress = new ProgressLog(
        interval,
        () => performance.now(),
        (line) => vitest.logger.error(line),
      );
    }
  }

  onTestModuleCollected(module: TestModule): void {
    if (!this.progress || module.project.name !== this.setup.projectName) return;
    let cases = 0;
    for (const test of module.children.allTests()) {
      if (test.options.mode !== 'skip' && test.options.mode !== 'todo') cases += 1;
    }
    this.progress.collected(cases);
  }

  onTestCaseResult(test: TestCase): void {
    if (!this.progress || test.project.name !== this.setup.projectName) return;
    const result = test.result();
    if (result.state === 'skipped' || result.state === 'pending') return;
    const meta = readCaseMeta(test.meta());
    const outcome = !meta || meta.error !== null ? 'error' : result.state === 'passed' ? 'passed' : 'failed';
    this.progress.finished(outcome, meta?.usage ?? { cost_usd: 0 });
  }

  async onTestRunEnd(testModules: ReadonlyArray<TestModule>): Promise<void> {
    const vitest = this.vitest;
    this.progress?.end();
    this.progress = undefined;
    if (!vitest || vitest.config.shard) return; // partial results: the merge run gates
    const watch = Boolean(vitest.config.watch);
    // In watch mode Vitest re-runs an edited case file itself before the plugin re-runs only its edited
    // cases; the plugin filters Vitest's run out, which then ends with no module of ours. Nothing ran:
    // writing the scorecard again would print the previous verdict as if it were the edit's.
    if (watch && !testModules.some((m) => m.project.name === this.setup.projectName)) return;
    const modules = watch ? vitest.state.getTestModules() : testModules;
    for (const module of modules) {
      if (module.project.name !== this.setup.projectName) continue;
      for (const test of module.children.allTests()) this.collect(test, module);
    }

    const results = this.setup.expected
      .filter((c) => this.latest.has(c.id) || !this.skipped.has(c.id))
      .map((c) => this.latest.get(c.id) ?? missing(c));
    const verdict = computeVerdict({
      results,
      baseline: this.setup.baseline.baseline,
      allowlist: this.setup.allowlist,
      thresholds: this.setup.thresholds,
      gate: this.setup.gate,
      relativeGates: this.setup.relativeGates,
      toolChanges: this.setup.toolChanges,
      // Parsed from the tests' meta for this run; in watch mode they are kept for the next run.
      reuseResults: !watch,
      model: this.setup.model,
      today: (this.setup.now?.() ?? new Date()).toISOString().slice(0, 10),
    });
    const probes = results.map((r) => r.probe).filter((p): p is DriftProbe => p !== undefined);
    const drift = probes.length > 0 ? driftCheck(probes, this.setup.judge) : undefined;
    const card = buildScorecard(verdict, {
      model: this.setup.model,
      judge: this.setup.judge,
      embeddings: this.setup.embeddings,
      thresholds: this.setup.thresholds.default,
      baseline: this.setup.baseline.baseline,
      baselineSource: this.setup.baseline.source,
      branch: this.setup.branch,
      commit: this.setup.commit,
      createdAt: this.setup.now?.() ?? new Date(),
      durationMs: performance.now() - this.startedAt,
      rescore: this.setup.rescore,
      demo: this.setup.env['QUALIFY_DEMO'] === '1',
      scoring: this.setup.scoring,
      rejudge: this.setup.rejudge,
      drift,
    });
    this.lastScorecard = card;
    const files = await writeScorecard(card, {
      json: path.resolve(this.setup.root, this.setup.outputs.json),
      markdown: path.resolve(this.setup.root, this.setup.outputs.markdown),
      stepSummary: this.setup.env['GITHUB_STEP_SUMMARY'],
    });
    // On stderr: stdout belongs to the reporters the user chose (`--reporter=junit > junit.xml`).
    vitest.logger.error(
      renderTerminal(
        card,
        files.map((f) => path.relative(this.setup.root, f)),
      ),
    );
    if (card.drift?.drifted) vitest.logger.error(`vitest-qualify: ${card.drift.message}`);
    if (!watch && (card.verdict === 'fail' || card.verdict === 'error')) process.exitCode = 1;
    const setupError = card.cases.find((c) => c.error !== null && SETUP_ERRORS.has(c.error.code))?.error;
    if (!watch && setupError) {
      // A user's setup error found while running (an agent module with no default export, a cassette
      // that stopped parsing): like a config error, one line and exit code 2.
      vitest.logger.error(`vitest-qualify: ${setupError.message}`);
      process.once('exit', () => {
        process.exitCode = 2;
      });
    }
  }

  private collect(test: TestCase, module: TestModule): void {
    const result = test.result();
    if (result.state === 'skipped' || result.state === 'pending') {
      this.skipped.add(test.name);
      return;
    }
    const meta = readCaseMeta(test.meta());
    if (meta) {
      this.latest.set(meta.id, meta);
      return;
    }
    // The test failed before it could record a result (a timeout, a crash).
    const expected = this.setup.expected.find((c) => c.id === test.name);
    if (!expected) return;
    const error = result.state === 'failed' ? result.errors[0] : undefined;
    const timedOut = error?.message?.includes('timed out') ?? false;
    this.latest.set(expected.id, {
      ...missing(expected),
      error: {
        kind: timedOut ? 'timeout' : 'missing',
        code: timedOut ? 'E_CASE_TIMEOUT' : 'E_CASE_NO_RESULT',
        message: firstLine(error?.message ?? `the test in ${module.moduleId} recorded no result`),
      },
    });
  }
}

function missing(c: ReporterSetup['expected'][number]): CaseResult {
  return Object.assign(unscoredResult(c, zeroCounts()), {
    score: null,
    error: {
      kind: 'missing' as const,
      code: 'E_CASE_NOT_RUN',
      message: 'the case did not run (its test file failed to load, or the run was interrupted)',
    },
    latency_ms: 0,
  });
}
