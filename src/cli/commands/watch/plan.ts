/**
 * The decisions of `qualify watch`, as pure functions: which listed models are new
 * releases, the order PRs are opened in, and the commit message of the one-line edit.
 */
import picomatch from 'picomatch';
import type { ListedModel } from '../../../providers/adapter.js';
import { expectedBranch } from '../check-pr/branch-name.js';

/** Where each provider announces its releases; named in the commit message. */
export const CHANGELOGS: Readonly<Record<string, string>> = {
  openai: 'https://platform.openai.com/docs/changelog',
  anthropic: 'https://docs.anthropic.com/en/release-notes/api',
  bedrock: 'https://docs.aws.amazon.com/bedrock/latest/userguide/doc-history.html',
  vertex: 'https://cloud.google.com/vertex-ai/generative-ai/docs/release-notes',
};

/** A listed model that matches a watch pattern and is not known yet. */
export interface Candidate {
  /** `provider:id`, the new `model_primary`. */
  model: string;
  provider: string;
  /** ISO 8601, when the list said. */
  createdAt: string | undefined;
  /** The `model/` branch check-pr expects for it. */
  branch: string;
  /** The first watch glob it matched. */
  pattern: string;
}

/** Why a matching model is not a candidate; stable for `--json`. */
export type SkipReason = 'current' | 'seen' | 'older-than-primary';

/** What `findCandidates` concludes for one provider. */
export interface ProviderFindings {
  candidates: Candidate[];
  skipped: { model: string; reason: SkipReason }[];
}

/**
 * The listed models of `provider` that are new releases: matching one of `patterns`
 * (picomatch, whole id), not the current `model_primary` / `model_fallback`, not in the
 * state file (`seen`), and not released before the current primary when the list dates
 * both (a glob turned on over an old catalogue proposes nothing older than what runs).
 * Newest first; undated ones last, by id.
 *
 * @example
 * findCandidates({ provider: 'openai', listed: [{ id: 'gpt-5.2' }], patterns: ['gpt-5*'], current: ['openai:gpt-5.1'], seen: new Set() })
 * // { candidates: [{ model: 'openai:gpt-5.2', branch: 'model/openai-gpt-5-2', ... }], skipped: [] }
 */
export function findCandidates(input: {
  provider: string;
  listed: readonly ListedModel[];
  patterns: readonly string[];
  /** `model_primary` first, then `model_fallback` when set. */
  current: readonly string[];
  seen: ReadonlySet<string>;
}): ProviderFindings {
  const { provider, listed, patterns, current, seen } = input;
  const matchers = patterns.map((glob) => ({ glob, test: picomatch(glob, { dot: true }) }));
  const primary = current[0];
  const primaryDate = listed.find((m) => `${provider}:${m.id}` === primary)?.createdAt;
  const primaryTime = primaryDate === undefined ? undefined : Date.parse(primaryDate);
  const candidates: Candidate[] = [];
  const skipped: ProviderFindings['skipped'] = [];
  const ids = new Set<string>();
  for (const listedModel of listed) {
    const model = `${provider}:${listedModel.id}`;
    if (ids.has(model)) continue;
    ids.add(model);
    const hit = matchers.find((m) => m.test(listedModel.id));
    if (!hit) continue;
    const time = listedModel.createdAt === undefined ? undefined : Date.parse(listedModel.createdAt);
    if (current.includes(model)) skipped.push({ model, reason: 'current' });
    else if (seen.has(model)) skipped.push({ model, reason: 'seen' });
    else if (time !== undefined && primaryTime !== undefined && time < primaryTime) {
      skipped.push({ model, reason: 'older-than-primary' });
    } else {
      candidates.push({
        model,
        provider,
        createdAt: listedModel.createdAt,
        branch: expectedBranch(model),
        pattern: hit.glob,
      });
    }
  }
  candidates.sort(newestFirst);
  return { candidates, skipped };
}

/**
 * Newest release first; undated last; ties by model id, so the order is stable.
 *
 * @example
 * [b, a].sort(newestFirst)
 */
export function newestFirst(a: Candidate, b: Candidate): number {
  const ta = a.createdAt === undefined ? -Infinity : Date.parse(a.createdAt);
  const tb = b.createdAt === undefined ? -Infinity : Date.parse(b.createdAt);
  if (ta !== tb) return tb - ta;
  return a.model < b.model ? -1 : a.model > b.model ? 1 : 0;
}

/** The release date of a candidate (`YYYY-MM-DD`) and where it came from. */
export function releaseDate(candidate: Candidate, today: string): { date: string; known: boolean } {
  const time = candidate.createdAt === undefined ? Number.NaN : Date.parse(candidate.createdAt);
  if (Number.isNaN(time)) return { date: today, known: false };
  return { date: new Date(time).toISOString().slice(0, 10), known: true };
}

/**
 * The commit message of the one-line `model_primary` edit: the subject names the model
 * and its release date, the body the change, where the date came from, and the provider's
 * changelog.
 *
 * @example
 * commitMessage({ candidate, previous: 'anthropic:claude-opus-4-7', today: '2026-12-03' }).split('\n')[0]
 * // 'Qualify anthropic:claude-opus-5 (released 2026-12-01)'
 */
export function commitMessage(input: { candidate: Candidate; previous: string; today: string }): string {
  const { candidate, previous, today } = input;
  const { date, known } = releaseDate(candidate, today);
  const changelog = CHANGELOGS[candidate.provider];
  return [
    `Qualify ${candidate.model} (released ${date})`,
    '',
    `model_primary: ${previous} -> ${candidate.model}`,
    known
      ? `Release date: ${date} (from the ${candidate.provider} models list)`
      : `Release date: ${date} (today: the ${candidate.provider} models list gives no date)`,
    `Changelog: ${changelog ?? `none known for ${candidate.provider}`}`,
    `Matched watch pattern: ${candidate.pattern}`,
    '',
    'Opened by `qualify watch`.',
    '',
  ].join('\n');
}

/**
 * The pull request's title and body.
 *
 * @example
 * pullRequestText({ candidate, previous, today }).title // 'Qualify anthropic:claude-opus-5'
 */
export function pullRequestText(input: { candidate: Candidate; previous: string; today: string }): {
  title: string;
  body: string;
} {
  const { candidate, previous, today } = input;
  const { date, known } = releaseDate(candidate, today);
  const changelog = CHANGELOGS[candidate.provider];
  return {
    title: `Qualify ${candidate.model}`,
    body: [
      `${candidate.provider} lists a new model matching \`${candidate.pattern}\` (rubric.yaml \`watch:\`).`,
      '',
      `- \`model_primary\`: \`${previous}\` -> \`${candidate.model}\` (one line in rubric.yaml)`,
      `- Released: ${date}${known ? '' : ' (today: the models list gives no date)'}`,
      `- Changelog: ${changelog ?? 'none known'}`,
      '',
      'The qualification runs on this PR (eval.yml). On a pass, run `npx qualify promote` on this branch; ' +
        'on a fail, close the PR: `qualify watch` does not propose this model again.',
      '',
      '_Opened by `qualify watch`._',
    ].join('\n'),
  };
}
