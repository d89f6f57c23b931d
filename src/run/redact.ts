/**
 * Secrets never reach a scorecard, a log or a PR comment. Keys are sent only
 * in request headers, but a provider or gateway may echo one back in an error
 * message ("Incorrect API key provided: sk-..."), and an agent may put one in
 * what it returns. Case errors and check details are passed through `redact`
 * in the worker, before anything is printed or written.
 * @internal
 */

/** An environment variable whose value is a secret. */
export interface Secret {
  name: string;
  value: string;
}

/** `OPENAI_API_KEY`, `GITHUB_TOKEN`, `AZURE_CLIENT_SECRET`, `DB_PASSWORD`, ... */
const SECRET_NAME = /(?:^|_)(?:API_KEY|KEY|TOKEN|SECRET|PASSWORD)$/;

/** Shorter values are left alone: replacing `1` or `true` everywhere would garble text, not protect anything. */
const MIN_LENGTH = 8;

/**
 * The secrets among environment variables, longest value first (so a key that
 * contains another is replaced whole).
 *
 * @example
 * secretsOf({ OPENAI_API_KEY: 'sk-abc12345', HOME: '/root' }) // [{ name: 'OPENAI_API_KEY', value: 'sk-abc12345' }]
 */
export function secretsOf(env: Record<string, string | undefined>): Secret[] {
  return Object.entries(env)
    .filter(
      (entry): entry is [string, string] =>
        SECRET_NAME.test(entry[0]) && (entry[1]?.length ?? 0) >= MIN_LENGTH,
    )
    .map(([name, value]) => ({ name, value }))
    .sort((a, b) => b.value.length - a.value.length);
}

/**
 * `text` with every secret value replaced by `[NAME]`.
 *
 * @example
 * redact('bad key sk-abc12345', [{ name: 'OPENAI_API_KEY', value: 'sk-abc12345' }]) // 'bad key [OPENAI_API_KEY]'
 */
export function redact(text: string, secrets: readonly Secret[]): string {
  let out = text;
  for (const { name, value } of secrets) out = out.split(value).join(`[${name}]`);
  return out;
}
