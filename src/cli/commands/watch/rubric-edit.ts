import { ConfigError } from '../../../errors.js';
import { parseRubricText } from '../../files/rubric-file.js';

const LINE =
  /^(model_primary[ \t]*:[ \t]*)(?:"([^"\\]*)"|'([^']*)'|([^\s#"'>|&*![{][^#]*?))([ \t]*(?:#.*)?)$/;

/**
 * `rubric.yaml` with `model_primary` set to `model`: one line changed, its quoting,
 * trailing comment and line ending kept, every other byte as it was. The result is
 * parsed again and must name `model`. A `model_primary` that is not one plain line
 * (a block scalar, an anchor, absent) is a `ConfigError` naming the line and the fix.
 *
 * @example
 * setModelPrimary('model_primary: openai:gpt-5  # today\njudge: openai:gpt-5\n', 'openai:gpt-5.2', 'rubric.yaml')
 * // 'model_primary: openai:gpt-5.2  # today\njudge: openai:gpt-5\n'
 */
export function setModelPrimary(text: string, model: string, label: string): string {
  const lines = text.split('\n');
  const at = lines.flatMap((line, i) => (/^model_primary[ \t]*:/.test(line) ? [i] : []));
  const fix = 'write it on one line, e.g. model_primary: openai:gpt-5';
  if (at.length !== 1) {
    throw new ConfigError(
      { file: label, line: at[1] === undefined ? undefined : at[1] + 1, key: 'model_primary' },
      at.length === 0
        ? `no top-level model_primary line to change; ${fix}`
        : `model_primary is written ${at.length} times; keep one`,
    );
  }
  const index = at[0]!;
  const raw = lines[index]!;
  const cr = raw.endsWith('\r') ? '\r' : '';
  const match = LINE.exec(cr ? raw.slice(0, -1) : raw);
  if (!match) {
    throw new ConfigError(
      { file: label, line: index + 1, key: 'model_primary' },
      `model_primary is not a one-line value qualify watch can change; ${fix}`,
    );
  }
  const [, key, double, single, , rest] = match;
  const value = double !== undefined ? `"${model}"` : single !== undefined ? `'${model}'` : model;
  lines[index] = `${key}${value}${rest}${cr}`;
  const edited = lines.join('\n');
  if (parseRubricText(edited, label).rubric.model_primary !== model) {
    throw new ConfigError(
      { file: label, line: index + 1, key: 'model_primary' },
      `setting model_primary to ${model} on this line does not change what rubric.yaml reads; ${fix}`,
    );
  }
  return edited;
}
