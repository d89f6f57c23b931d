/**
 * The part of an agent's stack trace its author can act on: the frames of
 * their own code, without vitest-qualify's and Vitest's. Pure: text in, frames out.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * This package's code, whose frames are dropped: its `dist/`, and its `src/` (where a source map
 * may point a `dist/` frame). Not the package root: in this repository that holds `agents/` too.
 */
const PACKAGE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const OWN_CODE = [path.join(PACKAGE, 'dist'), path.join(PACKAGE, 'src')];

/**
 * The frames of an error's stack outside vitest-qualify, Vitest and Node, in
 * order, each as `at name (file:line:col)` with the file relative to `root`
 * when it is inside it. The stack's first lines (`Name: message`, as many as
 * the message has) are not frames, whatever they look like. `[]` when no frame
 * is the user's (an error thrown by the runtime).
 *
 * @example
 * const error = new TypeError('no entry')
 * error.stack = 'TypeError: no entry\n    at lookUp (/repo/lib/kb.ts:10:11)\n    at runCase (file:///repo/node_modules/vitest-qualify/dist/vitest/run-case.js:51:81)'
 * userFrames(error, '/repo') // ['at lookUp (lib/kb.ts:10:11)']
 */
export function userFrames(error: Error, root: string, own: readonly string[] = OWN_CODE): string[] {
  if (typeof error.stack !== 'string') return [];
  const header = String(error.message).split('\n').length;
  const frames: string[] = [];
  for (const line of error.stack.split('\n').slice(header)) {
    const frame = parseFrame(line);
    if (!frame || !isUsers(frame.file, own)) continue;
    const file = shown(frame.file, root);
    frames.push(
      frame.name ? `at ${frame.name} (${file}:${frame.at})` : `at ${frame.prefix}${file}:${frame.at}`,
    );
  }
  return frames;
}

/** `    at name (file:line:col)` or `    at file:line:col`, with `async ` and `new ` kept in the name. */
const FRAME = /^\s*at (?:(.+?) \((.+):(\d+:\d+)\)|(.+):(\d+:\d+))$/;

interface Frame {
  name: string | undefined;
  /** `async ` for an anonymous frame awaited (`at async file:1:2`), else empty. */
  prefix: string;
  file: string;
  at: string;
}

function parseFrame(line: string): Frame | undefined {
  const match = FRAME.exec(line);
  if (!match) return undefined;
  if (match[2] !== undefined) return { name: match[1], prefix: '', file: match[2], at: match[3]! };
  const file = match[4]!;
  if (file.startsWith('async '))
    return { name: undefined, prefix: 'async ', file: file.slice(6), at: match[5]! };
  return { name: undefined, prefix: '', file, at: match[5]! };
}

function isUsers(file: string, own: readonly string[]): boolean {
  if (file.startsWith('node:') || file === '<anonymous>' || file === 'native') return false;
  const absolute = file.startsWith('file://') ? fileURLToPath(file) : file;
  if (!path.isAbsolute(absolute)) return true;
  if (own.some((dir) => absolute === dir || absolute.startsWith(dir + path.sep))) return false;
  return !/[\\/]node_modules[\\/](?:vitest|@vitest|vite|tinypool)[\\/]/.test(absolute);
}

function shown(file: string, root: string): string {
  const absolute = file.startsWith('file://') ? fileURLToPath(file) : file;
  if (!path.isAbsolute(absolute)) return file;
  const relative = path.relative(root, absolute);
  return relative.startsWith('..') || path.isAbsolute(relative)
    ? absolute
    : relative.split(path.sep).join('/');
}
