/**
 * Ready-made responders: the echo, for tests that only need some answer, and
 * the default fallback, which makes a missing script fail loudly.
 */
import { hashEmbedding } from './embeddings.js';
import { lastUserText } from './request-text.js';
import type { RecordedRequest, Reply, Responder } from './types.js';

/**
 * Answers chat requests with `echo: <last user message>` and embeddings
 * requests with `hashEmbedding` of each input (`dimensions` from the request, else 8).
 * It does not try to satisfy `response_format` or a forced tool.
 *
 * @example
 * const fake = await startFakeProvider({ fallback: echoResponder });
 */
export const echoResponder: Responder = (req: RecordedRequest): Reply => {
  if (req.api === 'openai.embeddings' || req.api === 'bedrock.embeddings') {
    const dims = req.body['dimensions'];
    const size = typeof dims === 'number' && Number.isInteger(dims) && dims > 0 ? dims : 8;
    return { embeddings: (input) => hashEmbedding(input, size) };
  }
  return { text: `echo: ${lastUserText(req.body)}` };
};

/**
 * The default fallback: a 400 naming the api and model no rule answered.
 *
 * @example
 * noScriptResponder(req); // { fault: { kind: 'status', status: 400, message: 'fake provider: no scripted reply for openai.chat model gpt-x' } }
 */
export const noScriptResponder: Responder = (req: RecordedRequest): Reply => ({
  fault: {
    kind: 'status',
    status: 400,
    message: `fake provider: no scripted reply for ${req.api} model ${req.model}`,
  },
});
