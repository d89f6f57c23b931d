/**
 * What makes the world usable for a case set: every case answered by every
 * model, every criterion scored, nothing scripted for a case that does not exist.
 * Pure: the world and the cases in, the problems out.
 */
import { MODEL_NAMES, verifyAnswer, type World } from './world.js';

/** The part of a case the check reads. */
export interface CaseShape {
  id: string;
  subject: string;
  criteria: { id: string }[];
  checks: { kind: string; value?: unknown }[];
}

/**
 * Every problem, one line each; empty when the world covers the cases exactly.
 *
 * @example
 * checkWorld(world, project.cases) // []
 */
export function checkWorld(world: World, cases: readonly CaseShape[]): string[] {
  const problems: string[] = [];
  const bySubject = {
    drafter: new Map(world.drafter.map((e) => [e.case, e])),
    verifier: new Map(world.verifier.map((e) => [e.case, e])),
  };
  for (const [subject, entries] of Object.entries(bySubject)) {
    const listed = subject === 'drafter' ? world.drafter : world.verifier;
    if (entries.size !== listed.length) problems.push(`${subject}.yaml scripts a case twice`);
    const ids = new Set(cases.filter((c) => c.subject === subject).map((c) => c.id));
    for (const id of entries.keys()) {
      if (!ids.has(id)) problems.push(`${subject}.yaml scripts ${id}, which is not a ${subject} case`);
    }
  }
  for (const c of cases) {
    const subject = c.subject === 'drafter' || c.subject === 'verifier' ? c.subject : undefined;
    const entry = subject && bySubject[subject].get(c.id);
    if (!subject || !entry) {
      problems.push(`case ${c.id} (${c.subject}) has no answers in the world`);
      continue;
    }
    const criteria = c.criteria.map((k) => k.id).sort();
    const wantsTicket = c.checks.some((k) => k.kind === 'tool_called');
    for (const model of MODEL_NAMES) {
      const answer =
        subject === 'drafter'
          ? world.drafter.find((e) => e.case === c.id)![model]
          : verifyAnswer(
              world.verifier.find((e) => e.case === c.id)!,
              model,
            );
      const scored = Object.keys(answer.scores).sort();
      if (scored.join() !== criteria.join()) {
        problems.push(
          `${c.id} ${model}: scores ${scored.join(', ')}; the case's criteria are ${criteria.join(', ')}`,
        );
      }
      if ('reply' in answer && wantsTicket !== (answer.ticket !== undefined)) {
        problems.push(
          `${c.id} ${model}: the case ${wantsTicket ? 'checks for' : 'has no check on'} create_ticket, the answer ${answer.ticket ? 'calls' : 'does not call'} it`,
        );
      }
    }
    if (subject === 'drafter') {
      const e = world.drafter.find((x) => x.case === c.id)!;
      if (e['sonnet-4-6'].reply === e['opus-4-7'].reply) {
        problems.push(
          `${c.id}: both models give the same reply; the judge's cassette would hold one answer for both`,
        );
      }
    }
  }
  return problems;
}
