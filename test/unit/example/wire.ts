/**
 * Test helpers: the example agents against the fake provider, through the real
 * model client and SDKs, with the context the plugin would hand them.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentContext } from '../../../src/index.js';
import { createModelClient, type QualifyModelClient } from '../../../src/providers/client.js';
import { bindClient } from '../../../src/run/agent.js';
import { startFakeProvider, type FakeProvider, type RecordedRequest } from '../../fake-provider/index.js';

export interface AgentWire {
  fake: FakeProvider;
  client: QualifyModelClient;
  /** The context of one case run on `model`. */
  context(model: string, subject?: string): AgentContext;
}

/** A fake provider and a client pointed at it (cache off, no retries). */
export async function startAgentWire(): Promise<AgentWire> {
  const fake = await startFakeProvider();
  const client = createModelClient({
    cache: { mode: 'off', dir: join(tmpdir(), 'vitest-qualify-example-unused') },
    env: {
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: fake.openaiBaseURL,
      ANTHROPIC_API_KEY: 'sk-ant-test',
      ANTHROPIC_BASE_URL: fake.anthropicBaseURL,
    },
    providers: { openai: { max_retries: 0 }, anthropic: { max_retries: 0 } },
  });
  return {
    fake,
    client,
    context(model, subject = 'drafter') {
      const signal = new AbortController().signal;
      return {
        model,
        client: bindClient(client, model, signal, 0),
        signal,
        case: { id: 'unit', subject, tags: [] },
        trial: 0,
      };
    },
  };
}

type Message = { role: string; content: unknown };

/** The messages of a recorded request. */
export function messagesOf(req: RecordedRequest): Message[] {
  return req.body['messages'] as Message[];
}

/** The text of the last message of a recorded request (a tool result's content on Anthropic). */
export function lastContent(req: RecordedRequest): string {
  const content = messagesOf(req).at(-1)?.content;
  if (typeof content === 'string') return content;
  const block = (content as { type: string; text?: string; content?: string }[])[0];
  return block?.text ?? block?.content ?? '';
}
