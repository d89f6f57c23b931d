import { describe, expect, test } from 'vitest';
import { attributesOf, otelTrace, spansOf } from '../../../src/cli/commands/import/otel.js';
import { tracesOfLine } from '../../../src/cli/commands/import/parse-line.js';
import { plainTrace, timestampOf, TraceProblem } from '../../../src/cli/commands/import/record.js';

const T0 = Date.parse('2026-11-27T10:00:00Z');
const NANOS = `${T0}000000`;

describe('the plain JSONL format', () => {
  test('every field maps: input, output kept, context, metadata node/subject/tags lifted, the rest kept', () => {
    expect(
      plainTrace({
        timestamp: '2026-11-27T10:00:00Z',
        input: 'Can I return shoes after 40 days?',
        output: 'No, 30 days.',
        context: ['Returns are accepted within 30 days.'],
        metadata: { node: 'answer', subject: 'drafter', tags: ['billing', ' returns '], user_tier: 'gold' },
        request_id: 'req-1',
      }),
    ).toEqual({
      timestamp: T0,
      messages: [{ role: 'user', content: 'Can I return shoes after 40 days?' }],
      output: 'No, 30 days.',
      context: ['Returns are accepted within 30 days.'],
      node: 'answer',
      subject: 'drafter',
      tags: ['billing', 'returns'],
      metadata: { request_id: 'req-1', user_tier: 'gold' },
    });
  });

  test('messages: developer becomes system, tool turns and parts without text are left out', () => {
    const record = plainTrace({
      timestamp: T0,
      messages: [
        { role: 'developer', content: 'Be brief.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Where is' },
            { type: 'image_url' },
            { type: 'text', text: 'my order?' },
          ],
        },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1' }] },
        { role: 'tool', content: '{"status":"shipped"}' },
        { role: 'assistant', content: 'It shipped.' },
        { role: 'user', content: 'When does it arrive?' },
      ],
      output: { text: 'Tomorrow.' },
    });
    expect(record.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Where is\nmy order?' },
      { role: 'assistant', content: 'It shipped.' },
      { role: 'user', content: 'When does it arrive?' },
    ]);
    expect(record.timestamp).toBe(T0);
    expect(record.output).toBe('{"text":"Tomorrow."}');
  });

  test.each([
    [{ output: 'x' }, 'has neither input nor messages'],
    [{ input: 42 }, 'input must be a string (or use messages)'],
    [{ input: '   ' }, 'input is empty'],
    [{ messages: [{ role: 'assistant', content: 'hi' }] }, 'messages has no user message with text'],
    [{ messages: 'hi' }, 'messages must be a list of { role, content }'],
    [{ input: 'hi', context: [1] }, 'context must be a list of strings'],
    [{ input: 'hi', metadata: [] }, 'metadata must be an object'],
    [{ input: 'hi', metadata: { tags: [1] } }, 'metadata.tags must be a list of strings'],
    [
      { input: 'hi', timestamp: 'yesterday' },
      'timestamp "yesterday" is neither ISO 8601 nor epoch milliseconds',
    ],
  ])('%o is a problem: %s', (line, problem) => {
    expect(() => plainTrace(line)).toThrow(new TraceProblem(problem));
  });

  test.each([
    ['2026-11-27T10:00:00Z', T0],
    ['2026-11-27T11:00:00+01:00', T0],
    [T0, T0],
    [String(T0), T0],
    [undefined, undefined],
  ])('timestamp %s', (value, expected) => {
    expect(timestampOf(value)).toBe(expected);
  });
});

describe('OpenTelemetry GenAI spans', () => {
  const span = (attributes: unknown, extra: Record<string, unknown> = {}) => ({
    traceId: '5b8efff798038103d269b633813fc60c',
    spanId: 'eee19b7ec3c1b174',
    name: 'chat gpt-5',
    startTimeUnixNano: NANOS,
    attributes,
    ...extra,
  });

  test('current conventions: gen_ai.input.messages / output.messages parts, system instructions, OTLP typed values', () => {
    const record = otelTrace(
      span([
        { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
        { key: 'gen_ai.request.model', value: { stringValue: 'gpt-5' } },
        { key: 'gen_ai.provider.name', value: { stringValue: 'openai' } },
        { key: 'gen_ai.usage.input_tokens', value: { intValue: '12' } },
        {
          key: 'gen_ai.system_instructions',
          value: { stringValue: JSON.stringify([{ type: 'text', content: 'You are a returns assistant.' }]) },
        },
        {
          key: 'gen_ai.input.messages',
          value: {
            stringValue: JSON.stringify([
              { role: 'user', parts: [{ type: 'text', content: 'Can I return shoes?' }] },
            ]),
          },
        },
        {
          key: 'gen_ai.output.messages',
          value: {
            stringValue: JSON.stringify([
              {
                role: 'assistant',
                parts: [{ type: 'text', content: 'Within 30 days.' }],
                finish_reason: 'stop',
              },
            ]),
          },
        },
        { key: 'qualify.context', value: { arrayValue: { values: [{ stringValue: 'Returns: 30 days.' }] } } },
        { key: 'qualify.tags', value: { stringValue: 'otel,returns' } },
        { key: 'qualify.node', value: { stringValue: 'answer' } },
      ]),
    );
    expect(record).toEqual({
      timestamp: T0,
      messages: [
        { role: 'system', content: 'You are a returns assistant.' },
        { role: 'user', content: 'Can I return shoes?' },
      ],
      output: 'Within 30 days.',
      context: ['Returns: 30 days.'],
      node: 'answer',
      subject: undefined,
      tags: ['otel', 'returns'],
      metadata: {
        trace_id: '5b8efff798038103d269b633813fc60c',
        span_id: 'eee19b7ec3c1b174',
        span_name: 'chat gpt-5',
        model: 'gpt-5',
        provider: 'openai',
        operation: 'chat',
      },
    });
  });

  test('older conventions: gen_ai.prompt / gen_ai.completion as text, as JSON, and indexed (OpenLLMetry), flat maps', () => {
    expect(otelTrace(span({ 'gen_ai.prompt': 'Hi there', 'gen_ai.completion': 'Hello!' }))).toMatchObject({
      messages: [{ role: 'user', content: 'Hi there' }],
      output: 'Hello!',
    });
    const json = otelTrace(
      span({
        'gen_ai.prompt': JSON.stringify([
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Hi' },
        ]),
        'gen_ai.completion': JSON.stringify([{ role: 'assistant', content: 'Hello.' }]),
      }),
    );
    expect(json).toMatchObject({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ],
      output: 'Hello.',
    });
    const indexed = otelTrace(
      span([
        { key: 'gen_ai.system', value: { stringValue: 'anthropic' } },
        { key: 'gen_ai.prompt.0.role', value: { stringValue: 'system' } },
        { key: 'gen_ai.prompt.0.content', value: { stringValue: 'Be brief.' } },
        { key: 'gen_ai.prompt.1.role', value: { stringValue: 'user' } },
        { key: 'gen_ai.prompt.1.content', value: { stringValue: 'Refund?' } },
        { key: 'gen_ai.completion.0.role', value: { stringValue: 'assistant' } },
        { key: 'gen_ai.completion.0.content', value: { stringValue: 'Yes.' } },
      ]),
    );
    expect(indexed).toMatchObject({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Refund?' },
      ],
      output: 'Yes.',
      metadata: { provider: 'anthropic' },
    });
  });

  test('spans that are not GenAI calls, and embeddings calls, are ignored; a GenAI call without a prompt is a problem', () => {
    expect(otelTrace(span({ 'http.method': 'GET' }))).toBeUndefined();
    expect(
      otelTrace(span({ 'gen_ai.operation.name': 'embeddings', 'gen_ai.request.model': 'e' })),
    ).toBeUndefined();
    expect(() => otelTrace(span({ 'gen_ai.operation.name': 'chat' }))).toThrow(
      'GenAI span has no gen_ai.input.messages or gen_ai.prompt; turn on content capture',
    );
    expect(() => otelTrace(span({ 'gen_ai.prompt': 'x' }, { startTimeUnixNano: 'soon' }))).toThrow(
      'startTimeUnixNano "soon" is not a number of nanoseconds',
    );
  });

  test('a line is a span, an export request of many spans, or a plain trace', () => {
    expect(spansOf({ input: 'hi', metadata: {} })).toBeUndefined();
    expect(spansOf(span({}))).toHaveLength(1);
    const request = {
      resourceSpans: [
        { scopeSpans: [{ spans: [span({ 'gen_ai.prompt': 'a' }), span({ 'db.system': 'pg' })] }] },
        { scopeSpans: [{ spans: [span({ 'gen_ai.prompt': 'b' })] }] },
      ],
    };
    const { records, ignored } = tracesOfLine(JSON.stringify(request));
    expect(records.map((r) => r.messages[0]!.content)).toEqual(['a', 'b']);
    expect(ignored).toBe(1);
    expect(
      attributesOf([
        { key: 'k', value: { kvlistValue: { values: [{ key: 'a', value: { boolValue: true } }] } } },
      ]),
    ).toEqual({
      k: { a: true },
    });
  });

  test('a line that is not JSON names the column', () => {
    expect(() => tracesOfLine('{"input": "hi",}')).toThrow(
      new TraceProblem('is not JSON (column 16: expected a quoted key, found "}")'),
    );
    expect(() => tracesOfLine('[1]')).toThrow('is not a JSON object; write one trace object per line');
  });
});
