/**
 * The fake provider's answers in the scripted world: the agent's model (the one
 * being recorded) answers from `drafter.yaml` / `verifier.yaml`; the judge, the
 * faithfulness grader and the relevancy question generator answer what the world
 * says about those answers; embeddings are bag-of-words vectors.
 */
import { bagOfWords } from '../../test/fake-provider/eval-responder.js';
import type { RecordedRequest, Reply, Responder } from '../../test/fake-provider/index.js';
import { renderCaseInput, userInput } from '../../src/scorers/case-input.js';
import {
  fenced,
  judgeLogprobs,
  lastQuestion,
  lastUserText,
  schemaName,
  statementsOf,
  toolResult,
  type Body,
} from './wire.js';
import { MODELS, scoreOf, verifyAnswer, type DraftAnswer, type ModelName, type World } from './world.js';

/** A case as the responder needs it: its id, subject and input. */
export interface WorldCase {
  id: string;
  subject: string;
  input?: string | undefined;
  messages?: { role: 'user' | 'assistant' | 'system'; content: string }[] | undefined;
}

/** Which model the world is answering as; set it before each recording run. */
export interface WorldState {
  model: ModelName;
}

/**
 * The world's responder for `startFakeProvider({ fallback })`. Throws (the fake
 * answers 400, the run fails loudly) on any request the world does not script.
 *
 * @example
 * const state: WorldState = { model: 'sonnet-4-6' }
 * const fake = await startFakeProvider({ fallback: worldResponder(world, cases, state) })
 */
export function worldResponder(world: World, cases: readonly WorldCase[], state: WorldState): Responder {
  const byQuestion = new Map(cases.filter((c) => c.subject === 'drafter').map((c) => [userInput(c), c.id]));
  const byRendered = new Map(cases.map((c) => [renderCaseInput(c), c.id]));
  const byDraft = new Map(cases.filter((c) => c.subject === 'verifier').map((c) => [c.input ?? '', c.id]));
  const drafter = new Map(world.drafter.map((e) => [e.case, e]));
  const verifier = new Map(world.verifier.map((e) => [e.case, e]));
  /** Final replies sent, for the relevancy generator (which sees only the answer). */
  const replies = new Map<string, { answer: DraftAnswer; caseId: string }>();
  /** Judge prompts answered, to catch one output scored two ways. */
  const judged = new Map<string, string>();
  const unfaithful = world.drafter.flatMap((e) => [
    ...e['sonnet-4-6'].unfaithful,
    ...e['opus-4-7'].unfaithful,
  ]);
  const lookup = <T>(map: Map<string, T>, key: string, what: string): T => {
    const found = map.get(key);
    if (found === undefined)
      throw new Error(`the world has no ${what} for ${JSON.stringify(key.slice(0, 100))}`);
    return found;
  };

  const agent = (req: RecordedRequest, body: Body): Reply => {
    const expected = MODELS[state.model].split(':')[1];
    if (req.model !== expected) throw new Error(`the world is answering as ${expected}, not ${req.model}`);
    const caseId = lookup(byQuestion, lastQuestion(body), 'drafter case');
    const answer = lookup(drafter, caseId, 'drafter answers')[state.model];
    const result = toolResult(body);
    if (answer.ticket && result === undefined) {
      return { text: '', toolCalls: [{ name: 'create_ticket', arguments: answer.ticket }] };
    }
    const ticket =
      result === undefined ? undefined : (JSON.parse(result) as { ticket_id?: string }).ticket_id;
    if (answer.reply.includes('{ticket}') && !ticket)
      throw new Error(`${caseId}: the reply needs a ticket id`);
    const text = answer.reply.replace('{ticket}', ticket ?? '');
    replies.set(text.trim(), { answer, caseId });
    return { text };
  };

  const verify = (body: Body): Reply => {
    const prompt = lastUserText(body);
    const draft = /<draft>\n([\s\S]*?)\n<\/draft>/.exec(prompt)?.[1] ?? '';
    const caseId = lookup(byDraft, draft, 'verifier case');
    const answer = verifyAnswer(lookup(verifier, caseId, 'verifier answers'), state.model);
    const asked = prompt.match(/^\d+\. \[/gm)?.length ?? 0;
    if (asked !== answer.checks.length) {
      throw new Error(
        `${caseId}: the verifier asks about ${asked} citations, the world answers ${answer.checks.length}`,
      );
    }
    return {
      json: {
        checks: answer.checks.map(([supported, reason], i) => ({ citation: i + 1, supported, reason })),
      },
    };
  };

  const judge = (body: Body, prompt: string): Reply => {
    const caseId = lookup(byRendered, fenced(prompt, 'case_input') ?? '', 'case');
    const drafted = drafter.get(caseId);
    const verified = verifier.get(caseId);
    const scores = drafted
      ? drafted[state.model].scores
      : verified
        ? verifyAnswer(verified, state.model).scores
        : undefined;
    if (!scores) throw new Error(`the world has no scores for ${caseId}`);
    const texts = new Map([...prompt.matchAll(/^- id "([^"]+)": (.*)$/gm)].map((m) => [m[1]!, m[2]!]));
    const criteria = [...texts.keys()].map((id) => {
      const value = scores[id];
      if (value === undefined) throw new Error(`${caseId}: the world does not score criterion ${id}`);
      return { id, ...scoreOf(value, texts.get(id)!) };
    });
    const answer = JSON.stringify(criteria);
    const before = judged.get(prompt);
    if (before !== undefined && before !== answer) {
      throw new Error(
        `${caseId}: the same output is scored two ways; give both models the same scores or different outputs`,
      );
    }
    judged.set(prompt, answer);
    const json = { criteria: criteria.map(({ id, reason, score }) => ({ id, reason, score })) };
    return body['logprobs'] ? { json, logprobs: judgeLogprobs(JSON.stringify(json)) } : { json };
  };

  const relevancy = (body: Body, prompt: string): Reply => {
    const answerText = (fenced(prompt, 'agent_output') ?? '').trim();
    const { answer, caseId } = lookup(replies, answerText, 'reply');
    const c = cases.find((x) => x.id === caseId)!;
    const choice: Reply = {
      json: { question: answer.asked ?? userInput(c), noncommittal: answer.noncommittal ? 1 : 0 },
    };
    const n = typeof body['n'] === 'number' ? body['n'] : 1;
    return n > 1 ? { choices: Array.from({ length: n }, () => choice) } : choice;
  };

  return (req) => {
    const body = req.body as Body;
    if (req.api === 'openai.embeddings') return { embeddings: bagOfWords };
    const prompt = lastUserText(body);
    switch (schemaName(body)) {
      case 'citation_checks':
        return verify(body);
      case 'criteria_scores':
        return judge(body, prompt);
      case 'statements':
        return { json: { statements: statementsOf(fenced(prompt, 'agent_output') ?? '') } };
      case 'verdicts': {
        const statements = JSON.parse(fenced(prompt, 'statements') ?? '[]') as string[];
        return {
          json: {
            statements: statements.map((statement) => {
              const bad = unfaithful.some((phrase) => statement.includes(phrase));
              return {
                statement,
                reason: bad ? 'The context does not say this.' : 'Stated in the context.',
                verdict: bad ? 0 : 1,
              };
            }),
          },
        };
      }
      case 'generated_question':
        return relevancy(body, prompt);
      default:
        return agent(req, body);
    }
  };
}
