/**
 * Benchmark fixtures: the files of a scratch qualification project (pure), and
 * the project on disk. With the installed build (the default, bench/install.ts)
 * projects live beside its `node_modules` in a temporary directory; with the
 * plugin's sources (`--src`) under test/e2e/.scratch/ (git-ignored, inside the
 * repo so `vitest` and the sources resolve).
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Scorecard } from '../src/scorecard/types.js';

const here = path.dirname(fileURLToPath(import.meta.url));
/**
 * The repository root.
 *
 * @example
 * path.join(REPO, 'node_modules/vitest/vitest.mjs')
 */
export const REPO = path.resolve(here, '..');
const SCRATCH = path.join(REPO, 'test/e2e/.scratch');

/**
 * Where the plugin comes from: the package built and installed in `root`'s
 * `node_modules` (as users run it), or a folder of its TypeScript sources
 * (the repo's src/, or a copy for a before/after pair), as the e2e tests load it.
 *
 * @example
 * const source: PluginSource = { kind: 'src', dir: path.join(REPO, 'src') }
 */
export type PluginSource = { kind: 'installed'; root: string } | { kind: 'src'; dir: string };

/** The shape of one benchmark workload. */
export interface WorkloadSpec {
  cases: number;
  /** Cases per case file (`qualify import` writes 500 per file). */
  perFile: number;
  /** Judge criteria per case; 0: no judge call. */
  criteria: number;
  /** Two context passages per case: faithfulness (2 calls) and answer relevancy (2 calls). */
  context: boolean;
  /** Two deterministic checks per case. */
  checks: boolean;
  /** `providers.openai.max_in_flight`; unlimited when absent. */
  maxInFlight?: number | undefined;
  /** `max_concurrency` of the rubric; its default (32) when absent. */
  maxConcurrency?: number | undefined;
  /** `repeats` (first-pass trials per case) of the rubric; its default (1) when absent. */
  repeats?: number | undefined;
  /** `drift_probe` of the rubric; its default when absent. */
  driftProbe?: number | undefined;
}

/**
 * Model calls one case makes: agent, judge, faithfulness x2, relevancy questions, embeddings.
 *
 * @example
 * callsPerCase({ criteria: 3, context: true }) // 6
 */
export function callsPerCase(spec: Pick<WorkloadSpec, 'criteria' | 'context'>): number {
  return 1 + (spec.criteria > 0 ? 1 : 0) + (spec.context ? 4 : 0);
}

/**
 * The input of case `i` (1-based); the fake candidate answers `Answer to <input> [score=9]`.
 *
 * @example
 * caseInput(7) // 'Question 7: can I return item 7 after 40 days?'
 */
export function caseInput(i: number): string {
  return `Question ${i}: can I return item ${i} after 40 days?`;
}

/**
 * The id of case `i` (1-based).
 *
 * @example
 * caseId(7) // 'case-00007'
 */
export function caseId(i: number): string {
  return `case-${String(i).padStart(5, '0')}`;
}

const CRITERIA = [
  'States the 30-day return window',
  'Answers the question that was asked',
  'Stays polite and brief',
  'Names the refund method',
];

function caseYaml(i: number, spec: WorkloadSpec): string {
  const lines = [`  - id: ${caseId(i)}`, `    input: ${JSON.stringify(caseInput(i))}`];
  if (spec.context) {
    lines.push(
      '    context:',
      '      - "Returns are accepted within 30 days of delivery, with the receipt."',
      '      - "Refunds go back to the original payment method within 5 business days."',
    );
  }
  if (spec.criteria > 0) {
    lines.push('    criteria:');
    for (let k = 0; k < spec.criteria; k++) {
      lines.push(`      - { id: k${k + 1}, text: ${JSON.stringify(CRITERIA[k % CRITERIA.length])} }`);
    }
  }
  if (spec.checks) lines.push('    checks:', '      - not_contains: "guarantee"', '      - max_chars: 1200');
  return `${lines.join('\n')}\n`;
}

/**
 * The files of a workload's project: rubric.yaml (every model on the `openai`
 * provider, so one limiter is shared by the agent, the judge and the embeddings)
 * and the case files `eval/cases/part-NNNN.cases.yaml`.
 *
 * @example
 * workloadFiles({ cases: 80, perFile: 80, criteria: 3, context: true, checks: false, maxInFlight: 16 })
 */
export function workloadFiles(spec: WorkloadSpec): Record<string, string> {
  const provider = spec.maxInFlight === undefined ? '{}' : `{ max_in_flight: ${spec.maxInFlight} }`;
  const rubric = [
    'model_primary: openai:cand-1',
    'judge: openai:judge-1',
    'embeddings: openai:embed-1',
    'system_prompt: Answer briefly.',
    'judge_samples: 1',
    'thresholds: { rubric_min_score: 0.6, ragas: 0.5, max_per_case_regression: 3 }',
    `providers: { openai: ${provider} }`,
    'cases: ["eval/cases/*.cases.yaml"]',
    ...(spec.maxConcurrency === undefined ? [] : [`max_concurrency: ${spec.maxConcurrency}`]),
    ...(spec.repeats === undefined ? [] : [`repeats: ${spec.repeats}`]),
    ...(spec.driftProbe === undefined ? [] : [`drift_probe: ${spec.driftProbe}`]),
  ].join('\n');
  const files: Record<string, string> = { 'rubric.yaml': `${rubric}\n` };
  const parts = Math.ceil(spec.cases / spec.perFile);
  for (let p = 0; p < parts; p++) {
    const from = p * spec.perFile + 1;
    const to = Math.min(spec.cases, from + spec.perFile - 1);
    let text = 'cases:\n';
    for (let i = from; i <= to; i++) text += caseYaml(i, spec);
    files[`eval/cases/part-${String(p + 1).padStart(4, '0')}.cases.yaml`] = text;
  }
  return files;
}

/**
 * The vitest.config.ts of a scratch project in `dir`: the plugin from `source`,
 * plus the probe reporter.
 *
 * @example
 * await writeFile(path.join(dir, 'vitest.config.ts'), vitestConfig(dir, { kind: 'src', dir: 'src' }))
 */
export function vitestConfig(dir: string, source: PluginSource): string {
  const plugin =
    source.kind === 'installed'
      ? 'vitest-qualify'
      : path.relative(dir, path.join(source.dir, 'index.js')).split(path.sep).join('/');
  return `import { defineConfig } from 'vitest/config';
import { qualify } from ${JSON.stringify(plugin)};
import { ProbeReporter } from ${JSON.stringify(path.join(REPO, 'bench/probe-reporter.ts'))};

// The benchmark passes Node flags for the worker (--cpu-prof) as JSON in BENCH_WORKER_ARGS.
const execArgv = JSON.parse(process.env.BENCH_WORKER_ARGS ?? '[]');

export default defineConfig({
  test: {
    reporters: ['default', new ProbeReporter()],
    projects: [{ plugins: [qualify()], test: { name: 'eval', execArgv } }],
  },
});
`;
}

/** A scratch project on disk. */
export interface BenchProject extends AsyncDisposable {
  dir: string;
  write(relative: string, content: string): Promise<void>;
  read(relative: string): Promise<string>;
  scorecard(): Promise<Scorecard>;
}

let counter = 0;

/**
 * Write a scratch project with the given files and the benchmark's vitest.config.ts.
 *
 * @example
 * await using project = await benchProject(workloadFiles(spec), plan.source)
 */
export async function benchProject(
  files: Record<string, string>,
  source: PluginSource = { kind: 'src', dir: path.join(REPO, 'src') },
): Promise<BenchProject> {
  const parent = source.kind === 'installed' ? path.join(source.root, 'projects') : SCRATCH;
  const dir = path.join(parent, `bench-${process.pid}-${Date.now()}-${counter++}`);
  const write = async (relative: string, content: string): Promise<void> => {
    const file = path.join(dir, relative);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
  };
  await write('vitest.config.ts', vitestConfig(dir, source));
  for (const [relative, content] of Object.entries(files)) await write(relative, content);
  return {
    dir,
    write,
    read: (relative) => readFile(path.join(dir, relative), 'utf8'),
    async scorecard() {
      return JSON.parse(await readFile(path.join(dir, 'eval/out/scorecard.json'), 'utf8')) as Scorecard;
    },
    async [Symbol.asyncDispose]() {
      await rm(dir, { recursive: true, force: true });
    },
  };
}
