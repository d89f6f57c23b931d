/**
 * Replies as the example's cassettes recorded them, served live by the fake provider: the judge as it
 * answered (for the drift probe, whose calls are keyed by the day and never come from a cassette), and
 * the example's agent model as it answered, for a candidate on another provider that should behave
 * exactly like the recorded one (the example switched to Bedrock or Vertex by one line).
 */
import { readFile } from 'node:fs/promises';
import type { RecordedRequest, Responder } from '../fake-provider/index.js';

interface CassetteEntry {
  request: { messages: NeutralMessage[] };
  response: {
    choices: { text: string; toolCalls?: { name: string; arguments: unknown; rawArguments?: string }[] }[];
  };
}

/** A message of a cassette's request, in the vendor-neutral shape the client stores. */
export interface NeutralMessage {
  role: 'user' | 'assistant' | 'tool';
  content: string;
  toolCalls?: { name: string; arguments: unknown }[] | undefined;
}

async function entries(cassette: string): Promise<CassetteEntry[]> {
  const lines = (await readFile(cassette, 'utf8')).split('\n').slice(1);
  return lines.filter((line) => line.trim()).map((line) => JSON.parse(line) as CassetteEntry);
}

/** JSON with object keys sorted: a cassette's request keeps arguments sorted, a live request as written. */
function sorted(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** The turns of a conversation without what differs by vendor or run: ids, empty texts, the system prompt. */
export function conversationKey(messages: readonly NeutralMessage[]): string {
  const turns: string[] = [];
  for (const message of messages) {
    if (message.content !== '') turns.push(`${message.role}: ${message.content}`);
    for (const call of message.toolCalls ?? []) turns.push(`call ${call.name} ${sorted(call.arguments)}`);
  }
  return JSON.stringify(turns);
}

/**
 * The judge as it answered when the cassettes were recorded: an OpenAI request whose messages match a
 * recorded one gets its recorded reply; any other is a 400.
 */
export async function recordedJudge(cassette: string): Promise<Responder> {
  const byPrompt = new Map<string, string>();
  const prompt = (messages: readonly { content?: unknown }[]) =>
    JSON.stringify(messages.map((m) => m.content));
  for (const entry of await entries(cassette)) {
    byPrompt.set(prompt(entry.request.messages), entry.response.choices[0]!.text);
  }
  return (req: RecordedRequest) => {
    const messages = (req.body['messages'] as { role: string; content: unknown }[]).filter(
      (m) => m.role !== 'system' && m.role !== 'developer',
    );
    const text = byPrompt.get(prompt(messages));
    if (typeof text !== 'string') return { fault: { kind: 'status', status: 400, message: 'not recorded' } };
    return { text };
  };
}

/**
 * The agent model of `cassette`, answering on another vendor's wire: `toNeutral` reads that vendor's
 * request body back into neutral messages, and a conversation the cassette holds (same turns, same tool
 * calls and results) gets its recorded text and tool calls. Any other is a 400 naming the turns.
 */
export async function recordedAgent(
  cassette: string,
  toNeutral: (body: RecordedRequest['body']) => NeutralMessage[],
): Promise<Responder> {
  const byConversation = new Map<string, CassetteEntry['response']['choices'][number]>();
  for (const entry of await entries(cassette)) {
    byConversation.set(conversationKey(entry.request.messages), entry.response.choices[0]!);
  }
  return (req: RecordedRequest) => {
    const key = conversationKey(toNeutral(req.body));
    const choice = byConversation.get(key);
    if (choice === undefined) {
      return { fault: { kind: 'status', status: 400, message: `not recorded: ${key.slice(0, 300)}` } };
    }
    // The arguments as the model wrote them: their key order is what the judge was shown.
    const toolCalls = (choice.toolCalls ?? []).map((call) => ({
      name: call.name,
      arguments:
        call.rawArguments === undefined ? call.arguments : (JSON.parse(call.rawArguments) as unknown),
    }));
    return toolCalls.length > 0 ? { text: choice.text, toolCalls } : { text: choice.text };
  };
}

type ConverseBlock = {
  text?: string;
  toolUse?: { name: string; input: unknown };
  toolResult?: { content: { text?: string }[] };
};

/** Bedrock Converse `messages` as neutral messages. */
export function converseToNeutral(body: RecordedRequest['body']): NeutralMessage[] {
  const out: NeutralMessage[] = [];
  for (const message of body['messages'] as { role: 'user' | 'assistant'; content: ConverseBlock[] }[]) {
    const text = message.content.flatMap((block) => (block.text === undefined ? [] : [block.text])).join('');
    const calls = message.content.flatMap((block) =>
      block.toolUse ? [{ name: block.toolUse.name, arguments: block.toolUse.input }] : [],
    );
    const results = message.content.flatMap((block) =>
      block.toolResult ? [block.toolResult.content.map((c) => c.text ?? '').join('')] : [],
    );
    if (text !== '' || calls.length > 0) out.push({ role: message.role, content: text, toolCalls: calls });
    for (const result of results) out.push({ role: 'tool', content: result });
  }
  return out;
}

type GeminiPart = {
  text?: string;
  functionCall?: { name: string; args?: unknown };
  functionResponse?: { name: string; response?: { output?: unknown } };
};

/** Vertex Gemini `contents` as neutral messages. */
export function geminiToNeutral(body: RecordedRequest['body']): NeutralMessage[] {
  const out: NeutralMessage[] = [];
  for (const content of body['contents'] as { role: 'user' | 'model'; parts: GeminiPart[] }[]) {
    const role = content.role === 'model' ? 'assistant' : 'user';
    const text = content.parts.flatMap((part) => (part.text === undefined ? [] : [part.text])).join('');
    const calls = content.parts.flatMap((part) =>
      part.functionCall ? [{ name: part.functionCall.name, arguments: part.functionCall.args ?? {} }] : [],
    );
    const results = content.parts.flatMap((part) =>
      part.functionResponse ? [String(part.functionResponse.response?.output ?? '')] : [],
    );
    if (text !== '' || calls.length > 0) out.push({ role, content: text, toolCalls: calls });
    for (const result of results) out.push({ role: 'tool', content: result });
  }
  return out;
}
