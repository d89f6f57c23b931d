import { createHash } from 'node:crypto';
import type { TraceMessage } from './messages.js';

/**
 * The text a case id is hashed from: each message's role and content, Unicode
 * NFC, whitespace runs collapsed and trimmed. An `input` and a conversation of
 * that one user message hash the same.
 *
 * @example
 * normalisedInput([{ role: 'user', content: '  Can I   return shoes? ' }]) // '[["user","Can I return shoes?"]]'
 */
export function normalisedInput(messages: readonly TraceMessage[]): string {
  return JSON.stringify(
    messages.map((m) => [m.role, m.content.normalize('NFC').replace(/\s+/g, ' ').trim()]),
  );
}

/**
 * The stable id of an imported case: `trace-` and the first 12 hex digits of
 * the SHA-256 of the normalised input. The same prompt always gets the same id,
 * so re-importing does not churn the baseline.
 *
 * @example
 * caseIdOf([{ role: 'user', content: 'Can I return shoes?' }]) // 'trace-' + 12 hex digits
 */
export function caseIdOf(messages: readonly TraceMessage[]): string {
  return `trace-${createHash('sha256').update(normalisedInput(messages)).digest('hex').slice(0, 12)}`;
}
