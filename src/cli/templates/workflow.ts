import type { SupportedProvider } from '../../providers/types.js';
import { providerVariables } from './providers.js';

/** Provider variables that are configuration, not secrets: read from the repository's `vars`. */
const VARIABLES = new Set(['GOOGLE_CLOUD_PROJECT', 'GOOGLE_CLOUD_LOCATION']);

/**
 * .github/workflows/eval.yml as `qualify init` writes it: the qualification on
 * every pull request that touches the agent, the cases, the rubric or the
 * playbook, with least-privilege permissions, one run per PR at a time, a
 * timeout, the baseline read from the base branch, the secrets of exactly the
 * providers the rubric names (Vertex: workload identity federation, no key), the scorecard posted as a sticky comment and kept
 * as an artifact.
 *
 * @example
 * await writeFile('.github/workflows/eval.yml', workflowTemplate(['anthropic', 'openai']))
 */
export function workflowTemplate(providers: readonly SupportedProvider[]): string {
  const secrets = providers
    .flatMap(providerVariables)
    .map((name) => `          ${name}: \${{ ${VARIABLES.has(name) ? 'vars' : 'secrets'}.${name} }}`)
    .join('\n');
  const vertex = providers.includes('vertex');
  const idToken = vertex
    ? '\n  id-token: write # google-github-actions/auth: workload identity federation for Vertex AI'
    : '';
  const googleAuth = vertex
    ? `
      # Vertex AI: workload identity federation, no key file. The service account needs roles/aiplatform.user;
      # the step sets GOOGLE_APPLICATION_CREDENTIALS for the qualification.
      - uses: google-github-actions/auth@v2
        with:
          workload_identity_provider: \${{ vars.GCP_WORKLOAD_IDENTITY_PROVIDER }}
          service_account: \${{ vars.GCP_SERVICE_ACCOUNT }}
`
    : '';
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
  pull-requests: write # qualify comment: one sticky scorecard comment on the PR${idToken}

concurrency:
  group: eval-\${{ github.event.pull_request.number }}
  cancel-in-progress: true

jobs:
  qualify:
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
${googleAuth}
      # On a model/* branch: only model_primary (and fallback) may change, and only the allowed files.
      # On any other branch: refuses a model_primary change bolted onto a feature PR.
      - name: Qualification PR discipline
        run: npx qualify check-pr --base "origin/$GITHUB_BASE_REF"

      - name: Qualification
        run: npm run eval
        env:
          QUALIFY_BASELINE_REF: origin/\${{ github.base_ref }}
${secrets}

      - name: Post the scorecard
        if: \${{ !cancelled() && hashFiles('eval/out/scorecard.md') != '' }}
        run: npx qualify comment --scorecard eval/out/scorecard.md
        env:
          GITHUB_TOKEN: \${{ secrets.GITHUB_TOKEN }}

      - name: Keep the scorecard
        if: \${{ !cancelled() }}
        uses: actions/upload-artifact@v4
        with:
          name: scorecard
          path: eval/out/
          if-no-files-found: ignore
`;
}
