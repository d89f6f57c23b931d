import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { parseJsonDocument } from '../internal/json-error.js';
import { SCORECARD_SCHEMA, type BaselineSource } from './types.js';

/** The part of a baseline scorecard the verdict reads. Other fields pass through untouched. */
const baselineSchema = z.looseObject({
  schema: z.string(),
  model: z.string(),
  cases: z.array(z.looseObject({ id: z.string(), points: z.number().nullable() })),
});
export type Baseline = z.infer<typeof baselineSchema>;

export interface LoadedBaseline {
  baseline: Baseline | null;
  source: BaselineSource;
}

/** Runs git and returns stdout; rejects with the exit code and stderr. Injectable for tests. */
export type GitRunner = (args: string[], cwd: string) => Promise<string>;

const execFileAsync = promisify(execFile);
export const runGit: GitRunner = async (args, cwd) =>
  (await execFileAsync('git', args, { cwd, maxBuffer: 512 * 1024 * 1024, encoding: 'utf8' })).stdout;

/**
 * The git ref to read the baseline from: `QUALIFY_BASELINE_REF`, else
 * `origin/$GITHUB_BASE_REF` in a pull-request run, else none (read the file).
 */
export function baselineRef(env: Record<string, string | undefined>): string | undefined {
  if (env['QUALIFY_BASELINE_REF']) return env['QUALIFY_BASELINE_REF'];
  if (env['GITHUB_BASE_REF']) return `origin/${env['GITHUB_BASE_REF']}`;
  return undefined;
}

/**
 * Read the baseline scorecard (DESIGN.md 2.8). With a ref it comes from
 * `git show <ref>:<path>`, never from the working tree, so a PR cannot hide a
 * regression by editing it; a ref that cannot be read is an error, not a
 * fallback to the PR head's file. Without a ref, the file is read. A baseline
 * missing at the ref or on disk is `null`: every case is then `new`.
 *
 * @example
 * const { baseline, source } = await loadBaseline({ cwd, file: 'eval/baseline.json', env: process.env })
 */
export async function loadBaseline(options: {
  cwd: string;
  file: string;
  env: Record<string, string | undefined>;
  git?: GitRunner;
}): Promise<LoadedBaseline> {
  const git = options.git ?? runGit;
  const absolute = path.resolve(options.cwd, options.file);
  const ref = baselineRef(options.env);
  if (ref === undefined) {
    let text: string;
    try {
      text = await readFile(absolute, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return { baseline: null, source: { kind: 'none', path: options.file, note: 'no baseline file' } };
      }
      throw new ConfigError({ file: options.file }, `cannot read the baseline: ${(error as Error).message}`);
    }
    return { baseline: parseBaseline(text, options.file), source: { kind: 'file', path: options.file } };
  }

  const root = (await git(['rev-parse', '--show-toplevel'], options.cwd).catch(() => '')).trim();
  if (!root) {
    throw new ConfigError(
      { file: options.file },
      `the baseline is to be read from git ref ${ref}, but ${options.cwd} is not in a git repository`,
    );
  }
  try {
    await git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], options.cwd);
  } catch {
    throw new ConfigError(
      { file: options.file },
      `the baseline ref ${ref} does not exist here: fetch it (actions/checkout with fetch-depth: 0, or git fetch origin ${ref.replace(/^origin\//, '')}) or set QUALIFY_BASELINE_REF`,
    );
  }
  const inRepo = path.relative(root, absolute).split(path.sep).join('/');
  let text: string;
  try {
    text = await git(['show', `${ref}:${inRepo}`], options.cwd);
  } catch {
    return {
      baseline: null,
      source: { kind: 'none', ref, path: options.file, note: `no ${inRepo} at ${ref}` },
    };
  }
  const label = `${ref}:${inRepo}`;
  return { baseline: parseBaseline(text, label), source: { kind: 'git', ref, path: options.file } };
}

/** Parse and check a baseline scorecard's text; `label` names it in errors. */
export function parseBaseline(text: string, label: string): Baseline {
  const data = parseJsonDocument(
    text,
    label,
    'the baseline',
    'restore it from git or re-create it with `qualify promote`',
  );
  const schema = (data as { schema?: unknown } | null)?.schema;
  if (schema !== SCORECARD_SCHEMA) {
    throw new ConfigError(
      { file: label },
      `the baseline has schema ${JSON.stringify(schema ?? null)}, this version reads ${SCORECARD_SCHEMA}: re-run the qualification of the current primary to regenerate it`,
    );
  }
  const parsed = baselineSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(
      { file: label, key: issue?.path.join('.') },
      `the baseline is not a scorecard: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`,
    );
  }
  return parsed.data;
}
