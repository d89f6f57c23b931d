/**
 * The nightly traffic workflow (traffic.yml) end to end, as a runner runs it: the `import` job's
 * steps (the download step replaced by writing a seeded traces file where curl would have written
 * it), then each `shard` job of the matrix the import computed, one after another, each in its own
 * fresh checkout with its own blob, then the `merge` job. Artifacts move between the jobs as the
 * actions move them (workflow-artifacts.ts). The fake provider serves every model call: the curated
 * cases as the example's cassettes were written (scripts/cassette-world, so they score as in
 * eval/baseline.json), the imported ones from the eval world (each answer scored 9).
 *
 * The merged scorecard is then checked: every imported and curated case once, none errored, the
 * verdict and status counts, each shard's share of the cases, and, on a subset (the curated cases
 * and the first import file), each case equal to an unsharded run's (token counts listed apart).
 *
 * Slow by nature (an install per job, a build, then every case scored): a few minutes. The number of
 * traces is TRAFFIC_TRACES below, or QUALIFY_E2E_TRACES; each case costs about 6 model calls through
 * the real SDKs at about 20 cases a second here, so 100,000 traces take well over an hour on a
 * 2-core machine (see the timings the test prints), not a suite's minutes.
 */
import { once } from 'node:events';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse, parseDocument } from 'yaml';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { loadProject } from '../../src/config/load.js';
import type { Scorecard } from '../../src/scorecard/types.js';
import { loadWorld } from '../../scripts/cassette-world/world.js';
import { worldResponder } from '../../scripts/cassette-world/responder.js';
import { sampleTree } from '../../bench/proc-tree.js';
import { evalResponder } from '../fake-provider/eval-responder.js';
import { startFakeProvider, type FakeProvider, type Responder } from '../fake-provider/index.js';
import { mulberry32 } from '../fake-provider/prng.js';
import { git, scratch, type Scratch } from '../helpers/scratch.js';
import { readWorkflow, type Job, type Step } from '../unit/workflows/workflows.js';
import { stable } from './harness.js';
import { checkoutPullRequest } from './workflow-pull-request.js';
import { artifactStore, type ArtifactStore } from './workflow-artifacts.js';
import { machineEnv, removeNpxEntries } from './workflow-env.js';
import { jobOutputs, runJob, type Contexts, type StepOutcome } from './workflow-runner.js';

/** Traces in the day's file: enough for several case files per shard, few enough for the suite. */
const TRAFFIC_TRACES = Number(process.env['QUALIFY_E2E_TRACES'] ?? 3_000);
const SEED = 16;
/** Cases per file `qualify import` writes (its default; traffic.yml passes no --max-per-file). */
const MAX_PER_FILE = 500;
/** Stands in for curl: the step that downloads the traces is replaced by one that writes them. */
const WRITE_TRACES = 'test/write-traces';

let dir: Scratch;
let provider: FakeProvider;
let curatedIds: string[];
beforeAll(async () => {
  dir = await scratch('qualify-traffic-workflow-');
  // The curated cases answer as the cassettes were written; anything else (the imported traffic)
  // gets the eval world's answers. The world throws on a request it does not script.
  const curated = (await loadProject({ cwd: process.cwd() })).cases;
  curatedIds = curated.map((c) => c.id);
  const world = worldResponder(await loadWorld(), curated, { model: 'sonnet-4-6' });
  const traffic = evalResponder({});
  const fallback: Responder = async (req) => {
    try {
      return await world(req);
    } catch {
      return traffic(req);
    }
  };
  provider = await startFakeProvider({ fallback });
});
afterAll(async () => {
  await removeNpxEntries(dir.dir);
  await provider.close();
  await dir[Symbol.asyncDispose]();
});

const QUESTIONS = [
  'Can I return the {item} I bought {days} days ago?',
  'My {item} arrived damaged, what now?',
  'How long does shipping take for a {item}?',
  'Is the {item} covered by the warranty after {days} days?',
  'Please change the delivery address of my {item} order, reach me at {email}.',
  'Do you ship the {item} abroad?',
];
const ITEMS = ['tent', 'sleeping bag', 'rain jacket', 'pair of boots', 'headlamp', 'stove', 'backpack'];

/** `count` traces of the last day in the plain format `qualify import` reads, from a fixed seed. */
async function writeTraces(file: string, count: number, now: number): Promise<void> {
  const random = mulberry32(SEED);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const stream = createWriteStream(file);
  for (let i = 0; i < count; i++) {
    const question = pick(QUESTIONS)
      .replace('{item}', pick(ITEMS))
      .replace('{days}', String(1 + Math.floor(random() * 90)))
      .replace('{email}', `customer${i}@example.com`);
    const line = JSON.stringify({
      // Within the last 23 hours, so `--since 24h` keeps every one.
      timestamp: new Date(now - Math.floor(random() * 23 * 3_600_000)).toISOString(),
      input: `${question} (order ${100_000 + i})`,
      output: 'A reply the production model gave.',
      metadata: { tags: ['web'], request: `req-${i}` },
    });
    if (!stream.write(`${line}\n`)) await once(stream, 'drain');
  }
  stream.end();
  await once(stream, 'finish');
}

/** Wall time and the peak resident memory of this process's children (the job's steps) while `run` runs. */
async function measured<T>(run: () => Promise<T>): Promise<{ value: T; ms: number; peakMB: number | null }> {
  const canSample = existsSync(`/proc/${process.pid}/stat`);
  let peak = 0;
  const sample = () => {
    const own = process.memoryUsage().rss;
    peak = Math.max(peak, sampleTree(process.pid).rssBytes - own);
  };
  const timer = canSample ? setInterval(sample, 250) : undefined;
  const start = Date.now();
  try {
    const value = await run();
    return { value, ms: Date.now() - start, peakMB: canSample ? Math.round(peak / 2 ** 20) : null };
  } finally {
    clearInterval(timer);
  }
}

function report(outcomes: readonly StepOutcome[]): string {
  return outcomes.map((o) => `$ ${o.step} -> ${o.code}\n${o.output.slice(-3000)}`).join('\n');
}

test(`traffic.yml: ${TRAFFIC_TRACES} imported traces qualified as shards, the merged scorecard whole and equal to an unsharded run`, async () => {
  // The example's provider limits are a real account's (anthropic rpm 50: 100,000 cases would take
  // 33 hours); the fake provider has none, so the checkout lifts rpm and changes nothing else.
  const { workspace, mergeSha } = await checkoutPullRequest({
    source: process.cwd(),
    dir: dir.dir,
    branch: 'traffic-limits',
    change: async (repo) => {
      const rubric = path.join(repo, 'rubric.yaml');
      const text = await readFile(rubric, 'utf8');
      const lifted = text.replace(/\brpm: \d+/g, 'rpm: 600000');
      expect(lifted).not.toBe(text);
      await writeFile(rubric, lifted);
    },
  });
  /** A fresh checkout for one job, as each runner makes. */
  // Every job checks out at the same path, as on GitHub's runners (/home/runner/work/<repo>/<repo>):
  // the blobs name the case files by absolute path, and the merge job matches them to its own.
  const runnerWorkspace = dir.path('work/support-agent/support-agent');
  const checkout = (): string => {
    git(dir.dir, 'clone', '--quiet', '--no-checkout', workspace, runnerWorkspace);
    git(runnerWorkspace, 'checkout', '--quiet', '--detach', mergeSha);
    return runnerWorkspace;
  };

  const workflow = readWorkflow('traffic.yml');
  const artifacts: ArtifactStore = artifactStore(dir.path('artifacts'));
  const now = Date.now();
  const uses =
    (cwd: string) =>
    async (step: Step): Promise<number> => {
      if (step.uses === 'actions/checkout@v4') return 0; // checkout() did it
      if (step.uses === 'actions/setup-node@v4')
        return Number(process.versions.node.split('.')[0]) >= 20 ? 0 : 1;
      if (step.uses === 'actions/upload-artifact@v4') return artifacts.upload(step, cwd);
      if (step.uses === 'actions/download-artifact@v4') return artifacts.download(step, cwd);
      if (step.uses === WRITE_TRACES) {
        await writeTraces(path.join(cwd, String(step.with!['output'])), TRAFFIC_TRACES, now);
        return 0;
      }
      throw new Error(`the test runner does not know ${step.uses}`);
    };
  const env = (cwd: string, job: string): NodeJS.ProcessEnv => ({
    ...machineEnv(),
    GITHUB_WORKFLOW: 'traffic',
    GITHUB_JOB: job,
    GITHUB_EVENT_NAME: 'schedule',
    GITHUB_REPOSITORY: 'acme/support-agent',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_REF_NAME: 'main',
    GITHUB_SHA: mergeSha,
    GITHUB_WORKSPACE: cwd,
    ANTHROPIC_BASE_URL: provider.anthropicBaseURL,
    OPENAI_BASE_URL: provider.openaiBaseURL,
  });
  const contexts: Contexts = {
    github: { event_name: 'schedule', ref_name: 'main', head_ref: '' },
    secrets: { ANTHROPIC_API_KEY: 'sk-ant-ci', OPENAI_API_KEY: 'sk-ci', TRACES_TOKEN: 'traces-ci' },
    vars: { TRACES_URL: 'https://traces.example.test/last-day.jsonl' },
  };
  const run = async (name: string, job: Job, extra: Contexts = {}, keepInstall = false) => {
    const cwd = checkout();
    const outcomes = await runJob(job, {
      cwd,
      env: env(cwd, name),
      contexts: { ...contexts, ...extra },
      uses: uses(cwd),
    });
    // Each job's install is its own: drop it once the job is done (disk, not time).
    if (!keepInstall) await rm(path.join(cwd, 'node_modules'), { recursive: true, force: true });
    // The runner is gone; what it left is kept for the checks below.
    const kept = dir.path(`jobs/${name}`);
    await mkdir(path.dirname(kept), { recursive: true });
    await rename(cwd, kept);
    return { cwd: kept, outcomes };
  };
  const phases: { phase: string; ms: number; peakMB: number | null }[] = [];
  const phase = (name: string, m: { ms: number; peakMB: number | null }) => {
    phases.push({ phase: name, ms: m.ms, peakMB: m.peakMB });
    console.log(
      `traffic workflow: ${name}: ${(m.ms / 1000).toFixed(1)} s, peak RSS of the steps ${m.peakMB ?? '?'} MB`,
    );
  };

  // The import job, the download replaced by writing the file curl would have written, and the plan's
  // target per shard scaled to the test's size (12,500 a shard is 8 shards at 100,000 cases; at 3,000
  // it would be one shard): 1,000 a shard makes 4 here, so the test shards as a day of traffic does.
  const written = workflow.jobs['import']!;
  const plan = written.steps.find((s) => s.run?.includes('qualify shards'));
  expect(plan?.run).toContain('--per-shard 12500 --max 8');
  const perShardTarget = TRAFFIC_TRACES >= 100_000 ? 12_500 : 1_000;
  const importJob: Job = {
    ...written,
    steps: written.steps.map((s) =>
      s === plan ? { ...s, run: s.run!.replace('--per-shard 12500', `--per-shard ${perShardTarget}`) } : s,
    ),
  };
  const downloads = importJob.steps.filter((s) => s.env?.['TRACES_URL'] !== undefined);
  expect(downloads).toHaveLength(1);
  const output = /--output\s+(\S+)/.exec(downloads[0]!.run ?? '')?.[1] ?? '';
  expect(output).not.toBe('');
  const imported = await measured(() =>
    run('import', {
      ...importJob,
      steps: importJob.steps.map((s) => (s === downloads[0] ? { uses: WRITE_TRACES, with: { output } } : s)),
    }),
  );
  phase('import job', imported);
  const importOutcomes = imported.value.outcomes;
  expect(
    importOutcomes.map((o) => o.code),
    report(importOutcomes),
  ).toEqual(importOutcomes.map(() => 0));
  const importStep = importOutcomes.find((o) => o.step.startsWith('npx qualify import'));
  expect(importStep?.output).toContain(`kept       ${TRAFFIC_TRACES}  cases`);
  expect(artifacts.names()).toEqual(['traffic-cases']);
  const caseDir = path.join(imported.value.cwd, 'eval/cases/traffic');
  const importedIds: string[] = [];
  for (const file of (await readdir(caseDir)).sort()) {
    const { cases } = parse(await readFile(path.join(caseDir, file), 'utf8')) as { cases: { id: string }[] };
    importedIds.push(...cases.map((c) => c.id));
  }
  expect(new Set(importedIds).size).toBe(TRAFFIC_TRACES);

  // The matrix the import computed.
  const outputs = jobOutputs(importJob, importOutcomes);
  const shardJob = workflow.jobs['shard']!;
  expect(shardJob.strategy?.matrix['shard']).toBe('${{ fromJSON(needs.import.outputs.shards) }}');
  const shards = JSON.parse(outputs['shards']!) as number[];
  const total = Number(outputs['total']);
  expect(shards).toEqual(Array.from({ length: total }, (_, i) => i + 1));
  // The shard count the plan computes from the case count: ceil(cases / target), at most 8.
  expect(total).toBe(Math.min(8, Math.ceil((TRAFFIC_TRACES + curatedIds.length) / perShardTarget)));
  expect(total).toBeGreaterThan(1);
  const needs = { import: { outputs, result: 'success' } };

  // Each shard job in its own checkout, one after another.
  const perShard: number[] = [];
  for (const shard of shards) {
    const ran = await measured(() => run(`shard-${shard}`, shardJob, { needs, matrix: { shard } }));
    phase(`shard ${shard}/${total} job`, ran);
    const { outcomes } = ran.value;
    expect(
      outcomes.map((o) => o.code),
      report(outcomes),
    ).toEqual(outcomes.map(() => 0));
    const runStep = outcomes.find((o) => o.step.includes(`--shard=${shard}/${total}`));
    // The plugin's last progress line: ` qualify  N/N cases: ...`.
    const done = [...(runStep?.output ?? '').matchAll(/qualify {2}(\d+)\/(\d+) cases/g)].at(-1);
    expect(done?.[1], report(outcomes)).toBe(done?.[2]);
    perShard.push(Number(done![1]));
  }
  expect(artifacts.names()).toEqual(['traffic-cases', ...shards.map((s) => `blob-${s}`)]);
  // Every case ran in exactly one shard, and the shares are balanced. Vitest shards by file (an even
  // number of files each, by the hash of their paths), and an import file holds up to 500 cases, so
  // shares differ by up to a file; none may be under a third of an even share (or empty).
  const cases = TRAFFIC_TRACES + curatedIds.length;
  expect(perShard.reduce((a, b) => a + b, 0)).toBe(cases);
  expect(Math.max(...perShard) - Math.min(...perShard), `cases per shard: ${perShard}`).toBeLessThanOrEqual(
    MAX_PER_FILE,
  );
  expect(Math.min(...perShard), `cases per shard: ${perShard}`).toBeGreaterThanOrEqual(cases / total / 3);

  // The merge job: it runs when the import succeeded, whatever the shards did.
  const mergeJob = workflow.jobs['merge']!;
  expect(mergeJob.if).toBe("always() && needs.import.result == 'success'");
  const merged = await measured(() => run('merge', mergeJob, { needs }, true));
  phase('merge job', merged);
  const mergeOutcomes = merged.value.outcomes;
  expect(
    mergeOutcomes.map((o) => o.code),
    report(mergeOutcomes),
  ).toEqual(mergeOutcomes.map(() => 0));
  expect(artifacts.names().at(-1)).toBe('traffic-scorecard-main');

  const card = JSON.parse(
    await readFile(path.join(artifacts.dir('traffic-scorecard-main'), 'scorecard.json'), 'utf8'),
  ) as Scorecard;
  const ids = card.cases.map((c) => c.id);
  expect(ids.length).toBe(TRAFFIC_TRACES + curatedIds.length);
  expect(new Set(ids)).toEqual(new Set([...importedIds, ...curatedIds]));
  expect(card.cases.filter((c) => c.status === 'error').map((c) => c.id)).toEqual([]);
  const statuses: Record<string, number> = {};
  for (const c of card.cases) statuses[c.status] = (statuses[c.status] ?? 0) + 1;
  // The curated cases answer as the baseline's model did, so each passes; the imported ones have no
  // baseline, so each is new; nothing regressed or errored, so the traffic run passes.
  expect(card.verdict).toBe('pass');
  expect(statuses).toEqual({ pass: curatedIds.length, new: TRAFFIC_TRACES });
  expect(card.cases.filter((c) => c.status === 'new').every((c) => c.id.startsWith('trace-'))).toBe(true);
  console.log(JSON.stringify({ verdict: card.verdict, statuses, perShard }));

  // The same cases unsharded: 100,000 would double the test's time, so a subset, in the merge job's
  // checkout and install: the curated cases and the first import file (its rubric pointed at them).
  // Each of those cases must come out of the shards and the merge as it comes out of one run.
  const cwd = merged.value.cwd;
  const rubric = parseDocument(await readFile(path.join(cwd, 'rubric.yaml'), 'utf8'));
  const first = (await readdir(caseDir)).sort()[0]!;
  rubric.setIn(['subjects', 'drafter', 'cases'], ['eval/cases.yaml', `eval/cases/traffic/${first}`]);
  await writeFile(path.join(cwd, 'rubric.yaml'), String(rubric));
  const single = await measured(() =>
    runJob(
      {
        'runs-on': 'ubuntu-latest',
        steps: [
          {
            run: 'npx vitest run --project eval',
            env: shardJob.steps.find((s) => s.env?.['QUALIFY_CACHE'])!.env!,
          },
        ],
      },
      { cwd, env: env(cwd, 'unsharded'), contexts: { ...contexts, needs }, uses: uses(cwd) },
    ),
  );
  phase('unsharded run of the subset', single);
  expect(
    single.value.map((o) => o.code),
    report(single.value),
  ).toEqual([0]);
  const unsharded = JSON.parse(
    await readFile(path.join(cwd, 'eval/out/scorecard.json'), 'utf8'),
  ) as Scorecard;
  const subset = new Set(unsharded.cases.map((c) => c.id));
  expect(subset.size).toBe(curatedIds.length + MAX_PER_FILE);
  // Token counts are compared apart: on some curated cases they differ between the two runs (same
  // calls, same scores), which is reported, not hidden: the list must stay as short as it is.
  const casesOf = (c: Scorecard) =>
    (stable(c) as Scorecard).cases
      .filter((x) => subset.has(x.id))
      .map(({ usage, ...rest }) => ({ ...rest, calls: usage.calls }));
  expect(casesOf(card)).toEqual(casesOf(unsharded));
  const usageOf = new Map(unsharded.cases.map((c) => [c.id, c.usage]));
  const tokensDiffer = card.cases
    .filter((c) => subset.has(c.id))
    .filter((c) => {
      const other = usageOf.get(c.id)!;
      return c.usage.input_tokens !== other.input_tokens || c.usage.output_tokens !== other.output_tokens;
    })
    .map(
      (c) =>
        `${c.id}: ${c.usage.input_tokens}/${c.usage.output_tokens} sharded, ${usageOf.get(c.id)!.input_tokens}/${usageOf.get(c.id)!.output_tokens} unsharded`,
    );
  console.log(
    `traffic workflow: tokens differ between sharded and unsharded on ${tokensDiffer.length} cases: ${tokensDiffer.join('; ')}`,
  );
  console.log(JSON.stringify({ phases }));
}, 1_800_000);
