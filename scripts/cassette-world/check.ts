/**
 * What makes the world usable for a case set: every case answered by every
 * model, every criterion scored, a ticket exactly where the case checks for
 * one, nothing scripted for a case that does not exist. Pure: the world and the
 * cases in, the problems out.
 */
import { MODEL_NAMES, verifyAnswer, type DraftEntry, type VerifyEntry, type World } from './world.js';

/** The part of a case the check reads. */
export interface CaseShape {
  id: string;
  subject: string;
  criteria: { id: string }[];
  checks: { kind: string }[];
}

type Subject = 'drafter' | 'verifier';

function duplicatesAndStrays(name: Subject, entries: { case: string }[], ids: Set<string>): string[] {
  const problems: string[] = [];
  if (new Set(entries.map((e) => e.case)).size !== entries.length)
    problems.push(`${name}.yaml scripts a case twice`);
  for (const entry of entries) {
    if (!ids.has(entry.case))
      problems.push(`${name}.yaml scripts ${entry.case}, which is not a ${name} case`);
  }
  return problems;
}

function checkDraft(c: CaseShape, entry: DraftEntry): string[] {
  const problems: string[] = [];
  const criteria = c.criteria.map((k) => k.id).sort();
  const wantsTicket = c.checks.some((k) => k.kind === 'tool_called');
  for (const model of MODEL_NAMES) {
    const answer = entry[model];
    const scored = Object.keys(answer.scores).sort();
    if (scored.join() !== criteria.join()) {
      problems.push(
        `${c.id} ${model}: scores ${scored.join(', ')}; the case's criteria are ${criteria.join(', ')}`,
      );
    }
    if (wantsTicket !== (answer.ticket !== undefined)) {
      problems.push(
        `${c.id} ${model}: the case ${wantsTicket ? 'checks for' : 'has no check on'} create_ticket, ` +
          `the answer ${answer.ticket ? 'calls' : 'does not call'} it`,
      );
    }
  }
  if (entry['sonnet-4-6'].reply === entry['opus-4-7'].reply) {
    problems.push(
      `${c.id}: both models give the same reply; the judge's cassette would hold one answer for both`,
    );
  }
  return problems;
}

function checkVerify(c: CaseShape, entry: VerifyEntry): string[] {
  const criteria = c.criteria.map((k) => k.id).sort();
  return MODEL_NAMES.flatMap((model) => {
    const scored = Object.keys(verifyAnswer(entry, model).scores).sort();
    return scored.join() === criteria.join()
      ? []
      : [`${c.id} ${model}: scores ${scored.join(', ')}; the case's criteria are ${criteria.join(', ')}`];
  });
}

/**
 * Every problem, one line each; empty when the world covers the cases exactly.
 *
 * @example
 * checkWorld(world, project.cases) // []
 */
export function checkWorld(world: World, cases: readonly CaseShape[]): string[] {
  const ids = (subject: Subject) => new Set(cases.filter((c) => c.subject === subject).map((c) => c.id));
  const problems = [
    ...duplicatesAndStrays('drafter', world.drafter, ids('drafter')),
    ...duplicatesAndStrays('verifier', world.verifier, ids('verifier')),
  ];
  const drafts = new Map(world.drafter.map((e) => [e.case, e]));
  const verifies = new Map(world.verifier.map((e) => [e.case, e]));
  for (const c of cases) {
    const draft = c.subject === 'drafter' ? drafts.get(c.id) : undefined;
    const verify = c.subject === 'verifier' ? verifies.get(c.id) : undefined;
    if (draft) problems.push(...checkDraft(c, draft));
    else if (verify) problems.push(...checkVerify(c, verify));
    else problems.push(`case ${c.id} (${c.subject}) has no answers in the world`);
  }
  return problems;
}
