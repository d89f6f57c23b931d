import type { TraceRecord } from './record.js';

/** How many of each kind `--redact` replaced. */
export interface RedactionCounts {
  email: number;
  phone: number;
  card: number;
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
/** 13-19 digits in a row, or grouped 4-4-4-1..7 / 4-6-4..5 with one consistent separator. */
const CARD =
  /(?<!\d)(?:\d{13,19}|\d{4}([ -])\d{4}\1\d{4}\1\d{1,4}(?:\1\d{1,3})?|\d{4}([ -])\d{6}\2\d{4,5})(?!\d)/g;
/** `+` country code and 7-14 more digits, in groups (E.164 is at most 15 digits). */
const INTERNATIONAL = /(?<![\w+])\+[1-9]\d{0,2}(?:[ .-]?(?:\(\d{1,4}\)|\d{1,5})){1,6}(?!\d)/g;
/** (555) 123-4567, 555-123-4567, 555.123.4567, 555 123 4567, 1-555-123-4567. */
const US = /(?<![\w+])(?:1[ .-]?)?(?:\(\d{3}\)[ .-]?|\d{3}[ .-])\d{3}[ .-]\d{4}(?!\d)/g;

/** No redactions yet. */
export function noRedactions(): RedactionCounts {
  return { email: 0, phone: 0, card: 0 };
}

/**
 * Replace emails, card numbers (13-19 digits passing the Luhn check) and phone
 * numbers (international `+` numbers, US formats) with `[email]`, `[card]`,
 * `[phone]`, counting each into `counts`.
 *
 * @example
 * const counts = noRedactions()
 * redactText('Mail ana@example.com or call +44 20 7946 0958', counts) // 'Mail [email] or call [phone]'
 * counts // { email: 1, phone: 1, card: 0 }
 */
export function redactText(text: string, counts: RedactionCounts): string {
  return text
    .replace(EMAIL, () => {
      counts.email += 1;
      return '[email]';
    })
    .replace(CARD, (match) => {
      const card = luhnPrefix(match);
      if (card === undefined) return match;
      counts.card += 1;
      return `[card]${match.slice(card.length)}`;
    })
    .replace(INTERNATIONAL, (match) => {
      const digits = match.replace(/\D/g, '').length;
      if (digits < 8 || digits > 15) return match;
      counts.phone += 1;
      return '[phone]';
    })
    .replace(US, () => {
      counts.phone += 1;
      return '[phone]';
    });
}

/**
 * Whether a digit string passes the Luhn check (what every card number does).
 *
 * @example
 * luhn('4111111111111111') // true
 * luhn('4111111111111112') // false
 */
export function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** The longest prefix of `match`, cut at a group boundary, that is 13-19 digits and passes Luhn. */
function luhnPrefix(match: string): string | undefined {
  const groups = match.split(/(?<=\d)(?=[ -])/);
  for (let n = groups.length; n >= 1; n--) {
    const prefix = groups.slice(0, n).join('');
    const digits = prefix.replace(/\D/g, '');
    if (digits.length >= 13 && digits.length <= 19 && luhn(digits)) return prefix;
  }
  return undefined;
}

/**
 * A trace with every string it will write scrubbed: the messages, the output,
 * the contexts and the string values of its metadata.
 *
 * @example
 * const counts = noRedactions()
 * redactTrace(record, counts).messages[0].content // 'My email is [email]'
 */
export function redactTrace(record: TraceRecord, counts: RedactionCounts): TraceRecord {
  const scrub = (text: string): string => redactText(text, counts);
  return {
    ...record,
    messages: record.messages.map((m) => ({ role: m.role, content: scrub(m.content) })),
    output: record.output === undefined ? undefined : scrub(record.output),
    context: record.context?.map(scrub),
    metadata: scrubValue(record.metadata, scrub) as Record<string, unknown>,
  };
}

function scrubValue(value: unknown, scrub: (text: string) => string): unknown {
  if (typeof value === 'string') return scrub(value);
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, scrub));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubValue(v, scrub)]));
  }
  return value;
}
