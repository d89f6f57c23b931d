import { normaliseMessages, textOf, type TraceMessage } from './messages.js';
import { contextOf, idLike, tagsOf, TraceProblem, type TraceRecord } from './record.js';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The spans a line holds when it is an OpenTelemetry export: the line itself
 * when it is one OTLP JSON span, every span of an `ExportTraceServiceRequest`
 * (`resourceSpans[].scopeSpans[].spans[]`), or `undefined` for a plain trace.
 *
 * @example
 * spansOf({ traceId: 'ab', spanId: 'cd', attributes: [] })?.length // 1
 * spansOf({ input: 'hi' }) // undefined
 */
export function spansOf(line: Json): Json[] | undefined {
  if (Array.isArray(line['resourceSpans'])) {
    return line['resourceSpans'].flatMap((resource: unknown) => {
      if (!isObject(resource)) return [];
      const scopes = resource['scopeSpans'] ?? resource['instrumentationLibrarySpans'];
      return (Array.isArray(scopes) ? scopes : []).flatMap((scope: unknown) =>
        isObject(scope) && Array.isArray(scope['spans']) ? scope['spans'].filter(isObject) : [],
      );
    });
  }
  const spanish = ['spanId', 'traceId', 'startTimeUnixNano', 'span_id', 'trace_id', 'name'];
  return 'attributes' in line && spanish.some((key) => key in line) ? [line] : undefined;
}

/**
 * An OTLP attribute list (`[{ key, value: { stringValue | intValue | ... } }]`)
 * or a flat map, as a plain object.
 *
 * @example
 * attributesOf([{ key: 'gen_ai.request.model', value: { stringValue: 'gpt-5' } }]) // { 'gen_ai.request.model': 'gpt-5' }
 */
export function attributesOf(value: unknown): Json {
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, anyValue(v)]));
  if (!Array.isArray(value)) return {};
  const out: Json = {};
  for (const item of value) {
    if (isObject(item) && typeof item['key'] === 'string') out[item['key']] = anyValue(item['value']);
  }
  return out;
}

/** One OTLP `AnyValue` as a plain value; anything else is returned as is. */
function anyValue(value: unknown): unknown {
  if (!isObject(value)) return value;
  if ('stringValue' in value) return value['stringValue'];
  if ('boolValue' in value) return value['boolValue'];
  if ('intValue' in value) return Number(value['intValue']);
  if ('doubleValue' in value) return Number(value['doubleValue']);
  if ('bytesValue' in value) return value['bytesValue'];
  const array = value['arrayValue'];
  if (isObject(array)) return (Array.isArray(array['values']) ? array['values'] : []).map(anyValue);
  const kvlist = value['kvlistValue'];
  if (isObject(kvlist)) return attributesOf(kvlist['values']);
  return value;
}

/**
 * Map a GenAI span to a `TraceRecord` (the mapping is in docs/import.md), or
 * `undefined` for a span that is not a GenAI call (no `gen_ai.*` attribute) or
 * an embeddings call. Throws a `TraceProblem` for a GenAI span without a prompt.
 *
 * @example
 * otelTrace({ spanId: 'cd', startTimeUnixNano: '1795773600000000000',
 *   attributes: { 'gen_ai.prompt': 'Can I return shoes?' } })?.messages // [{ role: 'user', content: 'Can I return shoes?' }]
 */
export function otelTrace(span: Json): TraceRecord | undefined {
  const attrs = attributesOf(span['attributes']);
  const keys = Object.keys(attrs);
  if (!keys.some((k) => k.startsWith('gen_ai.')) || attrs['gen_ai.operation.name'] === 'embeddings') {
    return undefined;
  }
  const messages = promptOf(attrs);
  if (messages === undefined) {
    throw new TraceProblem(
      'GenAI span has no gen_ai.input.messages or gen_ai.prompt; turn on content capture ' +
        '(e.g. OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true)',
    );
  }
  const metadata: Json = {};
  const keep = (name: string, value: unknown): void => {
    if (value !== undefined && value !== null && value !== '') metadata[name] = value;
  };
  keep('trace_id', span['traceId'] ?? span['trace_id']);
  keep('span_id', span['spanId'] ?? span['span_id']);
  keep('span_name', span['name']);
  keep('model', attrs['gen_ai.response.model'] ?? attrs['gen_ai.request.model']);
  keep('provider', attrs['gen_ai.provider.name'] ?? attrs['gen_ai.system']);
  keep('operation', attrs['gen_ai.operation.name']);
  keep('conversation_id', attrs['gen_ai.conversation.id']);
  return {
    timestamp: startOf(span),
    messages,
    output: completionOf(attrs),
    context: contextOf(jsonish(attrs['qualify.context']), 'qualify.context'),
    node: idLike(attrs['qualify.node'], 'qualify.node'),
    subject: idLike(attrs['qualify.subject'], 'qualify.subject'),
    tags: tagsOf(attrs['qualify.tags'], 'qualify.tags'),
    metadata,
  };
}

function promptOf(attrs: Json): TraceMessage[] | undefined {
  const input = jsonish(attrs['gen_ai.input.messages']);
  let messages: TraceMessage[] | string | undefined;
  if (input !== undefined) messages = normaliseMessages(input, 'gen_ai.input.messages');
  else if (attrs['gen_ai.prompt'] !== undefined) {
    const prompt = jsonish(attrs['gen_ai.prompt']);
    messages = Array.isArray(prompt)
      ? normaliseMessages(prompt, 'gen_ai.prompt')
      : typeof prompt === 'string' && prompt.trim() !== ''
        ? [{ role: 'user', content: prompt }]
        : 'gen_ai.prompt is empty';
  } else if (attrs['gen_ai.prompt.0.content'] !== undefined || attrs['gen_ai.prompt.0.role'] !== undefined) {
    messages = normaliseMessages(indexed(attrs, 'gen_ai.prompt'), 'gen_ai.prompt.<i>');
  }
  if (messages === undefined) return undefined;
  if (typeof messages === 'string') throw new TraceProblem(messages);
  const system = textOf(jsonish(attrs['gen_ai.system_instructions']));
  return system && !messages.some((m) => m.role === 'system')
    ? [{ role: 'system', content: system }, ...messages]
    : messages;
}

function completionOf(attrs: Json): string | undefined {
  const output = jsonish(attrs['gen_ai.output.messages'] ?? attrs['gen_ai.completion']);
  if (typeof output === 'string') return output;
  const list = Array.isArray(output) ? output : indexed(attrs, 'gen_ai.completion');
  const first: unknown = list[0];
  if (!isObject(first)) return undefined;
  return textOf(first['parts'] ?? first['content']);
}

/** OpenLLMetry's flattened lists: `<prefix>.0.role`, `<prefix>.0.content`, ... */
function indexed(attrs: Json, prefix: string): Json[] {
  const out: Json[] = [];
  for (
    let i = 0;
    attrs[`${prefix}.${i}.content`] !== undefined || attrs[`${prefix}.${i}.role`] !== undefined;
    i++
  ) {
    out.push({ role: attrs[`${prefix}.${i}.role`] ?? 'user', content: attrs[`${prefix}.${i}.content`] });
  }
  return out;
}

/** Attributes recorded as JSON strings (the usual way for structured values on spans). */
function jsonish(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  if (!trimmed.startsWith('[') && !trimmed.startsWith('{')) return value;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return value;
  }
}

function startOf(span: Json): number | undefined {
  const nanos = span['startTimeUnixNano'] ?? span['start_time_unix_nano'];
  if (nanos === undefined || nanos === null) return undefined;
  if (typeof nanos === 'string' && /^\d+$/.test(nanos)) return Number(BigInt(nanos) / 1_000_000n);
  if (typeof nanos === 'number' && Number.isFinite(nanos)) return Math.floor(nanos / 1_000_000);
  throw new TraceProblem(`startTimeUnixNano ${JSON.stringify(nanos)} is not a number of nanoseconds`);
}
