import { ConfigError } from '../../../errors.js';

/** The script `qualify init` adds. */
export const EVAL_SCRIPT = 'vitest run --project eval';

/** What adding the script does to package.json. */
export type PackageJsonEdit =
  | { action: 'create' | 'update'; text: string }
  | { action: 'unchanged' }
  | { action: 'conflict'; existing: string };

/**
 * package.json with `"eval": "vitest run --project eval"` in `scripts`, other
 * keys and their order kept, indented as the file was (tabs or N spaces). A
 * different `eval` script is a conflict unless `force`. Without a file, a new
 * private ESM package named after the folder. Pure: text in, text out.
 *
 * @example
 * addEvalScript('{\n  "name": "agent"\n}\n', { folder: 'agent', force: false })
 * // { action: 'update', text: '{\n  "name": "agent",\n  "scripts": {\n    "eval": "vitest run --project eval"\n  }\n}\n' }
 */
export function addEvalScript(
  text: string | undefined,
  options: { folder: string; force: boolean; version: string },
): PackageJsonEdit {
  if (text === undefined) {
    const name =
      options.folder
        .toLowerCase()
        .replace(/[^a-z0-9._-]+/g, '-')
        .replace(/^[._-]+/, '') || 'agent';
    const created = {
      name,
      private: true,
      type: 'module',
      scripts: { eval: EVAL_SCRIPT },
      devDependencies: { vitest: '^4.1.0', 'vitest-qualify': `^${options.version}` },
    };
    return { action: 'create', text: `${JSON.stringify(created, null, 2)}\n` };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(
      { file: 'package.json' },
      `is not valid JSON (${(error as Error).message}); fix it and run init again`,
    );
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ConfigError({ file: 'package.json' }, 'is not a JSON object; fix it and run init again');
  }
  const pkg = data as Record<string, unknown>;
  const scripts = pkg['scripts'] ?? {};
  if (typeof scripts !== 'object' || scripts === null || Array.isArray(scripts)) {
    throw new ConfigError(
      { file: 'package.json', key: 'scripts' },
      'scripts is not an object; fix it and run init again',
    );
  }
  const existing = (scripts as Record<string, unknown>)['eval'];
  if (existing === EVAL_SCRIPT) return { action: 'unchanged' };
  if (existing !== undefined && !options.force) return { action: 'conflict', existing: String(existing) };
  pkg['scripts'] = { ...scripts, eval: EVAL_SCRIPT };
  const indent = /^\{\r?\n([ \t]+)"/.exec(text)?.[1] ?? 2;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  let out = JSON.stringify(pkg, null, indent);
  if (eol === '\r\n') out = out.replace(/\n/g, '\r\n');
  return { action: 'update', text: text.endsWith('\n') ? out + eol : out };
}

/** The packages a qualification needs in the repository. */
export const REQUIRED_PACKAGES = ['vitest', 'vitest-qualify'] as const;

/**
 * The install command still needed, if any: nothing when every required package is installed;
 * `npm install` when the missing ones are already in package.json (dependencies or devDependencies);
 * else `npm install --save-dev` with the undeclared ones. Pure.
 *
 * @example
 * installCommand('{}', ['vitest']) // 'npm install --save-dev vitest-qualify'
 * installCommand('{"devDependencies":{"vitest":"^4.1.0","vitest-qualify":"^0.1.0"}}', []) // 'npm install'
 * installCommand('{}', ['vitest', 'vitest-qualify']) // undefined
 */
export function installCommand(text: string | undefined, installed: readonly string[]): string | undefined {
  const missing = REQUIRED_PACKAGES.filter((name) => !installed.includes(name));
  if (missing.length === 0) return undefined;
  const pkg = text === undefined ? {} : (JSON.parse(text) as Record<string, unknown>);
  const declared = (name: string) =>
    ['dependencies', 'devDependencies'].some((key) => {
      const deps = pkg[key];
      return typeof deps === 'object' && deps !== null && Object.hasOwn(deps, name);
    });
  const undeclared = missing.filter((name) => !declared(name));
  return undeclared.length === 0 ? 'npm install' : `npm install --save-dev ${undeclared.join(' ')}`;
}
