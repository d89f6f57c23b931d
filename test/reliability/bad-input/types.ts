/**
 * One bad input a user can hand the qualification, and the one line it must be
 * refused with. The fixture is a valid project (`BASE`) with some files
 * replaced; the suite runs real `vitest run --project eval` on each.
 */

/** A bad input and its expected refusal. */
export interface BadInput {
  /** What is wrong, as the test is named. */
  name: string;
  /** Files written over the valid base project; `null` removes a base file. */
  files: Record<string, string | null>;
  /** Extra environment of the run. */
  env?: Record<string, string>;
  /** The line the user reads, after `vitest-qualify: `; one per problem when there are several. */
  message: string | string[];
  /** What a string cannot set up: a huge file, a git repository, permissions. Gets the project folder. */
  prepare?: (dir: string) => Promise<void> | void;
  /** A reason the fixture cannot show anything here (checked when the suite runs), else undefined. */
  skip?: () => string | undefined;
}

/** A valid rubric: prompt mode, one judge sample. */
export const RUBRIC = `model_primary: openai:model-a
judge: openai:judge-1
judge_samples: 1
thresholds: { rubric_min_score: 0.5 }
`;

/** A valid case file with two cases. */
export const CASES = `cases:
  - id: refund-window
    input: "Can I return shoes after 40 days?"
    criteria: [{ id: correct, text: "States the 30-day window" }]
  - id: shipping-time
    input: "How long does shipping take?"
    criteria: [{ id: correct, text: "Says 3 to 5 days" }]
`;

/** The valid project every fixture starts from. */
export const BASE: Record<string, string> = { 'rubric.yaml': RUBRIC, 'eval/cases.yaml': CASES };

/**
 * The rubric with one top-level line replaced (or added when `key` is absent).
 *
 * @example
 * rubricWith('judge', 'judge: gpt-5')
 */
export function rubricWith(key: string, line: string): string {
  const lines = RUBRIC.trimEnd().split('\n');
  const at = lines.findIndex((l) => l.startsWith(`${key}:`));
  if (at === -1) lines.push(line);
  else lines[at] = line;
  return `${lines.join('\n')}\n`;
}
