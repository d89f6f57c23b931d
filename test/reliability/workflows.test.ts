/**
 * The workflow properties test/unit/workflows/ does not assert yet, read from
 * the same parsed files: no trigger that hands a fork's input the base
 * repository's secrets (those tests check two such triggers; there are more),
 * and no shell script that expands text a pull request's author controls
 * (a branch name or a PR title is code once `${{ }}` pastes it into `run:`).
 */
import { describe, expect, test } from 'vitest';
import { describeStep, readWorkflow, workflowFiles } from '../unit/workflows/workflows.js';

/** Events that run with a read-only token and no secrets for a fork, or only for maintainers. */
const SAFE_TRIGGERS = new Set(['pull_request', 'push', 'schedule', 'workflow_dispatch', 'merge_group']);

/** Contexts whose text the author of a pull request or a comment chooses. */
const UNTRUSTED =
  /github\.head_ref|github\.event\.(pull_request|issue|comment|review|review_comment|discussion|pages|commits|head_commit)\b/;

/** The `${{ }}` expressions of a script that expand untrusted text. */
function untrustedExpansions(script: string): string[] {
  return [...script.matchAll(/\$\{\{([^}]*)\}\}/g)].map((m) => m[1]!.trim()).filter((e) => UNTRUSTED.test(e));
}

describe('workflow security beyond test/unit/workflows', () => {
  test('every trigger runs a fork’s code with a read-only token and no secrets, or runs maintainers’ code only', () => {
    for (const file of workflowFiles()) {
      const unsafe = Object.keys(readWorkflow(file).on).filter((t) => !SAFE_TRIGGERS.has(t));
      expect([file, unsafe]).toEqual([file, []]);
    }
  });

  test('no step pastes text a pull request’s author controls into a shell script', () => {
    for (const file of workflowFiles()) {
      for (const [id, job] of Object.entries(readWorkflow(file).jobs)) {
        for (const step of job.steps) {
          expect([file, id, describeStep(step), untrustedExpansions(step.run ?? '')]).toEqual([
            file,
            id,
            describeStep(step),
            [],
          ]);
        }
      }
    }
  });

  test('the checks are not vacuous: an injection and a risky trigger are caught', () => {
    expect(
      untrustedExpansions(
        'echo "${{ github.event.pull_request.title }}" && git checkout ${{ github.head_ref }}',
      ),
    ).toEqual(['github.event.pull_request.title', 'github.head_ref']);
    expect(untrustedExpansions('npx qualify check-pr --base origin/${{ github.base_ref }}')).toEqual([]);
    expect(
      ['pull_request_target', 'workflow_run', 'issue_comment'].filter((t) => !SAFE_TRIGGERS.has(t)),
    ).toEqual(['pull_request_target', 'workflow_run', 'issue_comment']);
  });
});
