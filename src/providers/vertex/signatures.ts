/**
 * Gemini's thought signatures on function calls. A thinking model (Gemini 3)
 * signs each `functionCall` part it returns and refuses (400) a later turn that
 * sends the call back without its signature. The neutral `ToolCall` has no room
 * for it, so the adapter keeps the signatures it was given, by call, and puts
 * each back on its call. Calls replayed from a cassette were not signed in this
 * process: they go back unsigned, as a call from a model without thinking does.
 */
import type { ToolCall } from '../types.js';

/** How many signatures are kept (the oldest go first): a run's calls in flight, many times over. */
const LIMIT = 10_000;

/**
 * The signatures of the function calls an adapter has read.
 *
 * @example
 * const signatures = new ThoughtSignatures()
 * signatures.remember(call, 'Cr8B...')
 * signatures.of(call) // 'Cr8B...'
 */
export class ThoughtSignatures {
  readonly #byCall = new Map<string, string>();

  remember(call: Pick<ToolCall, 'id' | 'name' | 'rawArguments'>, signature: string): void {
    const key = keyOf(call);
    this.#byCall.delete(key);
    this.#byCall.set(key, signature);
    if (this.#byCall.size > LIMIT) {
      const oldest = this.#byCall.keys().next().value;
      if (oldest !== undefined) this.#byCall.delete(oldest);
    }
  }

  of(call: Pick<ToolCall, 'id' | 'name' | 'rawArguments'>): string | undefined {
    return this.#byCall.get(keyOf(call));
  }
}

/** A call's id with its name and arguments: ids Gemini does not give are made up per reply and repeat. */
function keyOf(call: Pick<ToolCall, 'id' | 'name' | 'rawArguments'>): string {
  return `${call.id}\u0000${call.name}\u0000${call.rawArguments}`;
}
