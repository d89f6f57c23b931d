/**
 * The drafter through the real client and SDKs against the fake provider:
 * retrieval into the prompt, streaming, the ticket tool round trip, the model
 * taken from the context, and the failures it reports.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createDrafter, type Draft } from '../../../agents/drafter.js';
import { SupportAgentError } from '../../../agents/errors.js';
import { DRY_RUN_DESK, type TicketDesk } from '../../../agents/tickets.js';
import { lastContent, messagesOf, startAgentWire, type AgentWire } from './wire.js';

let wire: AgentWire;
beforeAll(async () => {
  wire = await startAgentWire();
});
beforeEach(() => wire.fake.reset());
afterAll(async () => {
  await wire.fake.close();
});

const SONNET = 'anthropic:claude-sonnet-4-6';
const ids = (draft: Draft) => draft.context.map((c) => /^\[([^\]]+)\]/.exec(c)?.[1]);

describe('a plain answer', () => {
  test('retrieves, streams one call on the model from the context, and returns the passages', async () => {
    const reply = 'No: returns close 30 days after delivery [returns-window].';
    wire.fake.on({ api: 'anthropic.messages', model: 'claude-sonnet-4-6' }, { text: reply });
    const draft = (await createDrafter()('Can I return shoes after 40 days?', wire.context(SONNET))) as Draft;

    expect(draft.output).toBe(reply);
    expect(draft.toolCalls).toEqual([]);
    expect(ids(draft)).toEqual(['returns-window', 'returns-how-to', 'returns-gifts', 'returns-final-sale']);
    expect(draft.context[0]).toBe(
      '[returns-window] Return window: Most items can be returned within 30 days of delivery for a refund or an exchange. ' +
        'The 30 days are counted from the delivery date shown in the tracking details. After 30 days we cannot accept ' +
        'a return for a refund or an exchange; a defect that shows up later is handled under the warranty.',
    );
    expect(wire.fake.requests).toHaveLength(1);
    const [req] = wire.fake.requests;
    expect(req!.stream).toBe(true);
    expect((req!.body['tools'] as { name: string }[]).map((t) => t.name)).toEqual(['create_ticket']);
    expect(req!.body['tool_choice']).toEqual({ type: 'auto' });
    expect(String(req!.body['system'])).toContain(`Policy passages:\n${draft.context.join('\n')}`);
    expect(messagesOf(req!)).toEqual([{ role: 'user', content: 'Can I return shoes after 40 days?' }]);
  });

  test('an OpenAI model from the context goes to OpenAI: nothing is hard-coded', async () => {
    wire.fake.on(
      { api: 'openai.chat', model: 'gpt-5-mini' },
      { text: 'Standard takes 3 to 5 business days.' },
    );
    const draft = (await createDrafter()(
      'How long does standard shipping take?',
      wire.context('openai:gpt-5-mini'),
    )) as Draft;
    expect(draft.output).toBe('Standard takes 3 to 5 business days.');
    expect(wire.fake.requests.map((r) => [r.api, r.model, r.stream])).toEqual([
      ['openai.chat', 'gpt-5-mini', true],
    ]);
  });

  test('a question that matches no passage says so in the prompt and returns no context', async () => {
    wire.fake.on({}, { text: 'I can only help with orders and store policies.' });
    const draft = (await createDrafter()('xylophone quizzical', wire.context(SONNET))) as Draft;
    expect(draft.context).toEqual([]);
    expect(String(wire.fake.requests[0]!.body['system'])).toContain(
      'Policy passages:\n(no passage matched this question)',
    );
  });
});

describe('a conversation', () => {
  test('system turns become notes; retrieval reads every customer turn', async () => {
    wire.fake.on({}, { text: 'Gift refunds are store credit [returns-gifts].' });
    const draft = (await createDrafter()(
      [
        { role: 'system', content: 'The customer is signed in.' },
        { role: 'user', content: 'I want to return a jacket I got as a birthday present.' },
        {
          role: 'assistant',
          content: 'Happy birthday! Gifts can be returned within 30 days [returns-gifts].',
        },
        { role: 'user', content: 'Will the refund go back to my card?' },
      ],
      wire.context(SONNET),
    )) as Draft;
    expect(ids(draft)).toContain('returns-gifts');
    const req = wire.fake.requests[0]!;
    expect(String(req.body['system'])).toMatch(
      /Notes from the support platform:\nThe customer is signed in\.$/,
    );
    expect(messagesOf(req).map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
  });

  test('a conversation without a customer turn is refused', async () => {
    await expect(
      createDrafter()([{ role: 'assistant', content: 'Hello!' }], wire.context(SONNET)),
    ).rejects.toThrow(
      new SupportAgentError(
        'E_NO_QUESTION',
        "the conversation has no user message; end it with the customer's question",
      ),
    );
    expect(wire.fake.requests).toHaveLength(0);
  });
});

describe('the create_ticket tool', () => {
  const ticket = {
    category: 'shipping',
    summary: 'Parcel marked delivered but not received',
    priority: 'normal',
  } as const;

  test('runs the tool, hands the result back, and returns the call with the reply', async () => {
    const { id } = await DRY_RUN_DESK.create(ticket);
    wire.fake.on({}, { toolCalls: [{ name: 'create_ticket', arguments: ticket }] }, { times: 1 });
    wire.fake.on({}, (req) => ({ text: `Opened ${JSON.parse(lastContent(req)).ticket_id}.` }));
    const draft = (await createDrafter()(
      'Tracking says delivered but it is not here.',
      wire.context(SONNET),
    )) as Draft;

    expect(draft.output).toBe(`Opened ${id}.`);
    expect(draft.toolCalls.map((c) => [c.name, c.arguments])).toEqual([['create_ticket', ticket]]);
    expect(wire.fake.requests).toHaveLength(2);
    expect(lastContent(wire.fake.requests[1]!)).toBe(
      `{"ticket_id":"${id}","status":"open","reply_within":"1 business day"}`,
    );
    expect(wire.fake.requests.map((r) => r.stream)).toEqual([true, true]);
  });

  test('uses the desk it is given', async () => {
    const opened: unknown[] = [];
    const desk: TicketDesk = {
      async create(request) {
        opened.push(request);
        return { id: 'HD-42' };
      },
    };
    wire.fake.on({}, { toolCalls: [{ name: 'create_ticket', arguments: ticket }] }, { times: 1 });
    wire.fake.on({}, (req) => ({ text: lastContent(req) }));
    const draft = (await createDrafter({ desk })('My parcel is lost.', wire.context(SONNET))) as Draft;
    expect(opened).toEqual([ticket]);
    expect(draft.output).toBe('{"ticket_id":"HD-42","status":"open","reply_within":"1 business day"}');
  });

  test('an unknown tool gets an error result, not a crash', async () => {
    wire.fake.on({}, { toolCalls: [{ name: 'refund_now', arguments: {} }] }, { times: 1 });
    wire.fake.on({}, (req) => ({ text: lastContent(req) }));
    const draft = (await createDrafter()('Refund me.', wire.context(SONNET))) as Draft;
    expect(draft.output).toBe('{"error":"unknown tool refund_now; the only tool is create_ticket"}');
  });

  test('after maxToolRounds the model must answer in text', async () => {
    wire.fake.on({}, { toolCalls: [{ name: 'create_ticket', arguments: ticket }] }, { times: 1 });
    wire.fake.on({}, { text: 'Done.' });
    await createDrafter({ maxToolRounds: 1 })('My parcel is lost.', wire.context(SONNET));
    expect(wire.fake.requests.map((r) => r.body['tool_choice'])).toEqual([
      { type: 'auto' },
      { type: 'none' },
    ]);
  });
});

describe('failures', () => {
  test('a refusal is an error naming the model', async () => {
    wire.fake.on({}, { refusal: 'I cannot help with that.' });
    await expect(
      createDrafter()('How do I stop the marketing emails?', wire.context(SONNET)),
    ).rejects.toThrow(
      new SupportAgentError('E_REFUSED', `${SONNET} refused to draft a reply: I cannot help with that.`),
    );
  });

  test('an empty reply is an error', async () => {
    wire.fake.on({}, { text: '   ' });
    await expect(
      createDrafter()('How do I stop the marketing emails?', wire.context(SONNET)),
    ).rejects.toThrow(
      new SupportAgentError('E_EMPTY_REPLY', `${SONNET} returned an empty reply; retry the request`),
    );
  });
});
