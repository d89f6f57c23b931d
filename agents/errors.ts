/**
 * The example support agent's own error: a stable `code` and a one-line message
 * that says what to do. It does not depend on vitest-qualify, as a production
 * agent would not.
 *
 * @example
 * throw new SupportAgentError('E_KB_EMPTY', 'agents/kb has no passages: add a markdown file per policy')
 */
export class SupportAgentError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SupportAgentError';
    this.code = code;
  }
}
