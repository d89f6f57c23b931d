// The Vitest 5 leg's package.json: the repository's, with the devDependencies
// below pinned exactly. Its lock, scripts/vitest5/package-lock.json, pins every
// transitive version, so a new Vitest (or Vite) release cannot change what CI
// installs. `bash scripts/lock-vitest5.sh` writes the lock again after a
// dependency change; `bash scripts/check-vitest-latest.sh` tries the newest 5.x.
import { readFileSync, writeFileSync } from 'node:fs';
import process from 'node:process';

/** The versions the Vitest 5 leg runs on. */
export const PINNED = { vitest: '5.1.2', '@types/node': '22.20.7' };

const [file, ...overrides] = process.argv.slice(2);
if (!file) throw new Error('usage: node scripts/vitest5/pin.mjs <package.json> [name=version ...]');
const pins = { ...PINNED, ...Object.fromEntries(overrides.map((o) => o.split(/=(.*)/s).slice(0, 2))) };
const pkg = JSON.parse(readFileSync(file, 'utf8'));
for (const [name, version] of Object.entries(pins)) pkg.devDependencies[name] = version;
writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
