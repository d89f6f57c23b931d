/**
 * Test helpers: the real client and SDKs against the fake provider server on loopback.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createModelClient, type QualifyModelClient } from '../../../src/providers/client.js';
import { startFakeProvider, type FakeProvider, type RecordedRequest } from '../../fake-provider/index.js';

export interface Wire {
  fake: FakeProvider;
  client: QualifyModelClient;
}

/** A fake provider and a client pointed at it (cache off, no retries after faults). */
export async function startWire(): Promise<Wire> {
  const fake = await startFakeProvider();
  const client = createModelClient({
    cache: { mode: 'off', dir: join(tmpdir(), 'vitest-qualify-scorers-unused') },
    env: {
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: fake.openaiBaseURL,
      ANTHROPIC_API_KEY: 'sk-test',
      ANTHROPIC_BASE_URL: fake.anthropicBaseURL,
    },
    providers: { openai: { max_retries: 0 }, anthropic: { max_retries: 0 } },
  });
  return { fake, client };
}

/** The text of all messages of a recorded OpenAI chat request, system included. */
export function openaiPrompt(req: RecordedRequest): string {
  const messages = req.body['messages'] as { role: string; content: string }[];
  return messages.map((m) => m.content).join('\n');
}

/** Whether an OpenAI chat request carries a structured-output schema with this name. */
export function schemaNamed(name: string): (req: RecordedRequest) => boolean {
  return (req) => {
    const format = req.body['response_format'] as { json_schema?: { name?: string } } | undefined;
    return format?.json_schema?.name === name;
  };
}
