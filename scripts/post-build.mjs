// tsc emits no .d.ts for a .d.ts input and drops `/// <reference path>`:
// copy the Vitest augmentations into dist and reference them from the entry
// points, so a consumer's `expect(r).toScoreAtLeast()` is typed.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';

copyFileSync('src/vitest/augment.d.ts', 'dist/vitest/augment.d.ts');
for (const [file, ref] of [
  ['dist/index.d.ts', './vitest/augment.d.ts'],
  ['dist/vitest/setup.d.ts', './augment.d.ts'],
]) {
  const text = readFileSync(file, 'utf8');
  const line = `/// <reference path="${ref}" />\n`;
  if (!text.startsWith(line)) writeFileSync(file, line + text);
}
