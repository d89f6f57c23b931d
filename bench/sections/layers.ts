/**
 * Per-call cost by layer: one chat call at a time, in a child process (so the
 * fake provider's CPU is not counted), through raw `node:http`, the global
 * `fetch`, the OpenAI SDK on each transport, and the model client. Shows where
 * the per-call CPU of section 2 comes from.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { REPO } from '../fixture.js';
import { progress } from '../measure.js';
import type { Plan } from '../plan.js';
import type { Section } from '../report.js';
import { startWorld } from '../world.js';

const TSX = path.join(REPO, 'node_modules/tsx/dist/loader.mjs');
const CHILD = path.join(REPO, 'bench/layers-child.ts');

/**
 * Run the per-layer measurement.
 *
 * @example
 * const section = await layersSection(FULL_PLAN)
 */
export async function layersSection(plan: Plan): Promise<Section> {
  const calls = plan.mode === 'smoke' ? 20 : 500;
  await using world = await startWorld(0);
  progress(`layers: ${plan.runs} rounds of ${calls} calls per layer`);
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(
      process.execPath,
      [
        '--import',
        TSX,
        CHILD,
        world.fake.openaiBaseURL,
        String(calls),
        String(plan.runs),
        ...(plan.source?.kind === 'src' ? [plan.source.dir] : []),
      ],
      { cwd: REPO, maxBuffer: 16 * 1024 * 1024 },
      (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out)),
    );
  });
  const results = JSON.parse(stdout) as Record<string, { cpuMs: number[]; wallMs: number[] }>;
  return {
    title: 'Per-call cost by layer',
    setup:
      `One chat call at a time to the fake provider (0 ms), ${calls} calls per layer per round, ${plan.runs} ` +
      "interleaved rounds, in a child process: CPU is the caller's only (the fake provider is measured apart). " +
      'Each layer includes the ones above it in the table where it builds on them.',
    figures: Object.entries(results).flatMap(([name, r]) => [
      { name: `${name}: CPU per call`, unit: 'ms', values: r.cpuMs, digits: 3 },
      { name: `${name}: wall per call`, unit: 'ms', values: r.wallMs, digits: 3 },
    ]),
    notes: [],
  };
}
