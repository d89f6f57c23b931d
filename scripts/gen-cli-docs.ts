/**
 * Write docs/cli.md, the command-line reference, from the command table in
 * src/cli/commands.ts. Run with `npx tsx scripts/gen-cli-docs.ts` after changing
 * a command; a unit test fails when the committed file drifts from the table.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { COMMANDS } from '../src/cli/commands.js';
import { REFERENCE_FILE, renderReference } from '../src/cli/reference.js';

const file = fileURLToPath(new URL(`../${REFERENCE_FILE}`, import.meta.url));
await writeFile(file, renderReference(COMMANDS));
console.log(`wrote ${REFERENCE_FILE}`);
