/**
 * The two small guards the suite added, on their own: the worker's flush on
 * SIGTERM / SIGINT, and the redaction of secret values from case errors.
 */
import { describe, expect, test } from 'vitest';
import { flushOnSignal, type SignalTarget } from '../../src/vitest/flush-on-signal.js';
import { redact, secretsOf } from '../../src/run/redact.js';

/** A `process` stand-in that records listeners and signals. */
function fakeProcess() {
  const listeners = new Map<string, () => void>();
  const killed: string[] = [];
  const target: SignalTarget = {
    pid: 4242,
    once: (signal, listener) => listeners.set(signal, listener),
    off: (signal, listener) => {
      if (listeners.get(signal) === listener) listeners.delete(signal);
    },
    kill: (pid, signal) => killed.push(`${pid} ${signal}`),
  };
  return { target, listeners, killed };
}

describe('flushOnSignal', () => {
  test('SIGTERM: pending entries are written, the handlers removed, then the signal raised again', async () => {
    const { target, listeners, killed } = fakeProcess();
    const events: string[] = [];
    flushOnSignal(async () => {
      events.push('flushed');
    }, target);
    expect([...listeners.keys()]).toEqual(['SIGTERM', 'SIGINT']);
    listeners.get('SIGTERM')!();
    expect([...listeners.keys()]).toEqual([]); // the default action applies to the re-raised signal
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(events).toEqual(['flushed']);
    expect(killed).toEqual(['4242 SIGTERM']);
  });

  test('a flush that fails or hangs does not keep the worker alive', async () => {
    const failing = fakeProcess();
    flushOnSignal(() => Promise.reject(new Error('disk full')), failing.target);
    failing.listeners.get('SIGINT')!();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(failing.killed).toEqual(['4242 SIGINT']);

    const hanging = fakeProcess();
    flushOnSignal(() => new Promise<void>(() => undefined), hanging.target);
    hanging.listeners.get('SIGTERM')!();
    await new Promise((resolve) => setTimeout(resolve, 600)); // the flush gets 400 ms
    expect(hanging.killed).toEqual(['4242 SIGTERM']);
  });

  test('the returned function removes the handlers', () => {
    const { target, listeners } = fakeProcess();
    flushOnSignal(() => Promise.resolve(), target)();
    expect([...listeners.keys()]).toEqual([]);
  });
});

describe('redaction of secrets', () => {
  test('secretsOf: keys, tokens, secrets and passwords of 8 characters or more, longest first', () => {
    expect(
      secretsOf({
        OPENAI_API_KEY: 'sk-abcdefgh',
        GITHUB_TOKEN: 'ghs_0123456789',
        AZURE_CLIENT_SECRET: 'shhhhhhh',
        DB_PASSWORD: 'hunter22',
        SHORT_TOKEN: 'abc',
        HOME: '/root/home/long',
        MONKEY: 'bananas-and-more',
      }),
    ).toEqual([
      { name: 'GITHUB_TOKEN', value: 'ghs_0123456789' },
      { name: 'OPENAI_API_KEY', value: 'sk-abcdefgh' },
      { name: 'AZURE_CLIENT_SECRET', value: 'shhhhhhh' },
      { name: 'DB_PASSWORD', value: 'hunter22' },
    ]);
  });

  test('redact replaces every occurrence with the variable name', () => {
    const secrets = secretsOf({ OPENAI_API_KEY: 'sk-abcdefgh', LONGER_API_KEY: 'sk-abcdefgh-and-more' });
    expect(redact('key sk-abcdefgh-and-more, then sk-abcdefgh twice: sk-abcdefgh', secrets)).toBe(
      'key [LONGER_API_KEY], then [OPENAI_API_KEY] twice: [OPENAI_API_KEY]',
    );
  });
});
