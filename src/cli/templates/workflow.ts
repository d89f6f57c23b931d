import type { SupportedProvider } from '../../providers/types.js';
import { providerVariables } from './providers.js';

/** Provider variables that are configuration, not secrets: read from the repository's `vars`. */
const VARIABLES = new Set(['GOOGLE_CLOUD_PROJECT', 'GOOGLE_CLOUD_LOCATION']);

/** The `env:` lines of a step that calls the providers: secrets by name, configuration from `vars`. */
function providerEnvLines(providers: readonly SupportedProvider[]): string {
  return providers
    .flatMap(providerVariables)
    .map((name) => `          ${name}: \${{ ${VARIABLES.has(name) ? 'vars' : 'secrets'}.${name} }}`)
    .join('\n');
}

/**
 * .github/workflows/eval.yml as `qualify init` writes it: the qualification on
 * every pull request that touches the agent, the cases, the rubric or the
 * playbook, with least-privilege permissions, one run per PR at a time, a
 * timeout, the baseline read from the base branch, the secrets of exactly the
 * providers the rubric names, the scorecard posted as a sticky comment and kept
 * as an artifact named after the branch (`scorecard-<branch, / as ->`). Cloud
 * providers get short-lived credentials, no stored key (`cloudCredentials`).
 *
 * @example
 * await writeFile('.github/workflows/eval.yml', workflowTemplate(['anthropic', 'openai']))
 */
export function workflowTemplate(providers: readonly SupportedProvider[]): string {
  const secrets = providerEnvLines(providers);
  const cloud = cloudCredentials(providers);
  return `# The qualification (vitest-qualify): every case in eval/ scored on model_primary and compared,
# case by case, with the scorecard of the base branch. Written by \`npx qualify init\`.
name: eval

on:
  pull_request:
    paths:
      - 'agents/**'
      - 'eval/**'
      - 'rubric.yaml'
      - 'ops/failure_playbook.md'
      - '.github/workflows/eval.yml'
      - 'vitest.config.*'
      - 'package.json'
      - 'package-lock.json'

permissions:
  contents: read
  pull-requests: write # qualify comment: one sticky scorecard comment on the PR${cloud.idToken}

concurrency:
  group: eval-\${{ github.event.pull_request.number }}
  cancel-in-progress: true

jobs:
  # The check named eval: make it required on the default branch (npx qualify init --protect).
  eval:
    runs-on: ubuntu-latest
    timeout-minutes: 60
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0 # check-pr and the baseline read the base branch
      - uses: actions/setup-node@v4
        with:
          node-version: 20
          cache: npm
      - run: npm ci
${cloud.steps}
      # On a model/* branch: only model_primary (and fallback) may change, and only the allowed files.
      # On any other branch: refuses a model_primary change bolted onto a feature PR.
      - name: Qualification PR discipline
        run: npx qualify check-pr --base "origin/$GITHUB_BASE_REF"

      - name: Qualification
        run: npm run eval
        env:
          QUALIFY_BASELINE_REF: origin/\${{ github.base_ref }}${secrets === '' ? '' : `\n${secrets}`}

      - name: Post the scorecard
        if: \${{ !cancelled() && hashFiles('eval/out/scorecard.md') != '' }}
        run: npx qualify comment --scorecard eval/out/scorecard.md
        env:
          GITHUB_TOKEN: \${{ secrets.GITHUB_TOKEN }}

      # The artifact is named after the branch, / as -: scorecard-model-anthropic-claude-opus-4-7.
      - name: Name the scorecard after the branch
        id: artifact
        if: \${{ !cancelled() }}
        env:
          BRANCH: \${{ github.head_ref || github.ref_name }}
        run: echo "name=scorecard-$(printf '%s' "$BRANCH" | tr '/\\\\":<>|*?\\r\\n' '-')" >> "$GITHUB_OUTPUT"

      - name: Keep the scorecard
        if: \${{ !cancelled() }}
        uses: actions/upload-artifact@v4
        with:
          name: \${{ steps.artifact.outputs.name }}
          path: eval/out/
          if-no-files-found: ignore
`;
}

/**
 * .github/workflows/watch.yml as `qualify init` writes it: once a day (and on demand)
 * `qualify watch` lists the models of the providers under `watch:` in rubric.yaml and
 * opens a qualification PR for a new release. The job alone may write contents and pull
 * requests; the token is `QUALIFY_WATCH_TOKEN` when set (a PR opened with GITHUB_TOKEN
 * starts no workflow, so eval.yml would not run on it), else GITHUB_TOKEN.
 *
 * @example
 * await writeFile('.github/workflows/watch.yml', watchWorkflowTemplate(['anthropic']))
 */
export function watchWorkflowTemplate(providers: readonly SupportedProvider[]): string {
  const secrets = providerEnvLines(providers);
  const cloud = cloudCredentials(providers);
  return `${WATCH_HEADER}
name: watch

on:
  schedule:
    - cron: '23 6 * * *' # 06:23 UTC, daily
  workflow_dispatch:

permissions:
  contents: read

concurrency:
  group: watch
  cancel-in-progress: false

jobs:
  watch:
    runs-on: ubuntu-latest
    timeout-minutes: 15
    permissions:
      contents: write # the model/ branch and its two commits
      pull-requests: write # the qualification PR${cloud.idToken.replace('\n  ', '\n      ')}
    steps:
      - uses: actions/checkout@v4
        with:
          persist-credentials: false
      - uses: actions/setup-node@v4
        with:
          node-version: 20
          cache: npm
      - run: npm ci
${cloud.steps}
      - name: Open a qualification PR for a new model release
        run: npx qualify watch
        env:
          GITHUB_TOKEN: \${{ secrets.QUALIFY_WATCH_TOKEN || secrets.GITHUB_TOKEN }}
${secrets}
`;
}

/** The comment at the top of watch.yml (the template and the repository's own). */
export const WATCH_HEADER = `# New model releases (vitest-qualify): once a day, \`qualify watch\` lists the models of the
# providers under watch: in rubric.yaml (nothing to do without it) and opens one qualification PR,
# branch model/<provider>-<model>, for the newest new release. Written by \`npx qualify init\`.
#
# A pull request opened with GITHUB_TOKEN starts no workflow: eval.yml would not run on it. Add a
# fine-grained personal access token or a GitHub App token (Contents and Pull requests: read and
# write, on this repository) as the secret QUALIFY_WATCH_TOKEN. Without it GITHUB_TOKEN opens the
# PR, and the qualification starts on its next push (or close and reopen the PR).`;

/**
 * The steps that give a job short-lived cloud credentials, and the `id-token: write` permission they
 * need: Bedrock by OIDC (`aws-actions/configure-aws-credentials`, role `secrets.AWS_ROLE_ARN`, region
 * `vars.AWS_REGION`), Vertex by workload identity federation (`google-github-actions/auth`, provider
 * and service account from `vars`). Empty for providers with API keys.
 *
 * @example
 * cloudCredentials(['bedrock']).idToken // '\n  id-token: write # ...'
 */
export function cloudCredentials(providers: readonly SupportedProvider[]): {
  idToken: string;
  steps: string;
} {
  const bedrock = providers.includes('bedrock');
  const vertex = providers.includes('vertex');
  const why = [
    bedrock ? 'Bedrock: AWS credentials by OIDC' : '',
    vertex ? 'Vertex: workload identity federation' : '',
  ]
    .filter(Boolean)
    .join('; ');
  const idToken = why === '' ? '' : `\n  id-token: write # ${why}, no stored key`;
  const aws = bedrock
    ? `
      # Bedrock: short-lived AWS credentials for the role (its policy: bedrock:InvokeModel,
      # bedrock:InvokeModelWithResponseStream, bedrock:ListFoundationModels), and AWS_REGION.
      - name: AWS credentials
        uses: aws-actions/configure-aws-credentials@v4
        with:
          role-to-assume: \${{ secrets.AWS_ROLE_ARN }}
          aws-region: \${{ vars.AWS_REGION }}
`
    : '';
  const google = vertex
    ? `
      # Vertex AI: workload identity federation, no key file. The service account needs roles/aiplatform.user;
      # the step sets GOOGLE_APPLICATION_CREDENTIALS for the qualification.
      - uses: google-github-actions/auth@v2
        with:
          workload_identity_provider: \${{ vars.GCP_WORKLOAD_IDENTITY_PROVIDER }}
          service_account: \${{ vars.GCP_SERVICE_ACCOUNT }}
`
    : '';
  return { idToken, steps: aws + google };
}
