const PLAIN = /^[A-Za-z0-9][A-Za-z0-9._:/@+-]*$/;
const RESERVED =
  /^(true|false|yes|no|on|off|null|~|[-+]?(\d[\d_]*(\.\d*)?|\.\d+)(e[-+]?\d+)?|0x[0-9a-f]+|0o[0-7]+)$/i;

/**
 * A string as a YAML scalar: plain when that reads back as the same string
 * (`anthropic:claude-opus-4-7`, `2026-11-27`), else double-quoted with JSON
 * escapes, which YAML reads the same way. Never a word YAML would take for a
 * boolean, null or number.
 *
 * @example
 * yamlScalar('openai:gpt-5') // 'openai:gpt-5'
 * yamlScalar('Terser; still correct.') // '"Terser; still correct."'
 */
export function yamlScalar(text: string): string {
  return PLAIN.test(text) && !RESERVED.test(text) && !text.includes('://') ? text : JSON.stringify(text);
}
