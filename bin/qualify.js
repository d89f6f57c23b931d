#!/usr/bin/env node
// The `qualify` command: the one place that touches `process`. Everything else is
// `runCli(argv, io)` in dist/cli/main.js, built by `npm run build` (run by `npm pack` and `npm publish`
// via `prepack`; in a clone of this repository, run it yourself after `npm ci`).
import process from 'node:process';
import { createInterface } from 'node:readline/promises';

/** Ask one question on the terminal; prompts go to stderr so stdout stays the command's output. */
async function ask(question) {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}

let cli;
try {
  cli = await import('../dist/cli/main.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist/cli/main.js'))
    throw error;
  process.stderr.write('qualify: dist/ is missing: build the package first (npm run build)\n');
  process.exitCode = 2;
}

if (cli) {
  process.exitCode = await cli.runCli(process.argv.slice(2), {
    cwd: process.cwd(),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    fetch: globalThis.fetch,
    now: () => new Date(),
    isTTY: process.stdin.isTTY === true,
    ask,
  });
}
