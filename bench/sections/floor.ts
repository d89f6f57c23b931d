/**
 * The floor: plain Vitest, no plugin, with the pool settings the plugin uses
 * (one forked worker, not isolated, 32 concurrent tests), running trivial
 * concurrent tests laid out like the workloads (one file of the latency
 * section's size; the largest scale size in files of 500). What Vitest itself
 * costs on this machine, before any case is loaded, called or scored.
 */
import path from 'node:path';
import { benchProject, REPO } from '../fixture.js';
import { MB, progress } from '../measure.js';
import type { Plan } from '../plan.js';
import type { Figure, Section } from '../report.js';
import { measureVitest, runWindow, type ProcessCost } from '../vitest-run.js';

/**
 * The files of a plain Vitest project with `cases` trivial tests, `perFile` per file.
 *
 * @example
 * Object.keys(floorFiles(1000, 500)) // ['floor/part-0001.test.ts', 'floor/part-0002.test.ts']
 */
export function floorFiles(cases: number, perFile: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let p = 0; p * perFile < cases; p++) {
    const count = Math.min(perFile, cases - p * perFile);
    files[`floor/part-${String(p + 1).padStart(4, '0')}.test.ts`] =
      `import { expect, test } from 'vitest';\n` +
      `for (let i = 0; i < ${count}; i++) {\n` +
      `  test.concurrent(\`case-\${i}\`, async ({ task }) => {\n` +
      `    task.meta.result = { id: i, score: 0.9 };\n` +
      `    expect(i).toBeGreaterThanOrEqual(0);\n` +
      `  });\n` +
      `}\n`;
  }
  return files;
}

function floorConfig(): string {
  return `import { defineConfig } from 'vitest/config';
import { ProbeReporter } from ${JSON.stringify(path.join(REPO, 'bench/probe-reporter.ts'))};

export default defineConfig({
  test: {
    reporters: ['default', new ProbeReporter()],
    include: ['floor/*.test.ts'],
    pool: 'forks',
    maxWorkers: 1,
    isolate: false,
    maxConcurrency: 32,
  },
});
`;
}

/**
 * Run the floor measurement.
 *
 * @example
 * const section = await floorSection(FULL_PLAN)
 */
export async function floorSection(plan: Plan): Promise<Section> {
  const top = Math.max(...plan.scale.sizes);
  const sizes = [plan.latency.cases, top];
  const figures: Figure[] = [];
  for (const cases of sizes) {
    const perFile = cases === plan.latency.cases ? cases : plan.scale.perFile;
    await using project = await benchProject(floorFiles(cases, perFile), plan.source);
    await project.write('vitest.config.ts', floorConfig());
    const runs: ProcessCost[] = [];
    // The largest size is repeated as often as the scale section repeats it.
    const repeats = cases === top ? Math.min(plan.runs, plan.scale.largestRuns) : plan.runs;
    for (let i = 0; i < repeats; i++) {
      progress(`floor: plain Vitest, ${cases} trivial tests, run ${i + 1}/${repeats}`);
      const cost = await measureVitest(project.dir, ['run'], {});
      if (cost.code !== 0)
        throw new Error(`floor: vitest exited with ${cost.code}:\n${cost.stdout.slice(-2000)}`);
      runs.push(cost);
    }
    const n = cases.toLocaleString('en-US');
    figures.push(
      {
        name: `${n} trivial tests: whole \`vitest run\` process`,
        unit: 's',
        values: runs.map((r) => r.wallMs / 1000),
      },
      {
        name: `${n} trivial tests: test run (onTestRunStart to onTestRunEnd)`,
        unit: 's',
        values: runs.map((r) => (runWindow(r.marks)?.wallMs ?? Number.NaN) / 1000),
      },
      {
        name: `${n} trivial tests: CPU of the process tree`,
        unit: 's',
        values: runs.map((r) => r.cpuMs / 1000),
      },
      {
        name: `${n} trivial tests: peak RSS of the process tree`,
        unit: 'MB',
        values: runs.map((r) => r.peakRssBytes / MB),
        digits: 0,
      },
    );
  }
  return {
    title: 'Reference: plain Vitest',
    setup:
      'Plain Vitest, no plugin, with the pool settings the plugin uses (one forked worker, not isolated, 32 ' +
      'concurrent tests): trivial concurrent tests that set `task.meta` and make one assertion, laid out like ' +
      `the workloads (${sizes[0]} in one file; ${sizes[1]!.toLocaleString('en-US')} in files of ` +
      `${plan.scale.perFile}). What Vitest itself costs here before any case is loaded, called or scored.`,
    figures,
    notes: [],
  };
}
