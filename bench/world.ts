/**
 * The benchmark's provider: the fake provider server on loopback answering as
 * the scripted eval world (`evalResponder`), with every exchange logged: what
 * it was for, when it arrived and when it was answered (the server's in-flight
 * window), and its tokens.
 */
import { evalResponder, type EvalScript } from '../test/fake-provider/eval-responder.js';
import { startFakeProvider, type FakeProvider } from '../test/fake-provider/index.js';
import { choiceReplies } from '../test/fake-provider/openai-chat.js';
import { outputText } from '../test/fake-provider/replies.js';
import { embeddingInputs, lastUserText, requestText } from '../test/fake-provider/request-text.js';
import { estimateTokens } from '../test/fake-provider/tokens.js';
import type { ChatReply, RecordedRequest, Reply } from '../test/fake-provider/types.js';

/** What a model call was for, read off the wire. */
export type WirePurpose = 'agent' | 'judge' | 'faithfulness' | 'answer_relevancy' | 'embeddings';

/** One answered request. */
export interface Exchange {
  purpose: WirePurpose;
  /** Arrival at the server, epoch ms. */
  start: number;
  /** The answer was ready (after the latency), epoch ms. */
  end: number;
  inputTokens: number;
  outputTokens: number;
  /** Bytes of the JSON request body. */
  requestBytes: number;
  /** The last user message, or the embeddings inputs joined: which case the call was for. */
  text: string;
}

/** The fake provider and its log. */
export interface World extends AsyncDisposable {
  fake: FakeProvider;
  log: Exchange[];
  /** The environment that points a Vitest run at this world (no response cache unless `cache` is given). */
  env(cache?: 'off' | 'auto' | 'record' | 'replay'): Record<string, string>;
  /** Forget the log and the fake's counters (the script stays). */
  reset(): void;
  /** Answer as `script` from now on (the default: every answer `[score=9]`, no noise). */
  use(script: EvalScript): void;
  /** Called once, when the first request after `reset()` arrives. */
  onFirstRequest: (() => void) | undefined;
}

/**
 * Classify a request by its structured-output schema name.
 *
 * @example
 * purposeOf({ api: 'openai.embeddings', body: {} }) // 'embeddings'
 */
export function purposeOf(req: Pick<RecordedRequest, 'api' | 'body'>): WirePurpose {
  if (req.api === 'openai.embeddings') return 'embeddings';
  const format = req.body['response_format'] as { json_schema?: { name?: string } } | undefined;
  switch (format?.json_schema?.name) {
    case 'criteria_scores':
      return 'judge';
    case 'statements':
    case 'verdicts':
      return 'faithfulness';
    case 'generated_question':
      return 'answer_relevancy';
    default:
      return 'agent';
  }
}

/** The usage the fake would report (characters / 4 of the prompt and of every choice), made explicit. */
function withUsage(reply: Reply, req: RecordedRequest): { reply: Reply; input: number; output: number } {
  if (req.api === 'openai.embeddings') {
    const input = embeddingInputs(req.body).reduce((sum, text) => sum + estimateTokens(text), 0);
    return { reply, input, output: 0 };
  }
  const chat = reply as ChatReply;
  const n = typeof req.body['n'] === 'number' ? Math.max(1, Math.floor(req.body['n'])) : 1;
  const input = estimateTokens(requestText(req.body));
  const output = choiceReplies(chat, n).reduce((sum, choice) => sum + estimateTokens(outputText(choice)), 0);
  return { reply: { ...chat, usage: { input, output } }, input, output };
}

/**
 * Start the world: every request waits `latencyMs`, then `evalResponder` answers it.
 *
 * @example
 * await using world = await startWorld(200)
 * await measureVitest(project.dir, ['run', '--project', 'eval'], world.env())
 */
export async function startWorld(latencyMs: number): Promise<World> {
  const log: Exchange[] = [];
  let script: EvalScript = {};
  let respond = evalResponder(script);
  let first = true;
  const fake = await startFakeProvider({
    latencyMs,
    fallback: async (req) => {
      if (first) {
        first = false;
        world.onFirstRequest?.();
      }
      const answered = withUsage(await respond(req), req);
      log.push({
        purpose: purposeOf(req),
        start: req.at,
        end: Date.now(),
        inputTokens: answered.input,
        outputTokens: answered.output,
        requestBytes: Buffer.byteLength(JSON.stringify(req.body)),
        text: req.api === 'openai.embeddings' ? embeddingInputs(req.body).join('\n') : lastUserText(req.body),
      });
      return answered.reply;
    },
  });
  const world: World = {
    fake,
    log,
    onFirstRequest: undefined,
    env: (cache = 'off') => ({
      OPENAI_API_KEY: 'sk-bench',
      OPENAI_BASE_URL: fake.openaiBaseURL,
      QUALIFY_CACHE: cache,
    }),
    reset() {
      log.length = 0;
      fake.reset();
      respond = evalResponder(script);
      first = true;
      world.onFirstRequest = undefined;
    },
    use(next) {
      script = next;
      respond = evalResponder(script);
    },
    async [Symbol.asyncDispose]() {
      await fake.close();
    },
  };
  return world;
}
