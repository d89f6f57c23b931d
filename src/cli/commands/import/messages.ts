/** A conversation turn as a case holds it. */
export interface TraceMessage {
  role: 'user' | 'assistant' | 'system';
  content: string;
}

const ROLES: Record<string, TraceMessage['role'] | undefined> = {
  user: 'user',
  human: 'user',
  assistant: 'assistant',
  ai: 'assistant',
  model: 'assistant',
  system: 'system',
  developer: 'system',
};

/**
 * The text of a message's content as traces write it: a string, a list of
 * parts (`{ type: 'text', text }` as OpenAI and Anthropic send them, or
 * `{ type: 'text', content }` as OpenTelemetry GenAI records them), or
 * `undefined` when there is no text (a tool call, an image).
 *
 * @example
 * textOf([{ type: 'text', text: 'Hi' }, { type: 'image_url' }, { type: 'text', text: 'there' }]) // 'Hi\nthere'
 */
export function textOf(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return undefined;
  const texts = content
    .map((part: unknown) => {
      if (typeof part === 'string') return part;
      if (typeof part !== 'object' || part === null) return undefined;
      const { type, text, content: inner } = part as { type?: unknown; text?: unknown; content?: unknown };
      if (type !== undefined && type !== 'text' && type !== 'input_text' && type !== 'output_text')
        return undefined;
      return typeof text === 'string' ? text : typeof inner === 'string' ? inner : undefined;
    })
    .filter((t): t is string => t !== undefined);
  return texts.length ? texts.join('\n') : undefined;
}

/**
 * Messages as traces write them, reduced to what a case holds: roles mapped to
 * user / assistant / system (`developer` is system), tool messages and turns
 * without text left out. Returns a problem string when the list is unusable.
 *
 * @example
 * normaliseMessages([{ role: 'developer', content: 'Be brief.' }, { role: 'user', content: 'Hi' }])
 * // [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }]
 */
export function normaliseMessages(value: unknown, label = 'messages'): TraceMessage[] | string {
  if (!Array.isArray(value)) return `${label} must be a list of { role, content }`;
  const out: TraceMessage[] = [];
  for (const [index, item] of value.entries()) {
    if (typeof item !== 'object' || item === null)
      return `${label}[${index}] must be an object { role, content }`;
    const { role, content, parts } = item as { role?: unknown; content?: unknown; parts?: unknown };
    if (typeof role !== 'string') return `${label}[${index}].role must be a string`;
    const mapped = ROLES[role.toLowerCase()];
    if (mapped === undefined) continue; // tool / function results: not a turn a case can replay
    const text = textOf(content ?? parts);
    if (text === undefined || text.trim() === '') continue;
    out.push({ role: mapped, content: text });
  }
  if (!out.some((m) => m.role === 'user')) return `${label} has no user message with text`;
  return out;
}
