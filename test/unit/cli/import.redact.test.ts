import { describe, expect, test } from 'vitest';
import { luhn, noRedactions, redactText, redactTrace } from '../../../src/cli/commands/import/redact.js';

describe('redactText', () => {
  test.each([
    // [text, redacted, { email, phone, card }]
    ['mail ana.lopez+shoes@example.co.uk today', 'mail [email] today', [1, 0, 0]],
    ['two: a@b.io, B_C@sub.example.org.', 'two: [email], [email].', [2, 0, 0]],
    ['not an email: user@localhost or @handle', 'not an email: user@localhost or @handle', [0, 0, 0]],
    ['call +44 20 7946 0958 now', 'call [phone] now', [0, 1, 0]],
    ['call +33 1 42 68 53 00', 'call [phone]', [0, 1, 0]],
    ['whatsapp +4915123456789', 'whatsapp [phone]', [0, 1, 0]],
    ['us (555) 123-4567', 'us [phone]', [0, 1, 0]],
    ['us 555-123-4567 and 555.123.4567', 'us [phone] and [phone]', [0, 2, 0]],
    ['us 1-800-555-0199', 'us [phone]', [0, 1, 0]],
    ['us +1 (415) 555-2671', 'us [phone]', [0, 1, 0]],
    [
      'not phones: 2026-11-27, 10:30, v1.2.3, +12, order 123-45-6789',
      'not phones: 2026-11-27, 10:30, v1.2.3, +12, order 123-45-6789',
      [0, 0, 0],
    ],
    ['visa 4111 1111 1111 1111 ok', 'visa [card] ok', [0, 0, 1]],
    ['visa 4111-1111-1111-1111', 'visa [card]', [0, 0, 1]],
    ['plain 4012888888881881', 'plain [card]', [0, 0, 1]],
    ['amex 3782 822463 10005', 'amex [card]', [0, 0, 1]],
    ['19 digits 6011000990139424009', '19 digits [card]', [0, 0, 1]],
    ['13 digits 4111111111119', '13 digits [card]', [0, 0, 1]],
    ['bad luhn 4111 1111 1111 1112', 'bad luhn 4111 1111 1111 1112', [0, 0, 0]],
    ['bad luhn 1234567890123', 'bad luhn 1234567890123', [0, 0, 0]],
    ['12 digits 411111111111', '12 digits 411111111111', [0, 0, 0]],
    ['20 digits 41111111111111111111', '20 digits 41111111111111111111', [0, 0, 0]],
    ['card then qty 4111 1111 1111 1111 12', 'card then qty [card] 12', [0, 0, 1]],
    ['all: a@b.io, +44 20 7946 0958, 4111111111111111', 'all: [email], [phone], [card]', [1, 1, 1]],
  ] as const)('%s', (text, expected, [email, phone, card]) => {
    const counts = noRedactions();
    const out = redactText(text, counts);
    expect(out).toBe(expected);
    expect(counts).toEqual({ email, phone, card });
  });

  test.each([
    ['4111111111111111', true],
    ['4111111111111112', false],
    ['378282246310005', true],
    ['79927398713', true],
    ['79927398710', false],
  ])('luhn(%s) is %s', (digits, valid) => {
    expect(luhn(digits)).toBe(valid);
  });

  test('redactTrace scrubs messages, output, context and metadata strings, and counts them', () => {
    const counts = noRedactions();
    const record = redactTrace(
      {
        timestamp: 1,
        messages: [
          { role: 'system', content: 'Agent line +1 (415) 555-2671' },
          { role: 'user', content: 'I am ana@example.com' },
        ],
        output: 'Charged 4111 1111 1111 1111',
        context: ['Customer phone 555-123-4567'],
        node: 'n',
        subject: 's',
        tags: ['t'],
        metadata: { user: { email: 'ana@example.com' }, count: 4111111111111111, ids: ['x'] },
      },
      counts,
    );
    expect(record).toEqual({
      timestamp: 1,
      messages: [
        { role: 'system', content: 'Agent line [phone]' },
        { role: 'user', content: 'I am [email]' },
      ],
      output: 'Charged [card]',
      context: ['Customer phone [phone]'],
      node: 'n',
      subject: 's',
      tags: ['t'],
      metadata: { user: { email: '[email]' }, count: 4111111111111111, ids: ['x'] },
    });
    expect(counts).toEqual({ email: 2, phone: 2, card: 1 });
  });
});
