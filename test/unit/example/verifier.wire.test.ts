/**
 * The verifier through the real client and SDKs against the fake provider: one
 * structured call for the known citations, and failing closed on everything else.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { SupportAgentError } from '../../../agents/errors.js';
import { createVerifier, decideVerdict } from '../../../agents/verifier.js';
import { lastContent, startAgentWire, type AgentWire } from './wire.js';

let wire: AgentWire;
beforeAll(async () => {
  wire = await startAgentWire();
});
beforeEach(() => wire.fake.reset());
afterAll(async () => {
  await wire.fake.close();
});

const SONNET = 'anthropic:claude-sonnet-4-6';
const verify = (draft: string) =>
  createVerifier()(draft, wire.context(SONNET, 'verifier')) as Promise<string>;

describe('decideVerdict', () => {
  test('supported only with at least one citation, all supported', () => {
    const yes = { id: 'a', supported: true, reason: 'ok' };
    const no = { id: 'b', supported: false, reason: 'no' };
    expect(decideVerdict([yes]).verdict).toBe('supported');
    expect(decideVerdict([yes, no]).verdict).toBe('unsupported');
    expect(decideVerdict([])).toEqual({ verdict: 'unsupported', citations: [] });
  });
});

describe('createVerifier', () => {
  test('checks the known citations in one structured call and returns the verdict as JSON', async () => {
    wire.fake.on(
      { api: 'anthropic.messages', model: 'claude-sonnet-4-6' },
      { json: { checks: [{ citation: 1, supported: false, reason: 'The passage gives 30 days, not 60.' }] } },
    );
    const output = await verify('You have 60 days to return unworn items [returns-window].');
    expect(output).toBe(
      '{"verdict":"unsupported","citations":[{"id":"returns-window","supported":false,"reason":"The passage gives 30 days, not 60."}]}',
    );
    expect(wire.fake.requests).toHaveLength(1);
    const req = wire.fake.requests[0]!;
    expect(req.body['tool_choice']).toEqual({ type: 'tool', name: 'citation_checks' });
    expect(lastContent(req)).toBe(
      '<draft>\nYou have 60 days to return unworn items [returns-window].\n</draft>\n\nCitations to check:\n\n' +
        '1. [returns-window]\nClaim: "You have 60 days to return unworn items."\n' +
        'Passage [returns-window] (Return window): Most items can be returned within 30 days of delivery for a refund ' +
        'or an exchange. The 30 days are counted from the delivery date shown in the tracking details. After 30 days ' +
        'we cannot accept a return for a refund or an exchange; a defect that shows up later is handled under the warranty.',
    );
  });

  test('an unknown passage id is unsupported without asking the model about it', async () => {
    wire.fake.on({}, { json: { checks: [{ citation: 1, supported: true, reason: 'Stated.' }] } });
    const output = JSON.parse(
      await verify(
        'Store credit never expires [refunds-method]. Everything has a lifetime guarantee [lifetime-guarantee].',
      ),
    );
    expect(output).toEqual({
      verdict: 'unsupported',
      citations: [
        { id: 'refunds-method', supported: true, reason: 'Stated.' },
        {
          id: 'lifetime-guarantee',
          supported: false,
          reason: 'There is no passage with id lifetime-guarantee in the knowledge base.',
        },
      ],
    });
    expect(lastContent(wire.fake.requests[0]!).match(/^\d+\. \[/gm)).toEqual(['1. [']);
  });

  test('a draft with no citations, or only unknown ones, makes no call', async () => {
    expect(await verify('Sure, we can refund that right away.')).toBe(
      '{"verdict":"unsupported","citations":[]}',
    );
    expect(JSON.parse(await verify('Lifetime guarantee [lifetime-guarantee].')).verdict).toBe('unsupported');
    expect(wire.fake.requests).toHaveLength(0);
  });

  test('a citation the model gives no verdict for is unsupported', async () => {
    wire.fake.on({}, { json: { checks: [{ citation: 2, supported: true, reason: 'Stated.' }] } });
    const output = JSON.parse(
      await verify('Thirty days [returns-window]. Labels cost $6.95 [returns-shipping-cost].'),
    );
    expect(output.citations).toEqual([
      { id: 'returns-window', supported: false, reason: 'The checker gave no verdict for this citation.' },
      { id: 'returns-shipping-cost', supported: true, reason: 'Stated.' },
    ]);
    expect(output.verdict).toBe('unsupported');
  });

  test('all citations supported: supported', async () => {
    wire.fake.on(
      {},
      {
        json: {
          checks: [
            { citation: 1, supported: true, reason: 'Stated.' },
            { citation: 2, supported: true, reason: 'Stated.' },
          ],
        },
      },
    );
    expect(
      JSON.parse(await verify('Thirty days [returns-window]. Labels cost $6.95 [returns-shipping-cost].'))
        .verdict,
    ).toBe('supported');
  });

  test('a reply in another shape is an error, not a verdict', async () => {
    wire.fake.on({}, { json: { verdicts: [] } });
    await expect(verify('Thirty days [returns-window].')).rejects.toThrow(
      new SupportAgentError(
        'E_VERIFIER_REPLY',
        `${SONNET} did not return citation checks in the requested shape (checks: Invalid input: expected array, received undefined); retry the request`,
      ),
    );
  });
});
