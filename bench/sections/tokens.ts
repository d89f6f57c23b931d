/**
 * Section 6: token efficiency. Model calls, tokens and request bytes per fully
 * scored case, by what the call was for, read off the wire at the fake
 * provider and checked against the scorecard's per-case usage.
 */
import type { Measured } from '../measure.js';
import type { Figure, Section } from '../report.js';
import type { Exchange, WirePurpose } from '../world.js';

const PURPOSES: readonly WirePurpose[] = ['agent', 'judge', 'faithfulness', 'answer_relevancy', 'embeddings'];

/** Per-case totals of one run's exchanges of one purpose (or all). */
export interface PerCase {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  requestKb: number;
}

/**
 * Totals per case of the exchanges `pick` keeps.
 *
 * @example
 * perCase(run.log, 80, (e) => e.purpose === 'judge').calls // 1
 */
export function perCase(log: readonly Exchange[], cases: number, pick: (e: Exchange) => boolean): PerCase {
  const kept = log.filter(pick);
  const sum = (f: (e: Exchange) => number) => kept.reduce((total, e) => total + f(e), 0) / cases;
  return {
    calls: sum(() => 1),
    inputTokens: sum((e) => e.inputTokens),
    outputTokens: sum((e) => e.outputTokens),
    requestKb: sum((e) => e.requestBytes) / 1024,
  };
}

/**
 * Section 6 from the latency-bound runs (the same workload every run).
 *
 * @example
 * const section = tokenSection(latency.runs, 80)
 */
export function tokenSection(runs: readonly Measured[], cases: number): Section {
  const figures: Figure[] = [];
  for (const purpose of [...PURPOSES, 'all'] as const) {
    const rows = runs.map((run) =>
      perCase(run.log, cases, (e) => purpose === 'all' || e.purpose === purpose),
    );
    const label = purpose === 'all' ? 'all metrics' : purpose;
    figures.push(
      {
        name: `${label}: calls per case`,
        unit: '',
        values: rows.map((r) => r.calls),
        promptfoo: purpose === 'all' ? '11' : undefined,
      },
      {
        name: `${label}: input tokens per case`,
        unit: '',
        values: rows.map((r) => r.inputTokens),
        digits: 0,
      },
      {
        name: `${label}: output tokens per case`,
        unit: '',
        values: rows.map((r) => r.outputTokens),
        digits: 0,
      },
      {
        name: `${label}: request body per case`,
        unit: 'KB',
        values: rows.map((r) => r.requestKb),
        digits: 1,
      },
    );
  }
  const agreement = runs.map((run) => {
    const wire = perCase(run.log, 1, () => true);
    const card = run.card?.usage;
    return (
      card !== undefined &&
      card.calls === wire.calls &&
      card.input_tokens === wire.inputTokens &&
      card.output_tokens === wire.outputTokens
    );
  });
  return {
    title: '6. Token efficiency',
    setup:
      `Per fully scored case of section 1 (${cases} cases), by metric. Calls are classified on the wire by their ` +
      "structured-output schema; tokens are the fake provider's count (characters / 4 of the messages and of each " +
      'choice; schemas and tool definitions are not counted, so "request body" shows the bytes actually sent). ' +
      'The judge scores all criteria in one call; faithfulness is 2 calls (statements, then verdicts over the ' +
      'contexts); answer relevancy is 1 request with n=3 plus 1 embeddings call for the question and the 3 ' +
      'generated questions.',
    figures,
    notes: [
      `Wire totals equal the scorecard's usage (calls, input and output tokens) in ${agreement.filter(Boolean).length} of ${runs.length} runs.`,
    ],
  };
}
