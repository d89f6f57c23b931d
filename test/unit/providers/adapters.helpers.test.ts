/**
 * The pure helpers under the adapters, on inputs the fake provider does not send:
 * base64 and out-of-order embeddings, a client constructor that throws, deadlines.
 */
import { describe, expect, it } from 'vitest';
import { ProviderBadRequestError } from '../../../src/providers/errors.js';
import { readEmbeddings } from '../../../src/providers/openai/wire.js';
import { startAttempt } from '../../../src/providers/attempt-scope.js';
import { buildClient, parseJsonOrUndefined } from '../../../src/providers/sdk-call.js';

function base64Floats(values: number[]): string {
  const buffer = Buffer.alloc(values.length * 4);
  values.forEach((value, i) => buffer.writeFloatLE(value, i * 4));
  return buffer.toString('base64');
}

describe('readEmbeddings', () => {
  it('orders vectors by index', () => {
    const body = {
      data: [
        { index: 1, embedding: [2, 2] },
        { index: 0, embedding: [1, 1] },
      ],
    };
    expect(readEmbeddings(body, 2)).toEqual([
      [1, 1],
      [2, 2],
    ]);
  });

  it('decodes base64 float32 vectors', () => {
    expect(readEmbeddings({ data: [{ index: 0, embedding: base64Floats([0.5, -0.25, 1]) }] }, 1)).toEqual([
      [0.5, -0.25, 1],
    ]);
  });

  it.each([
    ['too few vectors', { data: [{ index: 0, embedding: [1] }] }, 2],
    [
      'a repeated index',
      {
        data: [
          { index: 0, embedding: [1] },
          { index: 0, embedding: [2] },
        ],
      },
      2,
    ],
    ['an index out of range', { data: [{ index: 3, embedding: [1] }] }, 1],
    ['a vector that is not numbers', { data: [{ index: 0, embedding: ['a'] }] }, 1],
    ['no data', { object: 'list' }, 1],
    ['a string body', 'not json', 1],
  ])('returns undefined for %s', (_what, body, count) => {
    expect(readEmbeddings(body, count)).toBeUndefined();
  });
});

describe('buildClient', () => {
  it('turns a constructor that throws into a ProviderBadRequestError naming the settings', () => {
    const target = { provider: 'azure', model: 'prod' };
    const build = () =>
      buildClient(target, () => {
        throw new TypeError('baseURL and endpoint are mutually exclusive');
      });
    expect(build).toThrow(ProviderBadRequestError);
    expect(build).toThrow(
      'azure:prod: the SDK client refused its settings (TypeError: baseURL and endpoint are mutually exclusive); check providers.azure in rubric.yaml and the environment',
    );
  });
});

describe('parseJsonOrUndefined', () => {
  it.each([
    ['{"a":1}', { a: 1 }],
    ['[1,2]', [1, 2]],
    ['{"a":', undefined],
    ['', undefined],
  ])('parses %j to %j', (text, expected) => {
    expect(parseJsonOrUndefined(text)).toEqual(expected);
  });
});

describe('startAttempt', () => {
  it("aborts at the deadline, and tells it apart from the caller's abort", async () => {
    const scope = startAttempt({ timeoutMs: 20 });
    await new Promise((resolve) => scope.signal.addEventListener('abort', resolve, { once: true }));
    expect([scope.timedOut(), scope.callerAborted()]).toEqual([true, false]);
    scope.dispose();
  });

  it("follows the caller's signal, and reports it as the caller's", () => {
    const controller = new AbortController();
    const scope = startAttempt({ timeoutMs: 60_000, signal: controller.signal });
    controller.abort();
    expect([scope.signal.aborted, scope.timedOut(), scope.callerAborted()]).toEqual([true, false, true]);
    scope.dispose();
  });

  it('stops following the caller once disposed', () => {
    const controller = new AbortController();
    const scope = startAttempt({ timeoutMs: 60_000, signal: controller.signal });
    scope.dispose();
    controller.abort();
    expect(scope.signal.aborted).toBe(false);
  });
});
