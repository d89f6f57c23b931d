/**
 * The drafter: answers a customer's question from the policy knowledge base.
 * It retrieves the passages itself (BM25), drafts a reply with bracketed
 * citations in a streamed model call, may hand the request to a person with
 * the `create_ticket` tool, and returns the passages it used as `context`.
 * The model is whatever the caller's context names: it is never hard-coded.
 */
import {
  defineAgent,
  type Agent,
  type AgentContext,
  type ChatRequest,
  type ChatResponse,
} from '../src/index.js';
import { SupportAgentError } from './errors.js';
import { drafterSystemPrompt } from './drafter-prompt.js';
import { formatPassage, loadKnowledgeBase, type KnowledgeBase } from './kb.js';
import { Retriever } from './retrieval.js';
import { CREATE_TICKET, DRY_RUN_DESK, runCreateTicket, type TicketDesk } from './tickets.js';

type ChatMessage = ChatRequest['messages'][number];
type ToolCall = ChatResponse['choices'][number]['toolCalls'][number];
type AgentInput = Parameters<Agent>[0];

/** What the drafter returns: the reply, the passages it was given, the tools it called. */
export interface Draft {
  output: string;
  context: string[];
  toolCalls: ToolCall[];
}

/** How a drafter is wired. */
export interface DrafterOptions {
  /** The knowledge base; default the passages in agents/kb, read once on first use. */
  knowledgeBase?: (() => Promise<KnowledgeBase>) | undefined;
  /** Where tickets go; default `DRY_RUN_DESK` (no side effects). */
  desk?: TicketDesk | undefined;
  /** Passages retrieved per question. Default 4. */
  topK?: number | undefined;
  /** Model turns that may call tools before the reply must be text. Default 2. */
  maxToolRounds?: number | undefined;
  /** Output token budget per model call. Default 1024. */
  maxTokens?: number | undefined;
}

/**
 * A drafter agent.
 *
 * @example
 * const drafter = createDrafter({ desk: myHelpdesk })
 * const { output, context } = await drafter('Can I return shoes after 40 days?', ctx)
 */
export function createDrafter(options: DrafterOptions = {}): Agent {
  const load = options.knowledgeBase ?? (() => loadKnowledgeBase());
  const desk = options.desk ?? DRY_RUN_DESK;
  const maxToolRounds = options.maxToolRounds ?? 2;
  let retriever: Promise<Retriever> | undefined;

  return async (input: AgentInput, ctx: AgentContext): Promise<Draft> => {
    retriever ??= load().then((kb) => new Retriever(kb));
    const { messages, notes, question } = conversation(input);
    const passages = (await retriever).search(question, { topK: options.topK }).map((hit) => hit.passage);
    const system = drafterSystemPrompt(passages, notes);
    const toolCalls: ToolCall[] = [];

    for (let round = 0; ; round += 1) {
      const mayCallTools = round < maxToolRounds;
      const response = await ctx.client.chat({
        system,
        messages,
        tools: [CREATE_TICKET],
        toolChoice: mayCallTools ? 'auto' : 'none',
        maxTokens: options.maxTokens ?? 1024,
        stream: true,
        signal: ctx.signal,
      });
      const choice = response.choices[0];
      if (!choice)
        throw new SupportAgentError('E_NO_REPLY', `${ctx.model} returned no reply; retry the request`);
      if (choice.finishReason === 'refusal') {
        throw new SupportAgentError(
          'E_REFUSED',
          `${ctx.model} refused to draft a reply: ${choice.refusal ?? choice.text}`,
        );
      }
      if (choice.toolCalls.length === 0 || !mayCallTools) {
        const output = choice.text.trim();
        if (output === '') {
          throw new SupportAgentError(
            'E_EMPTY_REPLY',
            `${ctx.model} returned an empty reply; retry the request`,
          );
        }
        return { output, context: passages.map(formatPassage), toolCalls };
      }
      messages.push({ role: 'assistant', content: choice.text, toolCalls: choice.toolCalls });
      for (const call of choice.toolCalls) {
        toolCalls.push(call);
        messages.push({ role: 'tool', toolCallId: call.id, content: await runTool(call, desk, ctx.signal) });
      }
    }
  };
}

/** The conversation for the model, system notes apart, and the text to retrieve for. */
function conversation(input: AgentInput): { messages: ChatMessage[]; notes: string[]; question: string } {
  if (typeof input === 'string')
    return { messages: [{ role: 'user', content: input }], notes: [], question: input };
  const messages: ChatMessage[] = [];
  const notes: string[] = [];
  for (const m of input) {
    if (m.role === 'system') notes.push(m.content);
    else messages.push({ role: m.role, content: m.content });
  }
  // Retrieve for the whole customer side of the conversation: a follow-up ("Will it go
  // back to my card?") means little without the turn it follows.
  const question = input
    .filter((m) => m.role === 'user')
    .map((m) => m.content)
    .join('\n');
  if (question === '') {
    throw new SupportAgentError(
      'E_NO_QUESTION',
      "the conversation has no user message; end it with the customer's question",
    );
  }
  return { messages, notes, question };
}

async function runTool(call: ToolCall, desk: TicketDesk, signal: AbortSignal): Promise<string> {
  if (call.name === CREATE_TICKET.name) return runCreateTicket(call.arguments, desk, signal);
  return JSON.stringify({ error: `unknown tool ${call.name}; the only tool is ${CREATE_TICKET.name}` });
}

/** The drafter the rubric's `drafter` subject runs. */
export default defineAgent(createDrafter());
