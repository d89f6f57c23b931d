/**
 * One scale run with the resident memory of each process of the tree over time (main process and
 * worker apart), for finding what holds memory (bench/FINDINGS.md). Not part of `npm run bench`.
 *
 * @example
 * npx tsx bench/memory-probe.ts --cases 10000 [--src DIR] [--node-arg=--heap-prof] [--keep]
 */
import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Scorecard } from '../src/scorecard/types.js';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { benchProject, REPO, workloadFiles, type PluginSource } from './fixture.js';
import { installBuild } from './install.js';
import { treeOf } from './proc-tree.js';
import { scaleSpec } from './sections/scale.js';
import { startWorld } from './world.js';

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '10000' },
    'per-file': { type: 'string', default: '500' },
    src: { type: 'string' },
    'node-arg': { type: 'string', multiple: true, default: [] },
    'worker-arg': { type: 'string', multiple: true, default: [] },
    keep: { type: 'boolean', default: false },
    // An existing project (a kept one) instead of a new one.
    dir: { type: 'string' },
    // Where the main process's stdout goes (e.g. its --trace-gc lines); default nowhere.
    stdout: { type: 'string' },
    args: { type: 'string', default: '' },
    // Seconds after the start at which every process of the tree gets SIGUSR2 (with --heapsnapshot-signal).
    'signal-at': { type: 'string', multiple: true, default: [] },
  },
});
const cases = Number(values.cases);
// The installed build, as users run it, unless --src names a folder of sources.
await using installed = values.src || values.dir ? undefined : await installBuild();
const source: PluginSource | undefined = values.src
  ? { kind: 'src', dir: path.resolve(values.src) }
  : installed?.source;
const project = values.dir
  ? {
      dir: values.dir,
      scorecard: () =>
        readFile(path.join(values.dir!, 'eval/out/scorecard.json'), 'utf8').then(
          (t) => JSON.parse(t) as Scorecard,
        ),
    }
  : await benchProject(workloadFiles(scaleSpec('checks', cases, Number(values['per-file']))), source!);
await using world = await startWorld(0);
const started = performance.now();
const extra = values.args ? values.args.split(' ') : [];
const child = spawn(
  process.execPath,
  [
    ...values['node-arg'],
    path.join(REPO, 'node_modules/vitest/vitest.mjs'),
    'run',
    '--project',
    'eval',
    ...extra,
  ],
  {
    cwd: project.dir,
    env: {
      ...process.env,
      ...world.env(),
      CI: 'true',
      NO_COLOR: '1',
      BENCH_WORKER_ARGS: JSON.stringify(values['worker-arg']),
    },
    stdio: ['ignore', values.stdout ? openSync(values.stdout, 'w') : 'ignore', 'pipe'],
  },
);
let stderr = '';
child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
const peaks = new Map<number, number>();
const cpu = new Map<number, number>();
let peakTree = 0;
let lastPrint = 0;
const signals = values['signal-at'].map(Number).sort((a, b) => a - b);
const timer = setInterval(() => {
  if (child.pid === undefined || child.exitCode !== null) return;
  const tree = treeOf(child.pid);
  let sum = 0;
  for (const p of tree) {
    peaks.set(p.pid, Math.max(peaks.get(p.pid) ?? 0, p.rssBytes));
    cpu.set(p.pid, p.ownCpuMs);
    sum += p.rssBytes;
  }
  peakTree = Math.max(peakTree, sum);
  const t = performance.now() - started;
  while (signals.length > 0 && t >= signals[0]! * 1000) {
    signals.shift();
    // The main process only when it was given the flag: without a handler the signal ends it.
    const mainToo = values['node-arg'].some((a) => a.startsWith('--heapsnapshot-signal'));
    for (const p of tree) if (mainToo || p.pid !== child.pid) process.kill(p.pid, 'SIGUSR2');
    process.stdout.write(`signalled ${tree.map((p) => p.pid).join(' ')} at ${(t / 1000).toFixed(1)}s\n`);
  }
  if (t - lastPrint >= 1000) {
    lastPrint = t;
    const each = tree.map((p) => `${p.pid}:${(p.rssBytes / 2 ** 20).toFixed(0)}`).join(' ');
    process.stdout.write(`${(t / 1000).toFixed(1)}s tree ${(sum / 2 ** 20).toFixed(0)} MB  [${each}]\n`);
  }
}, 50);
const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
clearInterval(timer);
const wall = performance.now() - started;
const card = await project.scorecard().catch(() => undefined);
console.log(
  `exit ${code}, wall ${(wall / 1000).toFixed(2)} s, peak tree ${(peakTree / 2 ** 20).toFixed(0)} MB, ` +
    `per process ${[...peaks].map(([pid, rss]) => `${pid}:${(rss / 2 ** 20).toFixed(0)}`).join(' ')}, ` +
    `cpu (last sample) ${[...cpu].map(([pid, ms]) => `${pid}:${(ms / 1000).toFixed(2)}s`).join(' ')}, ` +
    `scorecard cases ${card?.cases.length}`,
);
if (code !== 0) console.log(stderr.slice(-2000));
if (values.keep) console.log(`kept ${project.dir}`);
else if (!values.dir) await (project as AsyncDisposable)[Symbol.asyncDispose]();
