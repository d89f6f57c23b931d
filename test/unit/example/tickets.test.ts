/**
 * The create_ticket tool: argument checking and the dry-run desk.
 */
import { describe, expect, test } from 'vitest';
import { DRY_RUN_DESK, runCreateTicket, type TicketDesk } from '../../../agents/tickets.js';

const request = { category: 'shipping', summary: 'Parcel lost', priority: 'normal' } as const;

describe('DRY_RUN_DESK', () => {
  test('derives the id from the request: the same request, the same id', async () => {
    const first = await DRY_RUN_DESK.create(request);
    expect(first.id).toMatch(/^TCK-[0-9A-F]{6}$/);
    expect(await DRY_RUN_DESK.create({ ...request })).toEqual(first);
    expect((await DRY_RUN_DESK.create({ ...request, priority: 'urgent' })).id).not.toBe(first.id);
  });
});

describe('runCreateTicket', () => {
  test('opens the ticket and returns what the model reads next', async () => {
    const desk: TicketDesk = { create: async () => ({ id: 'TCK-1' }) };
    expect(await runCreateTicket(request, desk)).toBe(
      '{"ticket_id":"TCK-1","status":"open","reply_within":"1 business day"}',
    );
  });

  test('bad arguments become an error result, and no ticket is opened', async () => {
    const opened: unknown[] = [];
    const desk: TicketDesk = {
      create: async (r) => {
        opened.push(r);
        return { id: 'x' };
      },
    };
    expect(await runCreateTicket({ ...request, category: 'billing' }, desk)).toBe(
      '{"error":"invalid arguments: category: Invalid option: expected one of \\"returns\\"|\\"shipping\\"|\\"warranty\\"|\\"privacy\\"|\\"other\\""}',
    );
    expect(await runCreateTicket(undefined, desk)).toBe(
      '{"error":"invalid arguments: Invalid input: expected object, received undefined"}',
    );
    expect(opened).toEqual([]);
  });
});
