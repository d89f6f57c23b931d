import path from 'node:path';
import { QualifyError } from '../errors.js';
import { ModelRefusalError } from '../providers/errors.js';
import type { ImportModule } from '../scorers/checks/javascript.js';
import type {
  ChatRequest,
  ChatResponse,
  EmbedRequest,
  EmbedResponse,
  ModelClient,
  ToolCall,
} from '../providers/types.js';

/** One turn of a case given as `messages`. */
export interface AgentMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** A chat request whose model defaults to the candidate (`model_primary` or `QUALIFY_MODEL`). */
export type AgentChatRequest = Omit<ChatRequest, 'model'> & { model?: string | undefined };

/** The model client handed to an agent, bound to the model under qualification. */
export interface AgentClient {
  chat(request: AgentChatRequest): Promise<ChatResponse>;
  embed(request: Omit<EmbedRequest, 'model'> & { model: string }): Promise<EmbedResponse>;
}

/** What an agent receives besides the case input. */
export interface AgentContext {
  /** The model under qualification, `provider:model`. Never hard-code one in an agent. */
  model: string;
  client: AgentClient;
  /** Aborted when the case times out. Pass it on to long work. */
  signal: AbortSignal;
  case: { id: string; subject: string; node?: string | undefined; tags: string[]; metadata?: unknown };
  /** 0-based trial number when the rubric sets `repeats`. */
  trial: number;
}

/** What an agent returns: its answer, optionally with the passages it used and its tool calls. */
export type AgentReturn = string | { output: string; context?: string[]; toolCalls?: ToolCall[] };

/** An agent under qualification: the default export of a subject's `entry` module. */
export type Agent = (input: string | AgentMessage[], ctx: AgentContext) => AgentReturn | Promise<AgentReturn>;

/**
 * Types an agent module's default export.
 *
 * @example
 * export default defineAgent(async (input, { client }) => (await client.chat({ messages: [{ role: 'user', content: String(input) }] })).choices[0]!.text)
 */
export function defineAgent(agent: Agent): Agent {
  return agent;
}

/**
 * The agent threw, or returned something that is not an answer (`E_AGENT`), or
 * its module has no default export to call (`E_AGENT_ENTRY`: a setup error).
 */
export class AgentError extends QualifyError {
  constructor(message: string, options?: { cause?: unknown; code?: 'E_AGENT' | 'E_AGENT_ENTRY' }) {
    super(options?.code ?? 'E_AGENT', message, options);
  }
}

/**
 * Load a subject's agent module with `importModule` (in a run, the case file's
 * loader, so the module goes through Vite); its default export must be a function.
 */
export async function loadAgent(entry: string, root: string, importModule: ImportModule): Promise<Agent> {
  const mod = await importModule(entry);
  if (typeof mod.default !== 'function') {
    const name = path.relative(root, entry);
    throw new AgentError(
      `${name} does not export a default function: add \`export default defineAgent(async (input, ctx) => ...)\``,
      { code: 'E_AGENT_ENTRY' },
    );
  }
  return mod.default as Agent;
}

/** The agent used when a subject has no `entry`: the case input straight to the model with the rubric's system prompt. */
export function promptAgent(systemPrompt: string | undefined): Agent {
  return async (input, ctx) => {
    const messages = typeof input === 'string' ? [{ role: 'user' as const, content: input }] : input;
    const system = [systemPrompt, ...messages.filter((m) => m.role === 'system').map((m) => m.content)]
      .filter(Boolean)
      .join('\n\n');
    const response = await ctx.client.chat({
      system: system || undefined,
      messages: messages.flatMap((m) =>
        m.role === 'system' ? [] : [{ role: m.role, content: m.content } as ChatRequest['messages'][number]],
      ),
    });
    const choice = response.choices[0];
    if (!choice) throw new AgentError(`${ctx.model} returned no answer`);
    if (choice.finishReason === 'refusal' || choice.refusal) {
      const [provider = '', ...rest] = ctx.model.split(':');
      throw new ModelRefusalError(choice.refusal ?? choice.text, { provider, model: rest.join(':') });
    }
    return choice.text;
  };
}

/** Bind the shared client to the candidate model, the case's signal and trial (part of the cache key). */
export function bindClient(
  client: ModelClient,
  model: string,
  signal: AbortSignal,
  trial: number,
): AgentClient {
  // Object.assign, not a spread with added properties: on Node 20 that costs about 20 us per request
  // and leaves an object that is slow to read (the client reads every key for the cache key).
  return {
    chat: (request) =>
      client.chat(
        Object.assign({}, request, {
          model: request.model ?? model,
          signal: request.signal ?? signal,
          purpose: request.purpose ?? 'agent',
          trial: trial > 0 ? trial : request.trial,
        }),
      ),
    embed: (request) =>
      client.embed(
        Object.assign({}, request, { signal: request.signal ?? signal, purpose: 'agent' as const }),
      ),
  };
}

/** Check and normalise what an agent returned. */
export function normaliseReturn(
  value: unknown,
  where: string,
): { output: string; context?: string[]; toolCalls?: ToolCall[] } {
  if (typeof value === 'string') return { output: value };
  if (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { output?: unknown }).output === 'string'
  ) {
    const v = value as { output: string; context?: unknown; toolCalls?: unknown };
    const context = v.context;
    if (context !== undefined && !(Array.isArray(context) && context.every((c) => typeof c === 'string'))) {
      throw new AgentError(
        `${where} returned a context that is not a list of strings: return context: string[]`,
      );
    }
    if (v.toolCalls !== undefined && !Array.isArray(v.toolCalls)) {
      throw new AgentError(`${where} returned toolCalls that is not a list: return toolCalls: ToolCall[]`);
    }
    return {
      output: v.output,
      ...(context !== undefined ? { context: context as string[] } : {}),
      ...(v.toolCalls !== undefined ? { toolCalls: v.toolCalls as ToolCall[] } : {}),
    };
  }
  const shown = JSON.stringify(value)?.slice(0, 80) ?? String(value);
  throw new AgentError(
    `${where} returned ${shown}: return a string or { output: string, context?: string[], toolCalls?: ToolCall[] }`,
  );
}
