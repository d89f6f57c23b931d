/**
 * A V8 `.cpuprofile` (from `node --cpu-prof`) summarised: self time by
 * function and by package or source folder, so the benchmark can say where a
 * process spends its CPU. Pure: JSON in, rows out.
 */

/** The parts of a V8 CPU profile the summary reads. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

/** One row of a summary: a name and its self time. */
export interface ProfileRow {
  name: string;
  ms: number;
  share: number;
}

/**
 * Where a script URL belongs: `node_modules/<package>`, a source folder of the
 * repo (`src/providers`), `node:internal`, or the V8 category (`(garbage collector)`).
 *
 * @example
 * bucketOf('file:///r/node_modules/openai/core.js') // 'openai'
 * bucketOf('file:///r/src/providers/client.ts')    // 'src/providers'
 */
export function bucketOf(url: string, functionName = ''): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node:internal';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1] as string;
  const source = /\/(src|test|bench)\/([^/]+)\//.exec(url);
  if (source) return `${source[1]}/${source[2]}`;
  return url.replace(/^file:\/\//, '');
}

/**
 * Self time per function (`name url:line`) and per bucket, largest first.
 *
 * @example
 * const { functions, buckets, totalMs } = summarizeProfile(JSON.parse(text), 15)
 */
export function summarizeProfile(
  profile: CpuProfile,
  top = 15,
): { totalMs: number; functions: ProfileRow[]; buckets: ProfileRow[] } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const fn = new Map<string, number>();
  const bucket = new Map<string, number>();
  let totalUs = 0;
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id);
    const us = profile.timeDeltas[i] ?? 0;
    if (!frame || frame.functionName === '(idle)' || frame.functionName === '(program)') return;
    totalUs += us;
    const file = frame.url.split('/').slice(-2).join('/');
    const name = `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber + 1}`;
    fn.set(name, (fn.get(name) ?? 0) + us);
    const b = bucketOf(frame.url, frame.functionName);
    bucket.set(b, (bucket.get(b) ?? 0) + us);
  });
  const rows = (map: Map<string, number>): ProfileRow[] =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: us / 1000, share: totalUs > 0 ? us / totalUs : 0 }));
  return { totalMs: totalUs / 1000, functions: rows(fn), buckets: rows(bucket) };
}
