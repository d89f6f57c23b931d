/**
 * The verifier: a citation-checking subagent. Given a draft reply, it checks
 * every bracketed citation against the passage it names, with one structured
 * model call, and returns a JSON verdict:
 * `{ "verdict": "supported" | "unsupported", "citations": [{ id, supported, reason }] }`.
 * It fails closed: an unknown passage id, a citation the model gave no verdict
 * for, or a draft with no citations at all makes the verdict `unsupported`.
 */
import { defineAgent, type Agent, type AgentContext } from '../src/index.js';
import { parseCitations, type Citation } from './citations.js';
import { SupportAgentError } from './errors.js';
import { loadKnowledgeBase, type KnowledgeBase } from './kb.js';
import { CitationChecksSchema, citationCheckRequest, type CitationToCheck } from './verifier-prompt.js';

type AgentInput = Parameters<Agent>[0];

/** The verdict on one citation. */
export interface CitationVerdict {
  id: string;
  supported: boolean;
  reason: string;
}

/** The verifier's answer, serialised as its output. */
export interface Verification {
  verdict: 'supported' | 'unsupported';
  citations: CitationVerdict[];
}

/** How a verifier is wired. */
export interface VerifierOptions {
  /** The knowledge base; default the passages in agents/kb, read once on first use. */
  knowledgeBase?: (() => Promise<KnowledgeBase>) | undefined;
}

/**
 * The verdict of a draft from its citation verdicts: supported only when there is
 * at least one citation and every one is supported.
 *
 * @example
 * decideVerdict([{ id: 'returns-window', supported: true, reason: 'States 30 days.' }]).verdict // 'supported'
 * decideVerdict([]).verdict // 'unsupported'
 */
export function decideVerdict(citations: CitationVerdict[]): Verification {
  const supported = citations.length > 0 && citations.every((c) => c.supported);
  return { verdict: supported ? 'supported' : 'unsupported', citations };
}

/**
 * A verifier agent.
 *
 * @example
 * const verify = createVerifier()
 * JSON.parse(await verify('Returns close after 60 days [returns-window].', ctx)).verdict // 'unsupported'
 */
export function createVerifier(options: VerifierOptions = {}): Agent {
  let kb: Promise<KnowledgeBase> | undefined;
  const load = options.knowledgeBase ?? (() => loadKnowledgeBase());

  return async (input: AgentInput, ctx: AgentContext): Promise<string> => {
    kb ??= load();
    const draft = draftOf(input);
    const base = await kb;
    const citations = parseCitations(draft);
    const known: CitationToCheck[] = [];
    for (const citation of citations) {
      const passage = base.get(citation.id);
      if (passage) known.push({ citation, passage });
    }
    const checked =
      known.length > 0 ? await checkCitations(draft, known, ctx) : new Map<Citation, CitationVerdict>();
    const verdicts = citations.map(
      (citation): CitationVerdict =>
        checked.get(citation) ?? {
          id: citation.id,
          supported: false,
          reason: `There is no passage with id ${citation.id} in the knowledge base.`,
        },
    );
    return JSON.stringify(decideVerdict(verdicts));
  };
}

/** One structured call; every citation the model leaves out is unsupported. */
async function checkCitations(
  draft: string,
  items: CitationToCheck[],
  ctx: AgentContext,
): Promise<Map<Citation, CitationVerdict>> {
  const response = await ctx.client.chat({ ...citationCheckRequest(draft, items), signal: ctx.signal });
  const choice = response.choices[0];
  const parsed = CitationChecksSchema.safeParse(choice?.parsed);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw new SupportAgentError(
      'E_VERIFIER_REPLY',
      `${ctx.model} did not return citation checks in the requested shape (${where}${issue?.message ?? 'no reply'}); retry the request`,
    );
  }
  const byNumber = new Map(parsed.data.checks.map((check) => [check.citation, check]));
  return new Map(
    items.map(({ citation }, i) => {
      const check = byNumber.get(i + 1);
      const verdict: CitationVerdict = check
        ? { id: citation.id, supported: check.supported, reason: check.reason }
        : { id: citation.id, supported: false, reason: 'The checker gave no verdict for this citation.' };
      return [citation, verdict];
    }),
  );
}

function draftOf(input: AgentInput): string {
  if (typeof input === 'string') return input;
  const last = input.findLast((m) => m.role === 'user');
  if (!last)
    throw new SupportAgentError('E_NO_DRAFT', 'the verifier needs the draft as the last user message');
  return last.content;
}

/** The verifier the rubric's `verifier` subject runs. */
export default defineAgent(createVerifier());
