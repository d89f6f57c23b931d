/** A commit on the PR that changes the `model_primary` line of rubric.yaml. */
export interface ModelCommit {
  sha: string;
  /** The abbreviated sha git prints (`git log --format=%h`). */
  short: string;
  subject: string;
  /** The whole message: subject and body. */
  message: string;
  /** Whether it is the PR's last commit (then `git commit --amend` rewords it). */
  head: boolean;
}

/** What a release note is missing: the date, the link, or both. */
export type ReleaseNoteGap = 'date' | 'link';

/** The example line a fix suggests. */
export const RELEASE_NOTE_EXAMPLE = 'Released 2026-11-20: https://www.anthropic.com/news/claude-opus-4-7';

const DATE = /(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d-])/g;
const URL_CANDIDATE = /https:\/\/[^\s<>"'`)\]]+/g;

/**
 * Whether `text` holds a calendar date written `YYYY-MM-DD` (ISO 8601): a real
 * day, so `2026-02-30` and `2026-13-01` are not dates.
 *
 * @example
 * hasReleaseDate('Released 2026-11-20') // true
 * hasReleaseDate('Released 20/11/2026') // false
 */
export function hasReleaseDate(text: string): boolean {
  for (const [, y, m, d] of text.matchAll(DATE)) {
    const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
    if (
      date.getUTCFullYear() === Number(y) &&
      date.getUTCMonth() === Number(m) - 1 &&
      date.getUTCDate() === Number(d)
    )
      return true;
  }
  return false;
}

/**
 * Whether `text` holds an `https://` URL with a host (`http://` does not count).
 *
 * @example
 * hasReleaseLink('see https://openai.com/index/gpt-5-1/') // true
 * hasReleaseLink('see openai.com') // false
 */
export function hasReleaseLink(text: string): boolean {
  for (const [candidate] of text.matchAll(URL_CANDIDATE)) {
    try {
      if (new URL(candidate.replace(/[.,;:!?]+$/, '')).hostname !== '') return true;
    } catch {
      // not a URL after all (`https://` alone); look at the next one
    }
  }
  return false;
}

/**
 * What a commit message that changes `model_primary` lacks: a release date
 * (`YYYY-MM-DD`) and an `https://` link, anywhere in the subject or body.
 *
 * @example
 * releaseNoteGaps('Qualify opus 4.7\n\nReleased 2026-11-20: https://www.anthropic.com/news/claude-opus-4-7') // []
 * releaseNoteGaps('Qualify opus 4.7') // ['date', 'link']
 */
export function releaseNoteGaps(message: string): ReleaseNoteGap[] {
  return [
    ...(hasReleaseDate(message) ? [] : ['date' as const]),
    ...(hasReleaseLink(message) ? [] : ['link' as const]),
  ];
}

/**
 * The one line check-pr prints for a model commit without a release note: the
 * commit, what is missing, and how to reword it.
 *
 * @example
 * releaseNoteMessage('rubric.yaml', commit, ['link'])
 * // 'rubric.yaml: commit 1a2b3c4 "Qualify opus 4.7" changes model_primary but its message has no https:// link to the release: ...'
 */
export function releaseNoteMessage(rubricFile: string, commit: ModelCommit, gaps: ReleaseNoteGap[]): string {
  const missing = gaps
    .map((gap) => (gap === 'date' ? 'no release date (YYYY-MM-DD)' : 'no https:// link to the release'))
    .join(' and ');
  const how = commit.head ? 'git commit --amend' : `git rebase -i ${commit.short}^ (reword ${commit.short})`;
  return (
    `${rubricFile}: commit ${commit.short} ${JSON.stringify(commit.subject)} changes model_primary but its ` +
    `message has ${missing}: reword it with ${how} to add a line like "${RELEASE_NOTE_EXAMPLE}"`
  );
}
