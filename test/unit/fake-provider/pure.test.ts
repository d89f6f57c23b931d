import { describe, expect, test } from 'vitest';
import { errorBody } from '../../fake-provider/error-body.js';
import { faultForDraw, faultKey, planApplies } from '../../fake-provider/fault-plan.js';
import { fnv1a, mulberry32 } from '../../fake-provider/prng.js';
import { finishReasonFor, outputText, pieces } from '../../fake-provider/replies.js';
import { embeddingInputs, lastUserText, requestText } from '../../fake-provider/request-text.js';
import { routeOf } from '../../fake-provider/routes.js';
import { encodeMessage } from '../../fake-provider/bedrock-stream.js';
import { crc32 } from 'node:zlib';
import { estimateTokens, splitTokens } from '../../fake-provider/tokens.js';
import type { RecordedRequest } from '../../fake-provider/index.js';

const req = (over: Partial<RecordedRequest>): RecordedRequest => ({
  id: 'req_fake_1',
  api: 'openai.chat',
  path: '/v1/chat/completions',
  query: {},
  model: 'gpt-5',
  body: {},
  headers: {},
  stream: false,
  at: 0,
  ...over,
});

describe('tokens', () => {
  test.each([
    ['Hi, you.', ['Hi', ',', ' you', '.']],
    ['  two  words  ', ['  two', '  words', '  ']],
    ['über 30-day', ['über', ' 30', '-', 'day']],
    ['', []],
  ])('splitTokens(%j)', (text, expected) => {
    expect(splitTokens(text)).toEqual(expected);
    expect(splitTokens(text).join('')).toBe(text);
  });

  test.each([
    ['', 0],
    ['1234', 1],
    ['12345', 2],
  ])('estimateTokens(%j) is %i', (text, expected) => {
    expect(estimateTokens(text)).toBe(expected);
  });

  test('pieces cut text into fixed-size parts, never zero parts', () => {
    expect(pieces('abcde', 2)).toEqual(['ab', 'cd', 'e']);
    expect(pieces('')).toEqual(['']);
  });
});

describe('fault plan', () => {
  const plan = {
    rate429: 0.1,
    rate503: 0.1,
    rateHang: 0.1,
    rateReset: 0.1,
    rateMalformed: 0.1,
    retryAfterS: 3,
  };
  test.each([
    [0.05, { kind: 'status', status: 429, retryAfterS: 3 }],
    [0.15, { kind: 'status', status: 503 }],
    [0.25, { kind: 'hang' }],
    [0.35, { kind: 'reset' }],
    [0.45, { kind: 'malformed' }],
    [0.55, undefined],
  ])('a draw of %f picks %j', (draw, expected) => {
    expect(faultForDraw(plan, draw)).toEqual(expected);
  });

  test('filters by api and model; keys by status or kind', () => {
    expect(planApplies({ apis: ['openai.embeddings'] }, req({}))).toBe(false);
    expect(planApplies({ models: ['gpt-4o', /^gpt-5/g] }, req({}))).toBe(true);
    expect(planApplies({ models: ['gpt-4o'] }, req({}))).toBe(false);
    expect(faultKey({ kind: 'status', status: 503 })).toBe('503');
    expect(faultKey({ kind: 'truncated-stream' })).toBe('truncated-stream');
  });

  test('the PRNG and hash are deterministic', () => {
    expect(fnv1a('hello')).toBe(1335831723);
    const a = mulberry32(42);
    const b = mulberry32(42);
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
  });
});

describe('replies and routes', () => {
  test.each([
    ['openai', 'end_turn', 'stop'],
    ['openai', 'max_tokens', 'length'],
    ['openai', 'tool_use', 'tool_calls'],
    ['openai', 'content_filter', 'content_filter'],
    ['anthropic', 'stop', 'end_turn'],
    ['anthropic', 'length', 'max_tokens'],
    ['anthropic', 'tool_calls', 'tool_use'],
    ['anthropic', 'pause_turn', 'pause_turn'],
    ['bedrock', 'stop', 'end_turn'],
    ['bedrock', 'length', 'max_tokens'],
    ['bedrock', 'content_filter', 'content_filtered'],
    ['bedrock', 'guardrail_intervened', 'guardrail_intervened'],
  ] as const)('finishReasonFor(%s, %s) is %s', (vendor, reason, expected) => {
    expect(finishReasonFor(vendor, reason)).toBe(expected);
  });

  test('outputText counts everything a reply generates', () => {
    expect(
      outputText({ text: 'a', json: { b: 1 }, toolCalls: [{ name: 'f', arguments: 'x' }], refusal: 'no' }),
    ).toBe('a{"b":1}fxno');
  });

  test.each([
    ['POST', '/v1/chat/completions', { api: 'openai.chat' }],
    ['POST', '/v1/embeddings', { api: 'openai.embeddings' }],
    ['POST', '/v1/messages', { api: 'anthropic.messages' }],
    ['POST', '/openai/deployments/my%20dep/chat/completions', { api: 'openai.chat', deployment: 'my dep' }],
    ['POST', '/openai/deployments/emb/embeddings', { api: 'openai.embeddings', deployment: 'emb' }],
    [
      'POST',
      '/model/us.anthropic.claude-sonnet-4-6-v1%3A0/converse',
      { api: 'bedrock.converse', model: 'us.anthropic.claude-sonnet-4-6-v1:0', stream: false },
    ],
    [
      'POST',
      '/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A1%3Ainference-profile%2Fus.m/converse-stream',
      { api: 'bedrock.converse', model: 'arn:aws:bedrock:us-east-1:1:inference-profile/us.m', stream: true },
    ],
    [
      'POST',
      '/model/amazon.titan-embed-text-v2%3A0/invoke',
      { api: 'bedrock.embeddings', model: 'amazon.titan-embed-text-v2:0' },
    ],
    ['GET', '/foundation-models', { api: 'bedrock.models' }],
    ['POST', '/model/m/invoke-with-response-stream', undefined],
    ['GET', '/v1/chat/completions', undefined],
    ['POST', '/v1/responses', undefined],
  ])('routeOf(%s, %s)', (method, path, expected) => {
    expect(routeOf(method, path)).toEqual(expected);
  });

  test.each([
    [400, 'invalid_request_error', 'invalid_request_error', null],
    [401, 'authentication_error', 'invalid_request_error', 'invalid_api_key'],
    [429, 'rate_limit_error', 'requests', 'rate_limit_exceeded'],
    [500, 'api_error', 'server_error', null],
    [529, 'overloaded_error', 'server_error', null],
  ])('errorBody for %i', (status, anthropicType, openaiType, openaiCode) => {
    expect(errorBody('anthropic', status, 'm', 'r1')).toEqual({
      type: 'error',
      error: { type: anthropicType, message: 'm' },
      request_id: 'r1',
    });
    expect(errorBody('openai', status, 'm', 'r1')).toEqual({
      error: { message: 'm', type: openaiType, param: null, code: openaiCode },
    });
  });
});

describe('bedrock event-stream framing', () => {
  test('a message is its prelude (lengths, CRC32), string headers, payload and message CRC32', () => {
    const payload = Buffer.from('{"stopReason":"end_turn"}');
    const message = encodeMessage({ ':event-type': 'messageStop' }, payload);
    const headers = 1 + ':event-type'.length + 1 + 2 + 'messageStop'.length;
    expect(message.readUInt32BE(0)).toBe(12 + headers + payload.length + 4);
    expect(message.length).toBe(message.readUInt32BE(0));
    expect(message.readUInt32BE(4)).toBe(headers);
    expect(message.readUInt32BE(8)).toBe(crc32(message.subarray(0, 8)));
    expect(message.readUInt8(12)).toBe(':event-type'.length);
    expect(message.readUInt8(12 + 1 + ':event-type'.length)).toBe(7);
    expect(message.subarray(12 + headers, 12 + headers + payload.length).toString()).toBe(payload.toString());
    expect(message.readUInt32BE(message.length - 4)).toBe(crc32(message.subarray(0, message.length - 4)));
  });
});

describe('request text', () => {
  const body = {
    system: [{ type: 'text', text: 'Be brief.' }],
    messages: [
      { role: 'user', content: 'first' },
      { role: 'assistant', content: null, tool_calls: [{ function: { name: 'f', arguments: '{"a":1}' } }] },
      { role: 'tool', content: [{ type: 'tool_result', content: [{ type: 'text', text: 'result' }] }] },
      {
        role: 'user',
        content: [{ type: 'text', text: 'last ' }, { type: 'image' }, { type: 'text', text: 'one' }],
      },
    ],
  };

  test('lastUserText and requestText read both vendors’ content shapes', () => {
    expect(lastUserText(body)).toBe('last one');
    expect(lastUserText({})).toBe('');
    expect(requestText(body)).toBe('Be brief.\nfirst\n{"a":1}\nresult\nlast one');
  });

  test.each([
    [{ input: 'a' }, ['a']],
    [{ input: ['a', 'b'] }, ['a', 'b']],
    [{ input: [1, 2] }, ['tokens:1,2']],
    [{ input: [[1], [2, 3]] }, ['tokens:1', 'tokens:2,3']],
    [{}, []],
  ])('embeddingInputs(%j)', (input, expected) => {
    expect(embeddingInputs(input)).toEqual(expected);
  });
});
