/**
 * What the workflow tests share about the machine a job runs on: the environment a runner gives a
 * step (this machine's PATH and HOME, a warm npm cache and no registry), and the cleanup of what
 * `npx qualify` leaves in npm's npx cache.
 */
import { readdir, readlink, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';

/**
 * The base of a runner's environment: the machine's PATH, HOME, LANG, TMPDIR and npm cache, `CI` and
 * `GITHUB_ACTIONS`, and npm set to install from its cache only (a runner with a warm cache).
 *
 * @example
 * const env = { ...machineEnv(), GITHUB_WORKFLOW: 'watch' }
 */
export function machineEnv(): NodeJS.ProcessEnv {
  const keep = ['PATH', 'HOME', 'LANG', 'TMPDIR', 'npm_config_cache'];
  return {
    ...Object.fromEntries(keep.filter((k) => process.env[k]).map((k) => [k, process.env[k]])),
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    npm_config_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
}

/**
 * `npx qualify` in the package's own repository installs it into npm's npx cache; remove the entries
 * that link into `root`.
 *
 * @example
 * afterAll(() => removeNpxEntries(dir))
 */
export async function removeNpxEntries(root: string): Promise<void> {
  const npx = path.join(process.env['npm_config_cache'] ?? path.join(homedir(), '.npm'), '_npx');
  for (const entry of await readdir(npx).catch(() => [] as string[])) {
    const link = await readlink(path.join(npx, entry, 'node_modules', 'vitest-qualify')).catch(() => '');
    if (link && path.resolve(npx, entry, 'node_modules', link).startsWith(root)) {
      await rm(path.join(npx, entry), { recursive: true, force: true });
    }
  }
}
