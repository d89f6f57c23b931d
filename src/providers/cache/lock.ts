import { randomUUID } from 'node:crypto';
import { open, readFile, stat, unlink } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { QualifyError } from '../../errors.js';

/**
 * A lock file next to a cassette, so Vitest workers (separate processes) take
 * turns rewriting it. Created with `O_EXCL`; a lock older than `staleMs`, or
 * whose owning process is gone, is broken.
 *
 * Hand-written for a missing feature: Node has no file lock (no `flock`), and no package
 * in the dependency tree provides one (`proper-lockfile` would be a new dependency, with
 * mtime refreshes instead of the owner's pid). Not a measured choice; the cost that bench
 * measured is the rewrite under the lock, not the lock (bench/FINDINGS.md, recording at 10,000 cases).
 */

export interface FileLockOptions {
  /** A lock this old is abandoned. Default 30 s. */
  staleMs?: number | undefined;
  /** Give up waiting after this long. Default 60 s. */
  timeoutMs?: number | undefined;
  /** Pause between tries. Default 10 ms, plus up to as much again at random. */
  retryMs?: number | undefined;
  now?: (() => number) | undefined;
  /** Whether a process id is running; `process.kill(pid, 0)` by default. */
  isAlive?: ((pid: number) => boolean) | undefined;
}

interface LockContent {
  pid: number;
  token: string;
  created_at: number;
}

/**
 * Run `fn` holding the lock file `lockPath`; the lock is removed afterwards,
 * unless another process broke it as stale meanwhile.
 *
 * @example
 * await withFileLock(`${file}.lock`, async () => { const text = await readFile(file, 'utf8'); ... });
 */
export async function withFileLock<T>(
  lockPath: string,
  fn: () => Promise<T>,
  options: FileLockOptions = {},
): Promise<T> {
  const now = options.now ?? Date.now;
  const content: LockContent = { pid: process.pid, token: randomUUID(), created_at: now() };
  await acquire(lockPath, content, options);
  try {
    return await fn();
  } finally {
    await releaseIfOurs(lockPath, content.token);
  }
}

async function acquire(lockPath: string, content: LockContent, options: FileLockOptions): Promise<void> {
  const now = options.now ?? Date.now;
  const staleMs = options.staleMs ?? 30_000;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const retryMs = options.retryMs ?? 10;
  const isAlive = options.isAlive ?? processIsAlive;
  const started = now();

  for (;;) {
    try {
      const handle = await open(lockPath, 'wx');
      try {
        await handle.writeFile(JSON.stringify({ ...content, created_at: now() }));
      } finally {
        await handle.close();
      }
      return;
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw error;
    }
    const holder = await readHolder(lockPath);
    if (holder === 'gone') continue;
    const age = now() - holder.createdAt;
    if (age > staleMs || (holder.pid !== undefined && !isAlive(holder.pid))) {
      await breakLock(lockPath, holder.raw);
      continue;
    }
    if (now() - started > timeoutMs) {
      throw new QualifyError(
        'E_CACHE_LOCK',
        `${lockPath} has been held by pid ${holder.pid ?? 'unknown'} for ${Math.round(age / 1000)} s; if no qualify run is active, delete it`,
      );
    }
    await delay(retryMs + Math.floor(Math.random() * retryMs));
  }
}

type Holder = 'gone' | { raw: string; pid: number | undefined; createdAt: number };

async function readHolder(lockPath: string): Promise<Holder> {
  try {
    const raw = await readFile(lockPath, 'utf8');
    const parsed = safeJson(raw) as Partial<LockContent> | undefined;
    if (typeof parsed?.pid === 'number' && typeof parsed.created_at === 'number') {
      return { raw, pid: parsed.pid, createdAt: parsed.created_at };
    }
    // Empty or half-written: the owner is between create and write, or crashed there.
    return { raw, pid: undefined, createdAt: (await stat(lockPath)).mtimeMs };
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return 'gone';
    throw error;
  }
}

/** Remove a stale lock, but only if it is still the one judged stale. */
async function breakLock(lockPath: string, judged: string): Promise<void> {
  try {
    if ((await readFile(lockPath, 'utf8')) === judged) await unlink(lockPath);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
  }
}

async function releaseIfOurs(lockPath: string, token: string): Promise<void> {
  try {
    const parsed = safeJson(await readFile(lockPath, 'utf8')) as Partial<LockContent> | undefined;
    if (parsed?.token === token) await unlink(lockPath);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return errorCode(error) === 'EPERM';
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The `code` of a Node system error, if any.
 *
 * @example
 * errorCode(await readFile('missing').catch((e: unknown) => e)) // 'ENOENT'
 */
export function errorCode(error: unknown): string | undefined {
  const code: unknown = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
