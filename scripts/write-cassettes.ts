/**
 * Writes the example's cassettes by hand, from the scripted world in
 * scripts/cassette-world/, because no provider is reachable where this
 * repository is built. Then produces eval/baseline.json from a replay run of
 * the current primary, and checks that the candidate's replay runs offline.
 *
 *   npx tsx scripts/write-cassettes.ts
 *
 * Steps: start the fake provider answering as the world says; for each model,
 * `vitest run --project eval` with QUALIFY_CACHE=record and QUALIFY_MODEL set;
 * mark every cassette `"source":"hand-written"`; replay the current primary with
 * no keys and base URLs that lead nowhere, and keep its scorecard as the baseline;
 * replay the candidate the same way and print its verdict.
 * With real keys, `QUALIFY_CACHE=record npm run eval` records real cassettes instead.
 */
import { spawn } from 'node:child_process';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { loadProject } from '../src/config/load.js';
import type { Scorecard } from '../src/scorecard/types.js';
import { startFakeProvider } from '../test/fake-provider/index.js';
import { checkWorld } from './cassette-world/check.js';
import { HAND_WRITTEN } from './cassette-world/header.js';
import { worldResponder, type WorldState } from './cassette-world/responder.js';
import { MODEL_NAMES, MODELS, loadWorld } from './cassette-world/world.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CASSETTES = path.join(ROOT, 'eval/cassettes');
const SCORECARD = path.join(ROOT, 'eval/out/scorecard.json');
const BASELINE = path.join(ROOT, 'eval/baseline.json');
/** Base URLs that lead nowhere: a request that escapes the cassettes fails its case. */
const NOWHERE = 'http://127.0.0.1:9';

/** The environment of one eval run: this process's, minus anything that would change the run. */
function runEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(QUALIFY_|GITHUB_|OPENAI_|ANTHROPIC_|AZURE_OPENAI_)/.test(name)) continue;
    env[name] = value;
  }
  return { ...env, ...extra };
}

/** `vitest run --project eval`; resolves with the exit code and the scorecard it wrote. */
async function runEval(env: NodeJS.ProcessEnv): Promise<{ code: number; card: Scorecard }> {
  await rm(SCORECARD, { force: true });
  const vitest = path.join(ROOT, 'node_modules/vitest/vitest.mjs');
  const child = spawn(process.execPath, [vitest, 'run', '--project', 'eval'], {
    cwd: ROOT,
    env,
    stdio: 'inherit',
  });
  const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
  const card = JSON.parse(await readFile(SCORECARD, 'utf8')) as Scorecard;
  return { code, card };
}

function assertNoErrors(card: Scorecard, what: string): void {
  const errored = card.cases.filter((c) => c.error);
  if (errored.length > 0) {
    const lines = errored.map((c) => `  ${c.id}: ${c.error?.message}`).join('\n');
    throw new Error(`${what}: ${errored.length} cases errored:\n${lines}`);
  }
}

async function cassetteFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.jsonl'))
    .map((e) => path.join(e.parentPath, e.name));
}

/** Replace line 1 of each cassette with `HAND_WRITTEN`. */
async function markHandWritten(files: readonly string[]): Promise<void> {
  for (const file of files) {
    const lines = (await readFile(file, 'utf8')).split('\n');
    lines[0] = JSON.stringify(HAND_WRITTEN);
    await writeFile(file, lines.join('\n'));
  }
}

async function main(): Promise<void> {
  const project = await loadProject({ cwd: ROOT });
  const world = await loadWorld();
  const problems = checkWorld(world, project.cases);
  if (problems.length > 0) throw new Error(`the world does not fit the cases:\n  ${problems.join('\n  ')}`);

  await rm(CASSETTES, { recursive: true, force: true });
  await rm(BASELINE, { force: true });
  const state: WorldState = { model: MODEL_NAMES[0]! };
  const fake = await startFakeProvider({ fallback: worldResponder(world, project.cases, state) });
  try {
    for (const model of MODEL_NAMES) {
      state.model = model;
      console.log(`\n== recording ${MODELS[model]} from the world ==`);
      const { card } = await runEval(
        runEnv({
          QUALIFY_CACHE: 'record',
          QUALIFY_MODEL: MODELS[model],
          ANTHROPIC_BASE_URL: fake.anthropicBaseURL,
          OPENAI_BASE_URL: fake.openaiBaseURL,
          ANTHROPIC_API_KEY: 'sk-ant-hand-written',
          OPENAI_API_KEY: 'sk-hand-written',
        }),
      );
      assertNoErrors(card, `recording ${MODELS[model]}`);
    }
  } finally {
    await fake.close();
  }
  const files = await cassetteFiles(CASSETTES);
  await markHandWritten(files);
  console.log(`\nmarked ${files.length} cassettes hand-written`);

  const offline = { QUALIFY_CACHE: 'replay', ANTHROPIC_BASE_URL: NOWHERE, OPENAI_BASE_URL: NOWHERE };
  console.log(`\n== replaying ${MODELS[MODEL_NAMES[0]!]} for the baseline ==`);
  const primary = await runEval(runEnv(offline));
  assertNoErrors(primary.card, 'the baseline replay');
  if (primary.code !== 0 || primary.card.verdict !== 'pass') {
    throw new Error(`the baseline replay says ${primary.card.verdict} (exit ${primary.code}); fix the world`);
  }
  const text = JSON.stringify(primary.card, null, 2);
  await writeFile(
    BASELINE,
    await prettier.format(text, { ...(await prettier.resolveConfig(BASELINE)), filepath: BASELINE }),
  );
  console.log(`wrote ${path.relative(ROOT, BASELINE)}`);

  console.log(`\n== replaying the candidate ${MODELS[MODEL_NAMES[1]!]} against it ==`);
  const candidate = await runEval(
    runEnv({ ...offline, QUALIFY_CACHE: 'auto', QUALIFY_MODEL: MODELS[MODEL_NAMES[1]!] }),
  );
  assertNoErrors(candidate.card, 'the candidate replay');
  const counts = candidate.card.cases.reduce<Record<string, number>>(
    (acc, c) => ({ ...acc, [c.status]: (acc[c.status] ?? 0) + 1 }),
    {},
  );
  console.log(
    `candidate verdict ${candidate.card.verdict} (exit ${candidate.code}): ${JSON.stringify(counts)}`,
  );
}

await main();
