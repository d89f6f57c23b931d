/**
 * The package users install, read from the tarball `npm pack` writes (its
 * `prepack` builds dist/, so this is what a publish would ship): the license and README are
 * in it, tests are not, no source map points at a file left out, and every
 * README link works on the npm page.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { REPO } from './harness.js';
import { packPackage, type Packed } from '../helpers/pack.js';

let packed: Packed;
let files: Set<string>;

beforeAll(async () => {
  packed = await packPackage();
  files = new Set(packed.files);
}, 240_000);

describe('npm pack', () => {
  test('LICENSE (MIT), README and package.json are in the tarball', async () => {
    expect([...files].filter((f) => !f.includes('/')).sort()).toEqual([
      'LICENSE',
      'README.md',
      'package.json',
    ]);
    const license = await readFile(path.join(REPO, 'LICENSE'), 'utf8');
    expect(license.split('\n').slice(0, 3)).toEqual([
      'MIT License',
      '',
      'Copyright (c) 2026 vitest-qualify contributors',
    ]);
    const manifest = JSON.parse(await readFile(path.join(REPO, 'package.json'), 'utf8')) as {
      license: string;
      scripts: Record<string, string>;
    };
    expect(manifest.license).toBe('MIT');
    // `npm ci` here or in a consumer does not build; `npm pack` and `npm publish` do.
    expect(manifest.scripts['prepack']).toBe('npm run build');
    expect(manifest.scripts['prepare']).toBeUndefined();
  });

  test('only what users run and read: dist, bin, schemas, docs; no tests, sources, benchmarks or fixtures', () => {
    const top = new Set([...files].map((f) => (f.includes('/') ? f.split('/')[0] : '.')));
    expect([...top].sort()).toEqual(['.', 'bin', 'dist', 'docs', 'schemas']);
    expect([...files].filter((f) => /(^|\/)test\/|\.test\.|\.test-d\./.test(f))).toEqual([]);
    expect(files.has('dist/index.js')).toBe(true);
    expect(files.has('dist/index.d.ts')).toBe(true);
    expect(files.has('dist/cli/main.js')).toBe(true);
  });

  test('no source map points at a file the tarball leaves out (maps are off: tsc output is readable as is)', async () => {
    const maps = [...files].filter((f) => f.endsWith('.map'));
    for (const map of maps) {
      const { sources } = JSON.parse(await readFile(path.join(packed.dir, map), 'utf8')) as {
        sources: string[];
      };
      for (const source of sources) {
        expect(files, `${map} -> ${source}`).toContain(path.posix.join(path.posix.dirname(map), source));
      }
    }
    const mapped: string[] = [];
    for (const file of [...files].filter((f) => f.endsWith('.js'))) {
      const text = await readFile(path.join(packed.dir, file), 'utf8');
      const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(text)?.[1];
      if (url) mapped.push(`${file} -> ${url}`);
    }
    // The decision, pinned: no maps shipped, and no comment pointing at one.
    expect(maps).toEqual([]);
    expect(mapped).toEqual([]);
  });

  test('every README link is absolute: into this version of the package (a file it ships) or https', async () => {
    const readme = await readFile(path.join(REPO, 'README.md'), 'utf8');
    const links = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThanOrEqual(5);
    const own = `https://unpkg.com/${packed.name}@${packed.version}/`;
    const broken = links.filter((link) => {
      if (link.startsWith(own)) return !files.has(link.slice(own.length));
      if (link.startsWith('#')) return false; // an anchor on the same page
      return !/^https:\/\//.test(link) || link.includes('unpkg.com/vitest-qualify');
    });
    expect(broken).toEqual([]);
    expect(links).toContain(`${own}docs/cli.md`);
  });
});
