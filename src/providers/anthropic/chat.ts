/**
 * One Anthropic Messages call, streamed or not, on any client of the
 * `@anthropic-ai/sdk` family: `Anthropic` itself, and `AnthropicVertex`
 * (`@anthropic-ai/vertex-sdk`), which sends the same body to Vertex AI.
 */
import type { Messages } from '@anthropic-ai/sdk/resources/messages';
import type { AdapterChatResult, Attempt } from '../adapter.js';
import { startAttempt } from '../attempt-scope.js';
import { abortError, toProviderError, unreadableResponse } from '../sdk-call.js';
import type { CallTarget, SdkErrorClasses } from '../sdk-call.js';
import type { ChatRequest, ModelRef } from '../types.js';
import { AnthropicStreamAssembler } from './stream.js';
import { readAnthropicMessage, toAnthropicParams, toAnthropicResult } from './wire.js';
import type { AnthropicReply } from './wire.js';

/** What a call needs of its client: the messages resource. */
export interface MessagesClient {
  messages: Pick<Messages, 'create'>;
}

/**
 * One attempt (SDK retries off) of a chat request; errors come out as `ProviderError`s.
 *
 * @example
 * const result = await anthropicChat({ client, sdk: Anthropic, target, ref, request, attempt, now: performance.now })
 */
export async function anthropicChat(call: {
  client: MessagesClient;
  sdk: SdkErrorClasses;
  target: CallTarget;
  ref: ModelRef;
  request: ChatRequest;
  attempt: Attempt;
  now: () => number;
}): Promise<AdapterChatResult> {
  const { client, sdk, target, ref, request, attempt, now } = call;
  const params = toAnthropicParams(ref.model, request);
  const schemaTool = request.responseSchema?.name;
  const scope = startAttempt(attempt);
  const options = { timeout: attempt.timeoutMs, signal: scope.signal, maxRetries: 0 };
  const started = now();
  try {
    let reply: AnthropicReply | undefined;
    let requestId: string | undefined;
    let timeToFirstTokenMs: number | undefined;
    if (request.stream === true) {
      const { data: stream, request_id } = await client.messages
        .create({ ...params, stream: true }, options)
        .withResponse();
      requestId = request_id ?? undefined;
      const assembler = new AnthropicStreamAssembler();
      for await (const event of stream) {
        if (assembler.add(event)) timeToFirstTokenMs = now() - started;
      }
      const aborted = abortError(scope, target);
      if (aborted) throw aborted;
      reply = assembler.finish();
      if (!reply) throw unreadableResponse(target, 'stream ended early, without message_stop', requestId);
    } else {
      const { data, request_id } = await client.messages
        .create({ ...params, stream: false }, options)
        .withResponse();
      requestId = request_id ?? undefined;
      reply = readAnthropicMessage(data);
      if (!reply) throw unreadableResponse(target, 'a 200 that is not a message', requestId);
    }
    const result = toAnthropicResult(reply, schemaTool);
    if (!result) throw unreadableResponse(target, 'a 200 with no content blocks', requestId);
    return {
      model: ref.model,
      choices: [result.choice],
      inputTokens: result.inputTokens,
      outputTokens: result.outputTokens,
      requestId,
      timeToFirstTokenMs,
    };
  } catch (error) {
    throw toProviderError(error, target, scope, sdk);
  } finally {
    scope.dispose();
  }
}
