/**
 * The drafter's one tool: hand a request to a person by opening a support ticket.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { ChatRequest } from '../src/index.js';

/** A tool as the model client takes it. */
export type ToolSpec = NonNullable<ChatRequest['tools']>[number];

/**
 * `create_ticket`: what the model may ask for.
 *
 * @example
 * await ctx.client.chat({ messages, tools: [CREATE_TICKET] })
 */
export const CREATE_TICKET: ToolSpec = {
  name: 'create_ticket',
  description:
    'Hand the request to a human support agent. Use it for address changes, lost or damaged parcels, ' +
    'warranty claims, privacy requests, and questions the policy passages do not answer.',
  parameters: {
    type: 'object',
    properties: {
      category: { type: 'string', enum: ['returns', 'shipping', 'warranty', 'privacy', 'other'] },
      summary: { type: 'string', description: 'One sentence for the agent; no email addresses.' },
      priority: { type: 'string', enum: ['normal', 'urgent'] },
    },
    required: ['category', 'summary', 'priority'],
    additionalProperties: false,
  },
};

const TicketRequestSchema = z.strictObject({
  category: z.enum(['returns', 'shipping', 'warranty', 'privacy', 'other']),
  summary: z.string().trim().min(1).max(500),
  priority: z.enum(['normal', 'urgent']),
});
/** What `create_ticket` takes, checked. */
export type TicketRequest = z.infer<typeof TicketRequestSchema>;

/** Where tickets go: your helpdesk in production. */
export interface TicketDesk {
  create(request: TicketRequest, signal?: AbortSignal): Promise<{ id: string }>;
}

/**
 * A desk that opens nothing: the ticket id is derived from the request, so a
 * qualification run (and its recorded cassettes) never files real tickets and
 * always sees the same id. Pass your helpdesk client to `createDrafter` in production.
 *
 * @example
 * await DRY_RUN_DESK.create({ category: 'shipping', summary: 'Parcel lost', priority: 'normal' }) // { id: 'TCK-…' }
 */
export const DRY_RUN_DESK: TicketDesk = {
  async create(request) {
    const digest = createHash('sha256').update(JSON.stringify(request)).digest('hex');
    return { id: `TCK-${digest.slice(0, 6).toUpperCase()}` };
  },
};

/**
 * Run one `create_ticket` call: the tool result the model reads next, as JSON text.
 * Bad arguments become an error result the model can correct, not an exception.
 *
 * @example
 * await runCreateTicket({ category: 'other', summary: 'Price match?', priority: 'normal' }, DRY_RUN_DESK)
 * // '{"ticket_id":"TCK-…","status":"open","reply_within":"1 business day"}'
 */
export async function runCreateTicket(
  args: unknown,
  desk: TicketDesk,
  signal?: AbortSignal,
): Promise<string> {
  const parsed = TicketRequestSchema.safeParse(args);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    return JSON.stringify({ error: `invalid arguments: ${where}${issue?.message ?? 'unreadable'}` });
  }
  const { id } = await desk.create(parsed.data, signal);
  return JSON.stringify({ ticket_id: id, status: 'open', reply_within: '1 business day' });
}
