/**
 * `npm run bench`: measures a qualification run against the fake provider on
 * loopback (issue 8) and writes bench/RESULTS.md.
 *
 *   tsx bench/run.ts                      # everything, 5 runs per figure (about an hour on 2 cores)
 *   tsx bench/run.ts --only latency,tokens
 *   tsx bench/run.ts --smoke --out /tmp/RESULTS.md   # tiny sizes, one run (the unit test)
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { REPO } from './fixture.js';
import { installBuild, type Installed } from './install.js';
import { progress } from './measure.js';
import { parseBenchArgs, type SectionName } from './plan.js';
import { renderResults, type RunInfo, type Section } from './report.js';
import { floorSection } from './sections/floor.js';
import { latencySection } from './sections/latency.js';
import { layersSection } from './sections/layers.js';
import { confirmSection } from './sections/confirm.js';
import { noiseSection } from './sections/noise.js';
import { overheadSection } from './sections/overhead.js';
import { profileSection } from './sections/profile.js';
import { scaleSection, type ScaleResult } from './sections/scale.js';
import { shardSection } from './sections/shard.js';
import { tokenSection } from './sections/tokens.js';
import { warmSection } from './sections/warm.js';

/** CPU ms of a fixed loop: lets a reader scale the figures to their machine. */
function calibrate(): number {
  const before = process.cpuUsage();
  let x = 0;
  for (let i = 0; i < 1e8; i++) x += i % 7;
  if (x < 0) throw new Error('unreachable');
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

function machine(
  mode: 'full' | 'smoke',
): Omit<RunInfo, 'load' | 'totalMinutes' | 'plugin'> & { load: number } {
  const git = (...args: string[]) => {
    try {
      return execFileSync('git', args, { cwd: REPO, encoding: 'utf8' }).trim();
    } catch {
      return 'unknown';
    }
  };
  const dirty = git('status', '--porcelain', '--', 'src').length > 0 ? ' (src/ has uncommitted changes)' : '';
  const vitest = JSON.parse(readFileSync(path.join(REPO, 'node_modules/vitest/package.json'), 'utf8')) as {
    version: string;
  };
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    mode,
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.cpus().length,
    memoryGb: os.totalmem() / 1024 ** 3,
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    vitest: vitest.version,
    commit: `${git('rev-parse', '--short', 'HEAD')}${dirty}`,
    load: os.loadavg()[0] ?? 0,
    calibrationMs: calibrate(),
  };
}

async function main(): Promise<void> {
  const args = parseBenchArgs(process.argv.slice(2), path.join(REPO, 'bench/RESULTS.md'));
  let installed: Installed | undefined;
  if (!args.plan.source) {
    progress('building the package and installing it in a temporary node_modules');
    installed = await installBuild();
  }
  await using _installed = installed;
  const plan = installed ? { ...args.plan, source: installed.source } : args.plan;
  const plugin =
    plan.source?.kind === 'src'
      ? `its TypeScript sources in ${path.relative(REPO, plan.source.dir) || '.'}/, transformed by Vite (as the e2e tests load it)`
      : 'the package built from src/ with tsc and installed under node_modules (as users run it)';
  const wants = (name: SectionName) => args.only.includes(name);
  const started = performance.now();
  const info = { ...machine(plan.mode), plugin };
  progress(`${plan.mode} run, ${plan.runs} run(s) per figure, sections: ${args.only.join(', ')}`);
  const sections: Section[] = [];
  /** Run a part of the benchmark; its sections say what the machine's load was meanwhile. */
  const part = async (run: () => Promise<Section[]>): Promise<void> => {
    const before = os.loadavg()[0] ?? 0;
    const made = await run();
    const note = `Load average (1 min) when this part started and ended: ${before.toFixed(2)} / ${(os.loadavg()[0] ?? 0).toFixed(2)} (${info.cores} cores).`;
    for (const section of made) sections.push({ ...section, notes: [...section.notes, note] });
  };

  if (wants('latency') || wants('tokens')) {
    await part(async () => {
      const latency = await latencySection(plan);
      return [
        ...(wants('latency') ? [latency.section] : []),
        ...(wants('tokens') ? [tokenSection(latency.runs, plan.latency.cases)] : []),
      ];
    });
  }
  if (wants('overhead')) await part(async () => [(await overheadSection(plan)).section]);
  if (wants('scale') || wants('shard')) {
    let made: ScaleResult | undefined;
    await part(async () => {
      made = await scaleSection(plan, { largestOnly: !wants('scale') });
      return wants('scale') ? [made.section] : [];
    });
    const scale = made!;
    await using _largest = scale.largest;
    const unsharded = scale.largestRuns[0]?.card;
    if (wants('shard')) {
      if (!unsharded) throw new Error('shard: the unsharded run wrote no scorecard');
      await part(async () => [await shardSection(plan, scale.largest, unsharded)]);
    }
  }
  if (wants('warm')) await part(async () => [await warmSection(plan)]);
  if (wants('layers')) await part(async () => [await layersSection(plan)]);
  if (wants('floor')) await part(async () => [await floorSection(plan)]);
  if (wants('profile') && plan.profile) await part(async () => [await profileSection(plan)]);
  if (wants('noise')) await part(async () => [await noiseSection(plan)]);
  if (wants('confirm')) await part(async () => [await confirmSection(plan)]);

  const order = ['1.', '2.', '3.', '4.', '5.', '6.', '7.', '8.', 'Per-call', 'Reference', 'Where'];
  sections.sort(
    (a, b) => order.findIndex((p) => a.title.startsWith(p)) - order.findIndex((p) => b.title.startsWith(p)),
  );
  const findings =
    plan.mode === 'full'
      ? await readFile(path.join(REPO, 'bench/FINDINGS.md'), 'utf8').catch(() => undefined)
      : undefined;
  const markdown = renderResults({
    info: {
      ...info,
      load: { before: info.load, after: os.loadavg()[0] ?? 0 },
      totalMinutes: (performance.now() - started) / 60_000,
    },
    sections,
    findings,
  });
  await writeFile(args.out, markdown);
  progress(`wrote ${path.relative(process.cwd(), args.out) || args.out}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
