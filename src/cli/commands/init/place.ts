/** Placing the leave-behind: each file written, skipped or left to the user, and why. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { VITEST_CONFIG_FILE, VITEST_CONFIG_NAMES } from './files.js';
import { addEvalScript, REQUIRED_PACKAGES } from './package-json.js';
import { packageVersion } from '../../version.js';
import { VITEST_CONFIG_TEMPLATE } from '../../templates/vitest-config.js';

/** What init did with one file. */
export interface InitFileResult {
  path: string;
  action: 'written' | 'overwritten' | 'skipped' | 'snippet';
  reason?: string | undefined;
}

export async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Write `content` to `file` unless it is there already (then only with `force`, and only if it differs). */
export async function place(
  root: string,
  relative: string,
  content: string,
  force: boolean,
): Promise<InitFileResult> {
  const file = path.join(root, relative);
  const existing = await readOptional(file);
  if (existing === content) return { path: relative, action: 'skipped', reason: 'already up to date' };
  if (existing !== undefined && !force) {
    return { path: relative, action: 'skipped', reason: 'exists; --force overwrites it' };
  }
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, content);
  return { path: relative, action: existing === undefined ? 'written' : 'overwritten' };
}

export async function placeVitestConfig(root: string): Promise<InitFileResult> {
  for (const name of VITEST_CONFIG_NAMES) {
    const text = await readOptional(path.join(root, name));
    if (text === undefined) continue;
    if (/\bqualify\(/.test(text))
      return { path: name, action: 'skipped', reason: 'already has the eval project' };
    return {
      path: name,
      action: 'snippet',
      reason: 'exists and is yours: add the eval project printed below',
    };
  }
  // The template is ESM: in a package that is not `"type": "module"` (what `npm init -y` writes), a
  // `.ts` config is loaded as CommonJS and Vite warns; `.mts` is ESM whatever package.json says. A
  // package.json that init writes itself is `"type": "module"`.
  const manifest = await readOptional(path.join(root, 'package.json'));
  const esm = manifest === undefined || /"type"\s*:\s*"module"/.test(manifest);
  return place(
    root,
    esm ? VITEST_CONFIG_FILE : VITEST_CONFIG_FILE.replace(/\.ts$/, '.mts'),
    VITEST_CONFIG_TEMPLATE,
    false,
  );
}

export async function placePackageJson(root: string, force: boolean): Promise<InitFileResult> {
  const file = path.join(root, 'package.json');
  const text = await readOptional(file);
  const edit = addEvalScript(text, { folder: path.basename(root), force, version: await packageVersion() });
  if (edit.action === 'unchanged')
    return { path: 'package.json', action: 'skipped', reason: 'already has scripts.eval' };
  if (edit.action === 'conflict') {
    return {
      path: 'package.json',
      action: 'skipped',
      reason: `scripts.eval is ${JSON.stringify(edit.existing)}; --force replaces it with the eval project run`,
    };
  }
  await writeFile(file, edit.text);
  return {
    path: 'package.json',
    action: edit.action === 'create' ? 'written' : 'overwritten',
    reason: 'scripts.eval',
  };
}

const IGNORED = 'eval/out/';

/** Make git ignore the scorecards a run writes (CI output, never committed). */
export async function placeGitignore(root: string): Promise<InitFileResult> {
  const file = path.join(root, '.gitignore');
  const text = await readOptional(file);
  const ignored = (text ?? '').split(/\r?\n/).some((line) => /^\/?eval\/out\/?$/.test(line.trim()));
  if (ignored) return { path: '.gitignore', action: 'skipped', reason: `already ignores ${IGNORED}` };
  const separator = text === undefined || text === '' || text.endsWith('\n') ? '' : '\n';
  await writeFile(file, `${text ?? ''}${separator}# vitest-qualify: scorecards are CI output\n${IGNORED}\n`);
  return { path: '.gitignore', action: text === undefined ? 'written' : 'overwritten', reason: IGNORED };
}

/** The required packages Node resolves from the repository root (its node_modules or a parent's). */
export function installedPackages(root: string): string[] {
  const require = createRequire(path.join(root, 'package.json'));
  return REQUIRED_PACKAGES.filter((name) => {
    try {
      require.resolve(`${name}/package.json`);
      return true;
    } catch {
      return false;
    }
  });
}
