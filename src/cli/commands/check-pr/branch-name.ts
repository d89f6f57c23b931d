import { parseModelRef } from '../../../providers/model-ref.js';

/** Branches of qualification PRs start with this. */
export const MODEL_BRANCH_PREFIX = 'model/';

const slug = (text: string) =>
  text
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase();

/**
 * The branch a qualification PR for `model` is named: `model/`, the provider, a
 * dash, then the model with every run of non-alphanumerics as one dash.
 *
 * @example
 * expectedBranch('anthropic:claude-opus-4-7') // 'model/anthropic-claude-opus-4-7'
 * expectedBranch('openai:gpt-5.1') // 'model/openai-gpt-5-1'
 */
export function expectedBranch(model: string): string {
  const ref = parseModelRef(model);
  return `${MODEL_BRANCH_PREFIX}${slug(`${ref.provider}-${ref.model}`)}`;
}

/**
 * Whether a branch is a qualification branch (`model/...`).
 *
 * @example
 * isModelBranch('model/openai-gpt-5') // true
 */
export function isModelBranch(branch: string): boolean {
  return branch.startsWith(MODEL_BRANCH_PREFIX);
}

/**
 * Whether a `model/` branch names `model`, ignoring case and how non-alphanumerics are written.
 *
 * @example
 * branchMatchesModel('model/openai-gpt-5.1', 'openai:gpt-5.1') // true
 */
export function branchMatchesModel(branch: string, model: string): boolean {
  if (!isModelBranch(branch)) return false;
  return (
    slug(branch.slice(MODEL_BRANCH_PREFIX.length)) === expectedBranch(model).slice(MODEL_BRANCH_PREFIX.length)
  );
}
