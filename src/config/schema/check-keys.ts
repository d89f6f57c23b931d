import type { z } from 'zod';
import { didYouMean } from '../../internal/did-you-mean.js';
import { CHECK_KINDS, CHECK_OPTIONS, type CheckKind } from './check-options.js';

let owners: Map<string, CheckKind[]> | undefined;

/** Each modifier key and the check kinds it belongs to (`flags` -> regex, not_regex). */
function modifierOwners(): Map<string, CheckKind[]> {
  if (owners) return owners;
  owners = new Map();
  for (const kind of CHECK_KINDS) {
    for (const key of Object.keys(CHECK_OPTIONS[kind].shape)) {
      if (key === kind || key === 'name') continue;
      owners.set(key, [...(owners.get(key) ?? []), kind]);
    }
  }
  return owners;
}

function isCheckKind(key: string): key is CheckKind {
  return Object.hasOwn(CHECK_OPTIONS, key);
}

/**
 * Check the keys of one `checks:` entry before its values: exactly one check
 * key, modifiers that belong to it, nothing unknown (with a did-you-mean).
 * Reports issues on `ctx` at the offending key and returns the entry unchanged;
 * non-maps pass through for the value schema to reject.
 *
 * @example
 * z.preprocess(checkEntryKeys, entrySchema)
 * // { contians: 'x' } -> `contians is not a known check; did you mean contains?`
 */
export function checkEntryKeys(value: unknown, ctx: z.core.$RefinementCtx): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  const kinds = keys.filter(isCheckKind);
  const modifiers = modifierOwners();
  const report = (key: string, message: string) =>
    ctx.addIssue({ code: 'custom', path: [key], message, params: { at: 'key' }, input: value });
  let unknown = 0;
  for (const key of keys) {
    if (isCheckKind(key) || key === 'name') continue;
    const belongs = modifiers.get(key);
    if (!belongs) {
      unknown++;
      report(key, `is not a known check${didYouMean(key, [...CHECK_KINDS, ...modifiers.keys(), 'name'])}`);
    } else if (kinds.length === 1 && !belongs.includes(kinds[0]!)) {
      report(key, `does not apply to ${kinds[0]}; it goes with ${belongs.join(', ')}`);
    }
  }
  if (kinds.length === 0 && unknown === 0) {
    ctx.addIssue({
      code: 'custom',
      message: `has no check; use one of ${CHECK_KINDS.join(', ')}`,
      input: value,
    });
  }
  for (const extra of kinds.slice(1)) {
    report(extra, `is a second check in this entry (after ${kinds[0]}); give each check its own list entry`);
  }
  return value;
}
