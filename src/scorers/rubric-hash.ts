/**
 * A case's rubric fingerprint, apart from the prompt fingerprints (fingerprint.ts) so the worker's
 * start-up path does not load the prompt builders and zod with it.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../providers/cache/key.js';
import type { ScoringCase } from './types.js';

/**
 * The sha256 of what the judge reads of a case besides the output: its criteria (the case's and
 * the rubric-wide ones: id, text, weight, in order), its reference and its contexts. Its input is
 * left out: an edited question makes another case, which judging the old answer again cannot mend.
 *
 * @example
 * rubricHash({ id: 'a', criteria: [{ id: 'c', text: 'Correct', weight: 1 }] }) // 64 hex digits
 */
export function rubricHash(c: Pick<ScoringCase, 'criteria' | 'reference' | 'context'>): string {
  return sha256(
    canonicalJson({
      criteria: (c.criteria ?? []).map(({ id, text, weight }) => ({ id, text, weight })),
      reference: c.reference ?? null,
      context: c.context ?? [],
    }),
  );
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
