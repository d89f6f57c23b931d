/**
 * What a worker loads before its first model call (the static imports reachable
 * from the generated test modules' runtime and the setup entry), and what
 * Vitest's main process loads with the plugin. Packages only a later step needs
 * (zod for the scorers and cassettes, ajv for `json_schema` checks, the SDKs for
 * the first call) are imported when first used; a static import of them would
 * put them back on the start-up path (bench/FINDINGS.md).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../src');

/** Value imports and re-exports of a module (not `import type`, not dynamic `import()`). */
function staticImports(text: string): string[] {
  const found: string[] = [];
  const pattern = /^(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;
  for (const match of text.matchAll(pattern)) found.push(match[1]!);
  return found;
}

/** Packages reached from `entries` through static imports, with the chain that reaches each. */
function reachedPackages(entries: string[]): Map<string, string[]> {
  const packages = new Map<string, string[]>();
  const seen = new Set<string>();
  const visit = (file: string, chain: string[]): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const here = [...chain, path.relative(SRC, file)];
    for (const spec of staticImports(readFileSync(file, 'utf8'))) {
      if (spec.startsWith('.')) visit(path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts')), here);
      else if (!spec.startsWith('node:')) {
        const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
        if (!packages.has(name)) packages.set(name, here);
      }
    }
  };
  for (const entry of entries) visit(path.join(SRC, entry), []);
  return packages;
}

describe('worker start-up imports', () => {
  const reached = reachedPackages(['vitest/runtime.ts', 'vitest/setup.ts']);

  test('reach only Vitest', () => {
    expect([...reached.keys()].sort()).toEqual(['vitest']);
  });

  test.each(['zod', 'ajv', 'yaml', 'openai', '@anthropic-ai/sdk'])('do not reach %s', (name) => {
    expect(reached.get(name), `reached through ${reached.get(name)?.join(' -> ')}`).toBeUndefined();
  });
});

describe('main process imports', () => {
  // vitest.config.ts imports the package's entry to get the plugin; the main process reads the config
  // and the case files (yaml, zod, tinyglobby) and never calls a model or checks an output.
  const reached = reachedPackages(['index.ts']);

  test('reach the config loaders, not the SDKs or ajv', () => {
    expect([...reached.keys()].sort()).toEqual(['tinyglobby', 'yaml', 'zod']);
  });
});

describe('the import walker', () => {
  test('sees a static import and skips type-only and dynamic ones', () => {
    const text = [
      "import { z } from 'zod';",
      "import type { Ajv } from 'ajv';",
      "export { a } from './a.js';",
      "export type { B } from './b.js';",
      "const yaml = await import('yaml');",
      "import './side-effect.js';",
    ].join('\n');
    expect(staticImports(text)).toEqual(['zod', './a.js', './side-effect.js']);
  });
});
