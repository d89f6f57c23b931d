import { createHash } from 'node:crypto';
import path from 'node:path';
import type { TestProject, Vitest } from 'vitest/node';
import type { ProjectCase } from '../config/project.js';
import type { State } from './prepare.js';

/**
 * Watch mode: when a case file is edited, re-run only the cases whose
 * definition changed (or that are new), not the whole file. The others keep
 * their last result in the reporter, and the response cache makes the re-run
 * cost only the edited cases' calls.
 * @internal
 */
export function watchCaseFiles(
  vitest: Vitest,
  project: TestProject,
  current: () => State | undefined,
  reload: () => Promise<void>,
): void {
  /** Case files whose edit we re-run ourselves; Vitest's own re-run of them is filtered out. */
  const handled = new Set<string>();
  let known = fingerprints(current()?.byFile);

  vitest.onFilterWatchedSpecification(
    (spec) => !(spec.project.name === project.name && handled.has(path.resolve(spec.moduleId))),
  );

  vitest.vite.watcher.on('change', (changed: string) => {
    const file = path.resolve(changed);
    if (!current()?.loaded.has(file)) return;
    handled.add(file);
    void (async () => {
      try {
        await reload();
        const state = current()!;
        const now = fingerprints(state.byFile);
        const edited = (state.byFile.get(file)?.cases ?? [])
          .map((json) => (JSON.parse(json) as ProjectCase).id)
          .filter((id) => known.get(id) !== now.get(id));
        known = now;
        if (edited.length === 0) {
          vitest.logger.log(
            `vitest-qualify: ${path.relative(state.ctx.root, file)} changed, but no case did`,
          );
          return;
        }
        vitest.logger.log(`vitest-qualify: re-running ${edited.length} edited case(s): ${edited.join(', ')}`);
        const pattern = new RegExp(`(^|\\s)(${edited.map(escapeRegExp).join('|')})$`);
        await vitest.rerunTestSpecifications([
          project.createSpecification(file, { testNamePattern: pattern }),
        ]);
      } catch (error) {
        vitest.logger.error(error instanceof Error ? error.message : String(error));
      } finally {
        handled.delete(file);
      }
    })();
  });
}

/** Each case's definition hashed without where it is written: moving a case is not editing it. */
function fingerprints(byFile: State['byFile'] | undefined): Map<string, string> {
  const hashes = new Map<string, string>();
  for (const { cases } of byFile?.values() ?? []) {
    for (const json of cases) {
      const { source: _source, ...definition } = JSON.parse(json) as ProjectCase;
      hashes.set(definition.id, createHash('sha256').update(JSON.stringify(definition)).digest('hex'));
    }
  }
  return hashes;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
