/**
 * Where the CPU goes: the 0 ms full-scoring run once more under `--cpu-prof`
 * (main process and worker), each profile summarised by self time per package
 * or source folder and per function.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { benchProject, workloadFiles } from '../fixture.js';
import { measuredRun, progress } from '../measure.js';
import type { Plan } from '../plan.js';
import { summarizeProfile, type CpuProfile, type ProfileRow } from '../profile.js';
import type { Section } from '../report.js';
import { startWorld } from '../world.js';
import { fullScoring } from './latency.js';

/**
 * Run the profiled pass and summarise it.
 *
 * @example
 * const section = await profileSection(FULL_PLAN)
 */
export async function profileSection(plan: Plan): Promise<Section> {
  const dir = await mkdtemp(path.join(tmpdir(), 'qualify-prof-'));
  try {
    await using world = await startWorld(0);
    await using project = await benchProject(workloadFiles(fullScoring(plan.overhead.cases)), plan.source);
    const args = ['--cpu-prof', `--cpu-prof-dir=${dir}`];
    progress('profile: one run under --cpu-prof');
    const run = await measuredRun(
      project,
      world,
      ['run', '--project', 'eval'],
      {
        ...world.env(),
        BENCH_WORKER_ARGS: JSON.stringify(args),
      },
      { nodeArgs: args },
    );
    const mainPid = run.cost.marks[0]?.processes[0]?.pid;
    const notes: string[] = [];
    for (const file of (await readdir(dir)).filter((f) => f.endsWith('.cpuprofile')).sort()) {
      const pid = Number(/\.(\d+)\.\d+\.\d+\.cpuprofile$/.exec(file)?.[1]);
      const summary = summarizeProfile(
        JSON.parse(await readFile(path.join(dir, file), 'utf8')) as CpuProfile,
        12,
      );
      const who = pid === mainPid ? 'Main process' : 'Worker';
      notes.push(
        `${who} (pid ${pid}): ${(summary.totalMs / 1000).toFixed(2)} s of samples (idle excluded).`,
        table('self time by package or source folder', summary.buckets),
        table('self time by function', summary.functions),
      );
    }
    return {
      title: 'Where the CPU goes (profile)',
      setup:
        `The ${plan.overhead.cases}-case run of section 2 once under \`node --cpu-prof\` (main process and the worker ` +
        'through `test.execArgv`). Self time: the function on top of the stack; `node:internal` is mostly ' +
        "undici's `fetch` (the SDKs' transport) and module loading.",
      figures: [],
      notes,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function table(title: string, rows: readonly ProfileRow[]): string {
  const lines = [`| ${title} | ms | share |`, '| --- | ---: | ---: |'];
  for (const r of rows)
    lines.push(
      `| \`${r.name.replace(/\|/g, '\\|')}\` | ${r.ms.toFixed(0)} | ${(r.share * 100).toFixed(1)}% |`,
    );
  return lines.join('\n');
}
